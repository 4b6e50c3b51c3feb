"""Deterministic RDF writers, from plain triples.

Turtle and TriG are written by pyoxigraph from sorted triples (rdflib's writers took ten times
longer, and far more at scale). JSON-LD is compacted here, term by term with rdflib's own JSON-LD
``Context`` (so the keys and ids are the ones rdflib's writer chose), without building an rdflib
graph: rdflib's writer walked its graph node by node and took most of the writing time. Lists
(``rdf:first``) are the one shape this writer does not compact; a graph with one goes through
rdflib's writer. The same input always gives byte-identical files. The JSON-LD context is the one
shipped in ``ontology/context.jsonld``, embedded so the file works offline.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _utf8
from json.encoder import encode_basestring_ascii as _ascii
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.paths import CONTEXT_FILE, ONTOLOGY_FILE
from kg.triples import (
    WRITER_PREFIXES,
    Triple,
    by_subject,
    ox_triples,
    to_graph,
    trig_bytes,
)

PLAIN_TYPES = {str(RDF.langString)}
NATIVE_TYPES = {"http://www.w3.org/2001/XMLSchema#" + t
                for t in ("boolean", "integer", "double", "string")}


def _named(dataset: Any) -> Iterator[tuple[str, Iterable[Triple]]]:
    """Named graphs of a BuildResult, or of an rdflib Dataset, sorted by IRI."""
    if hasattr(dataset, "named"):
        yield from dataset.named()
        return
    for ctx in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(ctx):
            yield str(ctx.identifier), ctx


def write_turtle(triples: Iterable[Triple], path: Path) -> None:
    """Write triples (a set or an rdflib graph) as Turtle, sorted, serialised by pyoxigraph."""
    with path.open("wb") as f:
        ox.serialize(ox_triples(triples), f, format=ox.RdfFormat.TURTLE,
                     prefixes=WRITER_PREFIXES)


def write_trig(dataset: Any, path: Path) -> None:
    """Write a BuildResult (or rdflib Dataset) as TriG: one block per named graph, all sorted."""
    path.write_bytes(dataset.trig if hasattr(dataset, "trig") else trig_bytes(_named(dataset)))


def load_context() -> dict:
    """The shipped JSON-LD context."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


class _Compactor:
    """Compact IRIs, keys and values as rdflib's JSON-LD writer does with an active context."""

    def __init__(self, context: dict) -> None:
        from rdflib.plugins.shared.jsonld.context import Context

        self.ctx = Context(context)
        self.keys: dict[tuple[Node, str | None, str | None], str] = {}
        self.ids: dict[Node, str] = {}

    def key(self, p: Node, o: Node) -> str:
        """The key a predicate gets for this kind of object."""
        if isinstance(o, Literal):
            sig = (p, str(o.datatype) if o.datatype else None, o.language)
        else:
            sig = (p, "@node", None)
        found = self.keys.get(sig)
        if found is None:
            found = self.keys[sig] = self._key(p, o)
        return found

    def _key(self, p: Node, o: Node) -> str:
        ctx = self.ctx
        if isinstance(o, Literal):
            term = ctx.find_term(str(p), str(o.datatype) if o.datatype else None,
                                 language=o.language)
        else:
            term = next((t for c in ("@id", "@vocab", None)
                         if (t := ctx.find_term(str(p), c, None))), None)
        if term:
            if term.type or term.container or term.language:
                raise _Unsupported(str(p))
            return str(term.name)
        key = ctx.to_symbol(p)
        key_term = ctx.terms.get(key)
        if key_term and (key_term.type or key_term.container):
            raise _Unsupported(str(p))
        if p == RDF.type:
            return "@type"
        return str(key)

    def check(self, triples: Iterable[Triple]) -> None:
        """Raise _Unsupported before writing if any predicate needs what this writer lacks."""
        for _, p, o in triples:
            self.key(p, o)

    def node_id(self, node: Node) -> str:
        """How a subject or an object reference is written."""
        found = self.ids.get(node)
        if found is None:
            found = self.ids[node] = (node.n3() if isinstance(node, BNode)
                                      else str(self.ctx.shrink_iri(node)))
        return found

    def value(self, key: str, o: Node) -> Any:
        """An object as a JSON value."""
        if key == "@type" and isinstance(o, URIRef):
            return self.ctx.to_symbol(o)
        if not isinstance(o, Literal):
            return {"@id": self.node_id(o)}
        if o.datatype:
            if str(o.datatype) in NATIVE_TYPES:
                return o.toPython()
            return {"@type": self.ctx.to_symbol(o.datatype), "@value": str(o)}
        if o.language:
            return {"@language": o.language, "@value": str(o)}
        return str(o)


class _Unsupported(Exception):
    """A term this writer does not compact (typed or container terms): use rdflib's writer."""


def _order(value: Any) -> str:
    """``json.dumps(value, sort_keys=True)``: how a key's values are ordered.

    Faster for the common shapes: a string, a node reference, a typed value.
    """
    if isinstance(value, str):
        return _ascii(value)
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return "{" + ", ".join(f"{_ascii(k)}: {_ascii(value[k])}" for k in sorted(value)) + "}"
    return json.dumps(value, sort_keys=True)


