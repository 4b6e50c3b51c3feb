"""Validation of a built graph: SHACL shapes from ``ontology/shapes.ttl`` plus semantic checks.

Two ways to run the shapes. Every build runs them compiled to SPARQL over its pyoxigraph store
(``check_store``, milliseconds: see ``kg.shapes_sparql``). pySHACL (``shacl``) is the reference,
run on demand (``kg validate --full``, ``kg build --full-validation``): a test proves the two
report the same focus nodes and paths for a violation of every constraint. pySHACL runs without
inference; the ontology is mixed in only so that ``sh:targetClass`` reaches instances of
subclasses (a kg:ClinicalTrial is a kg:Study).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.paths import ONTOLOGY_FILE, SHAPES_FILE

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph

QUERIES = Path(__file__).resolve().parent / "validation"
COUNTS = {"MinCount", "MaxCount", "Or"}  # constraints on a node's values, not on one value


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


def short(node: object) -> str:
    """An IRI with the project's prefixes (kgi:study/x); anything else as its text."""
    if node is None:
        return ""
    text = str(getattr(node, "value", node))
    if _is_iri(node):
        from kg.query.curies import compact  # the one printing rule: pasteable into a query

        compacted = compact(text)
        if not compacted.startswith("<"):
            return compacted
    return text


def _is_iri(node: object) -> bool:
    """An rdflib URIRef or a pyoxigraph NamedNode (the two engines' IRIs)."""
    from rdflib import URIRef

    return isinstance(node, URIRef) or type(node).__name__ == "NamedNode"


def shacl(graph: Graph, shapes: Path = SHAPES_FILE, ontology: Path = ONTOLOGY_FILE
          ) -> list[Violation]:
    """Validate a graph with pySHACL; return violations sorted for stable output."""
    from pyshacl import validate  # imported here: it is slow to import and only needed here
    from rdflib import Graph
    from rdflib.namespace import RDF, RDFS, SH

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
            focus=short(results.value(res, SH.focusNode)),
            path=short(results.value(res, SH.resultPath)),
            message=str(results.value(res, SH.resultMessage) or "constraint violated"),
            severity=short(results.value(res, SH.resultSeverity)).split("#")[-1]))
    return sorted(out, key=str)


def semantic(graph: Graph) -> list[Violation]:
    """Checks SHACL does not express simply: every shortcut edge has its evidence-bearing node."""
    from kg.vocab import KG

    out = []
    for drug, target in graph.subject_objects(KG.targets):
        found = any((node, KG.target, target) in graph
                    for node in graph.subjects(KG.drug, drug))
        if not found:
            out.append(_no_interaction(drug, target))
    return out


def _no_interaction(drug: object, target: object) -> Violation:
    return Violation(short(drug), "kg:targets", f"no kg:DrugTargetInteraction carries the edge "
                     f"to {short(target)}", "Violation")


def validate_graph(graph: Graph) -> list[Violation]:
    """All checks, with pySHACL (the reference)."""
    return shacl(graph) + semantic(graph)


def _rows(store: pyoxigraph.Store, sparql: str) -> Any:
    return store.query(sparql, use_default_graph_as_union=True)


# how every compiled check picks its nodes (kg.shapes_sparql._target)
TARGET = re.compile(r"VALUES \?class \{ ([^}]*) \} \?f rdf:type/rdfs:subClassOf\* \?class \.")
IRI_SAFE = re.compile(r'[^<>"{}|^`\\\s]+')
FOCUS_LIMIT = 50_000  # more changed nodes than this: checking them all is as quick


def focus_nodes(store: pyoxigraph.Store, changed: set[str]) -> set[str] | None:
    """The nodes whose verdict an edit can change: the changed ones and those pointing at them.

    Every compiled constraint reads its focus node's own statements and, for ``sh:class``, the
    types of the nodes it points at; so a node whose statements are unchanged and whose objects'
    statements are unchanged keeps its verdict. None when that cannot be said (a blank node, an
    IRI SPARQL cannot carry) or the set is so large that checking everything is as quick.
    """
    if len(changed) > FOCUS_LIMIT or not all(IRI_SAFE.fullmatch(i) for i in changed):
        return None
    focus = set(changed)
    ordered = sorted(changed)
    for i in range(0, len(ordered), 2000):
        values = " ".join(f"<{iri}>" for iri in ordered[i:i + 2000])
        query = f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {values} }} ?s ?p ?o }}"
        for row in _rows(store, query):
            node = row["s"]
            if type(node).__name__ != "NamedNode":
                return None
            focus.add(node.value)
    return None if len(focus) > FOCUS_LIMIT else focus


def _classes(store: pyoxigraph.Store, focus: set[str]) -> dict[str, set[str]]:
    """Each focus node (as ``<iri>``) with every class it is an instance of, superclasses too.

    A restricted check names its nodes outright instead of finding them by class: Oxigraph
    walks the class path for every instance before it joins a ``VALUES`` list.
    """
    out: dict[str, set[str]] = {}
    ordered = sorted(focus)
    for i in range(0, len(ordered), 2000):
        values = " ".join(f"<{iri}>" for iri in ordered[i:i + 2000])
        query = ("SELECT ?f ?class WHERE { VALUES ?f { " + values + " } ?f "
                 "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
                 "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class }")
        for row in _rows(store, query):
            out.setdefault(f"<{row['f'].value}>", set()).add(f"<{row['class'].value}>")
    return out


def check_store(store: pyoxigraph.Store, shapes: Path = SHAPES_FILE,
                focus: set[str] | None = None) -> list[Violation]:
    """All checks as SPARQL over a store holding the graph and the ontology (every build).

    With ``focus`` (IRIs, see ``focus_nodes``), the shapes check those nodes alone; the check
    across nodes (a shortcut edge with its interaction) still runs over the whole graph.
    """
    from rdflib import URIRef

    from kg.shapes_sparql import compile_shapes

    out = []
    typed = None if focus is None else _classes(store, focus)
    for check in compile_shapes(shapes):
        sparql = check.sparql
        if typed is not None:
            found = TARGET.search(sparql)
            if found is None or len(TARGET.findall(sparql)) != 1:
                raise ValueError(f"{check.shape}: a check that does not pick its nodes by "
                                 "class cannot be restricted")
            wanted = set(found.group(1).split())
            nodes = sorted(f for f, classes in typed.items() if classes & wanted)
            if not nodes:
                continue
            sparql = (sparql[:found.start()] + "VALUES ?f { " + " ".join(nodes) + " }"
                      + sparql[found.end():])
        for row in _rows(store, sparql):
            value = None if check.component in COUNTS else row["v"]
            detail = "" if value is None else f" ({short(value)})"
            out.append(Violation(short(row["f"]), short(URIRef(check.path)) if check.path else "",
                                 f"{check.message}{detail}", "Violation"))
    for row in _rows(store, (QUERIES / "shortcut-without-interaction.rq").read_text()):
        out.append(_no_interaction(row["drug"], row["target"]))
    return sorted(set(out), key=str)
