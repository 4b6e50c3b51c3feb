"""Resolve a query parameter given the way a researcher writes it to the IRI the query needs.

``drug="sorafenib"``, ``target="VEGFR2"``, ``study="MISSION"`` or ``study="NCT00863746"``,
``disease="NSCLC"``: a label, synonym, acronym, symbol or identifier is looked up among the
nodes of the kind the parameter names (``lookup/names.rq``), case-insensitively and exactly. A
CURIE or IRI is checked to be such a node. An unknown or ambiguous name is an error that lists
the close matches, never a silent empty answer.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.paths import QUERY_DIR
from kg.query.engine import QueryError, Term
from kg.query.formats import _short  # the one shared IRI -> CURIE rule
from kg.query.library import expand

NAMES_QUERY = QUERY_DIR / "lookup" / "names.rq"
KG = "https://w3id.org/dti-kg/ontology#"
STUDY_CLASSES = {KG + c for c in ("ClinicalTrial", "PreclinicalStudy", "SubstudyAnalysis",
                                  "Study")}
KIND_CLASSES: dict[str, set[str]] = {
    "drug": {KG + "Drug"}, "disease": {KG + "Disease"}, "indication": {KG + "Disease"},
    "target": {KG + "Protein", KG + "TargetFamily"}, "biomarker": {KG + "Biomarker"},
    "study": STUDY_CLASSES, "document": {KG + "Document"},
}


def curie(iri: str) -> str:
    """An IRI in the short form the tool prints everywhere."""
    return _short(Term("uri", iri))


@dataclass(frozen=True)
class Named:
    """One name of one node."""

    node: str
    cls: str
    name: str
    label: str | None = None


class Names:
    """Every name of every node a parameter can refer to, indexed for lookup."""

    def __init__(self, rows: Iterable[Named]) -> None:
        """Index rows of ``lookup/names.rq``."""
        self.classes: dict[str, set[str]] = defaultdict(set)  # node -> classes
        self.names: dict[str, list[str]] = defaultdict(list)  # node -> names
        self.labels: dict[str, str] = {}
        for r in rows:
            self.classes[r.node].add(r.cls)
            if r.label:
                self.labels.setdefault(r.node, r.label)
            if r.name not in self.names[r.node]:
                self.names[r.node].append(r.name)
                local = r.name.partition(":")[2]  # "NCT:NCT00863746" is also "NCT00863746"
                if local and any(ch.isalpha() for ch in local):
                    self.names[r.node].append(local)

    def nodes(self, kind: str) -> list[str]:
        """The nodes a parameter of this kind may name."""
        wanted = KIND_CLASSES[kind]
        return sorted(n for n, classes in self.classes.items() if classes & wanted)

    def display(self, node: str) -> str:
        """``label (CURIE)`` for messages."""
        return f"{self.labels[node]} ({curie(node)})" if node in self.labels else curie(node)

    def resolve(self, kind: str, value: str) -> str:
        """The IRI a parameter value names; QueryError with close matches if none or several."""
        if kind not in KIND_CLASSES:
            return expand(value)
        nodes = self.nodes(kind)
        key = value.strip().casefold()
        # a name first: "DOI:10.1093/..." is a document's identifier, not a CURIE to expand
        found = [n for n in nodes if any(name.casefold() == key for name in self.names[n])]
        if len(found) == 1:
            return found[0]
        iri = expand(value)
        if not found and (iri != value or value.startswith(("http://", "https://"))):
            if iri in nodes:
                return iri
            raise QueryError(f"parameter {kind}: {value} is not a {kind} in this graph"
                             + self._suggest(value.rsplit("/", 1)[-1], nodes))
        if found:
            raise QueryError(f"parameter {kind}: {value!r} names {len(found)} nodes: "
                             + "; ".join(self.display(n) for n in found)
                             + ": give one of these CURIEs")
        raise QueryError(f"parameter {kind}: no {kind} named {value!r}"
                         + self._suggest(value, nodes))

    def _suggest(self, value: str, nodes: list[str]) -> str:
        """``; close matches: …`` (similar or containing names), or how to list them all."""
        by_name: dict[str, set[str]] = defaultdict(set)
        for n in nodes:
            for name in self.names[n]:
                by_name[name.casefold()].add(n)
        key = value.strip().casefold()
        close = difflib.get_close_matches(key, list(by_name), n=5, cutoff=0.6)
        close += [name for name in sorted(by_name) if key and key in name and name not in close]
        picked: list[str] = []
        for name in close:
            picked += [n for n in sorted(by_name[name]) if n not in picked]
        if not picked:
            return f" (the graph has {len(nodes)}; see kg query --name find)"
        return "; close matches: " + "; ".join(self.display(n) for n in picked[:6])


def names_of(engine: object) -> Names:
    """Every name of every node of the graph an engine (local or remote) answers for."""
    rows = engine.query(NAMES_QUERY.read_text(encoding="utf-8")).rows  # type: ignore[attr-defined]
    return Names(Named(r["node"].value, r["class"].value, r["name"].value,
                       r["label"].value if "label" in r else None) for r in rows)


def resolve_params(params: Iterable, values: dict[str, str], names: Callable[[], Names]
                   ) -> dict[str, str]:
    """Parameter values with every node parameter given by name resolved to its IRI.

    ``params`` are the named query's; ``names`` builds the index only when a value needs it.
    """
    out = dict(values)
    index: Names | None = None
    for p in params:
        raw = out.get(p.name)
        if raw is None or p.kind != "iri" or raw == "any" or p.name not in KIND_CLASSES:
            continue
        index = index or names()
        out[p.name] = index.resolve(p.name, raw)
    return out