def iter_json(obj: Any, pad: str = "") -> Iterator[str]:
    """``json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False)`` in pieces.

    Faster (``indent`` makes ``json`` fall back to its pure-Python encoder, the slow part at
    scale), and written piece by piece, so a large graph is never one string in memory.
    """
    if isinstance(obj, str):
        yield _utf8(obj)
        return
    if isinstance(obj, dict):
        pairs = [(_utf8(k) + ": ", obj[k]) for k in sorted(obj)]
        brackets = "{}"
    elif isinstance(obj, list):
        pairs, brackets = [("", item) for item in obj], "[]"
    else:
        yield json.dumps(obj)
        return
    if not pairs:
        yield brackets
        return
    inner = pad + " "
    yield brackets[0]
    for i, (key, item) in enumerate(pairs):
        yield ("\n" if i == 0 else ",\n") + inner + key
        yield from iter_json(item, inner)
    yield "\n" + pad + brackets[1]


def json_text(obj: Any, pad: str = "") -> str:
    """``"".join(iter_json(obj, pad))`` as one string, made without a generator per value.

    A node object is small: its text is built at once (the generators' overhead was ~half of
    writing JSON-LD); ``iter_json`` stays for what is written piece by piece.
    """
    if isinstance(obj, str):
        return _utf8(obj)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        inner = pad + " "
        sep = ",\n" + inner
        return ("{\n" + inner
                + sep.join(_utf8(k) + ": " + json_text(obj[k], inner) for k in sorted(obj))
                + "\n" + pad + "}")
    if isinstance(obj, list):
        if not obj:
            return "[]"
        inner = pad + " "
        sep = ",\n" + inner
        return "[\n" + inner + sep.join(json_text(v, inner) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj)


def pretty_json(obj: Any) -> str:
    """``json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False)``, only faster."""
    return "".join(iter_json(obj))


def iter_jsonld_nodes(triples: Iterable[Triple], context: dict) -> Iterator[dict]:
    """Compacted node objects, one per subject, in ``@id`` order, values sorted; one at a time."""
    comp = _Compactor(context)
    groups = by_subject(triples)
    for node_id, subject in sorted((comp.node_id(s), s) for s in groups):
        yield compact_node(comp, node_id, groups[subject])


def compact_node(comp: _Compactor, node_id: str, triples: Iterable[Triple]) -> dict:
    """One subject's node object: its triples' values under their keys, each key's sorted."""
    return _node(comp, node_id, ((comp.key(p, o), o) for _, p, o in triples))


def keyed_groups(comp: _Compactor, triples: Iterable[Triple]) -> dict[Node, list[tuple[str, Node]]]:
    """Each subject's (key, object) pairs, in one pass; raise _Unsupported before any is written.

    One pass where there were three (the list check, every key checked, the triples grouped by
    subject), and each triple's key found once, not twice: ~30% of the writer at 1,000x.
    """
    groups: dict[Node, list[tuple[str, Node]]] = {}
    key = comp.key
    for s, p, o in triples:
        pair = (key(p, o), o)
        group = groups.get(s)
        if group is None:
            groups[s] = [pair]
        else:
            group.append(pair)
    if any(sig[0] == RDF.first for sig in comp.keys):  # each predicate's kinds, met once
        raise _Unsupported("rdf:first")
    return groups


def _node(comp: _Compactor, node_id: str, pairs: Iterable[tuple[str, Node]]) -> dict:
    """A node object from its (key, object) pairs: each key's values sorted."""
    node: dict[str, Any] = {"@id": node_id}
    for key, o in pairs:
        value = comp.value(key, o)
        have = node.get(key)
        if have is None:
            node[key] = value
        elif isinstance(have, list):
            have.append(value)
        else:
            node[key] = [have, value]
    for key, value in node.items():
        if isinstance(value, list):
            node[key] = sorted(value, key=_order)
    return node


def jsonld_nodes(triples: Iterable[Triple], context: dict) -> list[dict]:
    """Compacted node objects, one per subject, values and nodes sorted."""
    return list(iter_jsonld_nodes(triples, context))


def _rdflib_nodes(triples: Iterable[Triple], context: dict) -> list[dict]:
    """Node objects from rdflib's own writer (for shapes ``jsonld_nodes`` does not compact)."""
    data = json.loads(to_graph(triples).serialize(format="json-ld", context=context,
                                                  auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    return nodes


def write_jsonld(triples: Iterable[Triple], path: Path) -> None:
    """Write triples as compacted JSON-LD with the shipped context, sorted for determinism.

    Written node by node in the layout of ``json.dumps(doc, indent=1, sort_keys=True)``.
    """
    context = load_context()["@context"]
    triples = triples if isinstance(triples, (set, frozenset)) else set(triples)
    nodes: Iterable[dict]
    comp = _Compactor(context)
    try:
        groups = keyed_groups(comp, triples)
    except _Unsupported:
        nodes = _rdflib_nodes(triples, context)
    else:
        nodes = (_node(comp, node_id, groups.pop(s))
                 for node_id, s in sorted((comp.node_id(s), s) for s in groups))
    write_jsonld_chunks((json_text(node, "  ") for node in nodes), path)


def write_jsonld_chunks(chunks: Iterable[str], path: Path) -> None:
    """Write the JSON-LD file around its node objects, each already laid out (``iter_json``)."""
    with path.open("w", encoding="utf-8") as f:
        f.write('{\n "@context": ')
        f.writelines(iter_json(load_context()["@context"], " "))
        f.write(',\n "@graph": [')
        first = True
        for chunk in chunks:
            f.write("\n  " if first else ",\n  ")
            f.write(chunk)
            first = False
        f.write("]\n}\n" if first else "\n ]\n}\n")


def write_ontology(path: Path) -> None:
    """Copy the ontology the graph was built against."""
    shutil.copyfile(ONTOLOGY_FILE, path)
