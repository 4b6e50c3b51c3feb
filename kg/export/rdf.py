"""Deterministic RDF writers.

Turtle and TriG are written by pyoxigraph from sorted triples (rdflib's writers took ten times
longer, and far more at scale); JSON-LD is re-sorted by node id and key. The same input always
gives byte-identical files. The JSON-LD
context is the one shipped in ``ontology/context.jsonld``, embedded so the file works offline.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.paths import CONTEXT_FILE, ONTOLOGY_FILE
from kg.vocab import PREFIXES

WRITER_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "kgi"}  # kgi:a/b needs escapes


def _ox(term: Node) -> object:
    """An rdflib term as a pyoxigraph term (exact lexical form, datatype and language kept)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    lit: Literal = term  # type: ignore[assignment]
    if lit.language:
        return ox.Literal(str(lit), language=lit.language)
    if lit.datatype:
        return ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype)))
    return ox.Literal(str(lit))


def _key(triple: tuple[Node, Node, Node]) -> tuple[str, str, str]:
    return (str(triple[0]), str(triple[1]), triple[2].n3())


def write_turtle(graph: Graph, path: Path) -> None:
    """Write a graph as Turtle: triples sorted, serialised by pyoxigraph (fast at any size)."""
    triples = [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in sorted(graph, key=_key)]
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=WRITER_PREFIXES))


def write_trig(dataset: Dataset, path: Path) -> None:
    """Write the dataset as TriG: one block per named graph, graphs and triples sorted."""
    quads = []
    for ctx in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(ctx) == 0:
            continue
        name = ox.NamedNode(str(ctx.identifier))
        quads += [ox.Quad(_ox(s), _ox(p), _ox(o), name) for s, p, o in sorted(ctx, key=_key)]
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=WRITER_PREFIXES))


def load_context() -> dict:
    """The shipped JSON-LD context."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def write_jsonld(graph: Graph, path: Path) -> None:
    """Write a graph as compacted JSON-LD with the shipped context, sorted for determinism."""
    context = load_context()["@context"]
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    doc = {"@context": context, "@graph": nodes}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def write_ontology(path: Path) -> None:
    """Copy the ontology the graph was built against."""
    shutil.copyfile(ONTOLOGY_FILE, path)

