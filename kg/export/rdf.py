"""Deterministic RDF writers.

Turtle and TriG come from rdflib's serialisers, which sort subjects and predicates; JSON-LD is
re-sorted by node id and key so the same input always gives a byte-identical file. The JSON-LD
context is the one shipped in ``ontology/context.jsonld``, embedded so the file works offline.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rdflib import Dataset, Graph

from kg.assemble import bind_prefixes
from kg.paths import CONTEXT_FILE, ONTOLOGY_FILE


def write_turtle(graph: Graph, path: Path) -> None:
    """Write a graph as Turtle."""
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")


def write_trig(dataset: Dataset, path: Path) -> None:
    """Write the dataset as TriG: one block per named graph, graphs in IRI order.

    rdflib's TriG writer orders graphs by hash, so each graph is written with the (sorted)
    Turtle writer and wrapped in its graph block.
    """
    header: list[str] = []
    blocks: list[str] = []
    for ctx in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(ctx) == 0:
            continue
        g = Graph()
        bind_prefixes(g)
        for triple in ctx:
            g.add(triple)
        lines = g.serialize(format="turtle").splitlines()
        header.extend(line for line in lines if line.startswith("@prefix"))
        # not indented: lines inside multi-line string literals must stay as they are
        body = [line for line in lines if not line.startswith("@prefix")]
        while body and not body[0]:
            body.pop(0)
        blocks.append(f"<{ctx.identifier}> {{\n" + "\n".join(body).rstrip() + "\n}\n")
    prefixes = sorted(set(header))
    path.write_text("\n".join(prefixes) + "\n\n" + "\n".join(blocks), encoding="utf-8")


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

