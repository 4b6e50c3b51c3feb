"""Validation of a built graph: SHACL shapes from ``ontology/shapes.ttl`` plus semantic checks.

SHACL runs without inference; the ontology is mixed in only so that ``sh:targetClass`` reaches
instances of subclasses (a kg:ClinicalTrial is a kg:Study).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.paths import ONTOLOGY_FILE, SHAPES_FILE
from kg.vocab import KG


@dataclass(frozen=True)
class Violation:
    """One SHACL result, readable."""

    focus: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        """One line: severity, node, path and message."""
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}"


def _short(g: Graph, node: object) -> str:
    if node is None:
        return ""
    text = str(node)
    if isinstance(node, URIRef):
        from kg.query.curies import compact  # the one printing rule: pasteable into a query

        short = compact(text)
        if not short.startswith("<"):
            return short
    try:
        return g.namespace_manager.normalizeUri(node)  # type: ignore[arg-type]
    except Exception:
        return text


def shacl(graph: Graph, shapes: Path = SHAPES_FILE, ontology: Path = ONTOLOGY_FILE
          ) -> list[Violation]:
    """Validate a graph against the shapes; return violations sorted for stable output."""
    from pyshacl import validate  # imported here: it is slow to import and only needed here

    shapes_graph = Graph().parse(shapes)
    # only the class hierarchy (targetClass reaches subclasses) and the types of the controlled
    # values (sh:class on kg:unit, kg:phase ...) are needed; labels and definitions are not
    ont_graph = Graph()
    onto = Graph().parse(ontology)
    for triple in (*onto.triples((None, RDFS.subClassOf, None)),
                   *onto.triples((None, RDF.type, None))):
        ont_graph.add(triple)
    _, results, _ = validate(graph, shacl_graph=shapes_graph, ont_graph=ont_graph,
                             inference="none", abort_on_first=False, allow_warnings=True)
    out = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        out.append(Violation(
            focus=_short(graph, results.value(res, SH.focusNode)),
            path=_short(graph, results.value(res, SH.resultPath)),
            message=str(results.value(res, SH.resultMessage) or "constraint violated"),
            severity=_short(graph, results.value(res, SH.resultSeverity)).split("#")[-1]
            .replace("sh:", "")))
    return sorted(out, key=str)


def semantic(graph: Graph) -> list[Violation]:
    """Checks SHACL does not express simply: every shortcut edge has its evidence-bearing node."""
    out = []
    for drug, target in graph.subject_objects(KG.targets):
        found = any((node, KG.target, target) in graph
                    for node in graph.subjects(KG.drug, drug))
        if not found:
            out.append(Violation(_short(graph, drug), "kg:targets",
                                 f"no kg:DrugTargetInteraction carries the edge to "
                                 f"{_short(graph, target)}", "Violation"))
    return out


def validate_graph(graph: Graph) -> list[Violation]:
    """All checks."""
    return shacl(graph) + semantic(graph)
