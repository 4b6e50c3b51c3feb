"""Turtle, TriG and JSON-LD merged from each piece's serialised subjects, byte for byte.

Each file is sorted subject by subject, and a subject's block (Turtle ``s p o ; p o .``, a TriG
graph's indented block, a JSON-LD node object) depends on that subject's triples alone. So each
piece of a build (``kg/pieces.py``) keeps its subjects' TriG blocks in the cache beside its
quads, and a build merges the blocks of every piece in the files' order. A subject that more
than one piece states (a regimen many documents use, a drug the graph-wide summaries describe)
is written afresh from the union of its triples, as is every subject of the graph-wide piece.
The TriG blocks' digests then name each subject's statements, and key its Turtle and JSON-LD
blocks, read back from the last build's files (``kg.export.patched``): only the subjects whose
statements changed are written again (the graph-wide summaries' JSON-LD alone took 4 s at
1,000x). The result is the file the whole-graph writers in ``kg/export/rdf.py`` write
(``tests/test_pieces.py``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.export.rdf import _Compactor, _Unsupported, compact_node, iter_json, load_context
from kg.ids import graph_iri
from kg.triples import WRITER_PREFIXES, Triple, by_subject, ox_triples, trig_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from kg.cache import BuildCache
    from kg.pieces import Piece

T = TypeVar("T")
_TURTLE_BLOCK = re.compile(rb"(?m)^(?!\t)")
_TRIG_BLOCK = re.compile(rb"(?m)^\t(?!\t)")


def _body(data: bytes) -> bytes:
    """The serialisation without its ``@prefix`` lines."""
    i = 0
    while data.startswith(b"@prefix", i):
        i = data.index(b"\n", i) + 1
    return data[i:]


@cache
def header() -> bytes:
    """The ``@prefix`` lines pyoxigraph opens Turtle and TriG with (the same for both)."""
    a = URIRef("urn:x")
    data = ox.serialize(ox_triples([(a, a, a)]), format=ox.RdfFormat.TURTLE,
                        prefixes=WRITER_PREFIXES)
    return data[:len(data) - len(_body(data))]


def _split(body: bytes, pattern: re.Pattern[bytes], subjects: list[Node]) -> dict[Node, bytes]:
    """Cut a serialisation into its subjects' blocks (literals never hold a raw line break)."""
    starts = [m.start() for m in pattern.finditer(body) if m.start() < len(body)]
    if len(starts) != len(subjects):  # the writer's layout changed: never guess
        raise ValueError(f"{len(starts)} blocks for {len(subjects)} subjects")
    ends = [*starts[1:], len(body)]
    return {s: body[a:b] for s, a, b in zip(subjects, starts, ends, strict=True)}


def turtle_blocks(triples: Iterable[Triple]) -> dict[Node, bytes]:
    """Each subject's Turtle block, as ``write_turtle`` lays it out."""
    triples = list(triples)
    if not triples:
        return {}
    data = ox.serialize(ox_triples(triples), format=ox.RdfFormat.TURTLE, prefixes=WRITER_PREFIXES)
    return _split(_body(data), _TURTLE_BLOCK, sorted({t[0] for t in triples}, key=str))


def trig_blocks(iri: str, triples: Iterable[Triple]) -> tuple[bytes, dict[Node, bytes]]:
    """A named graph's opening line and each subject's block in it, as ``write_trig`` has them."""
    triples = list(triples)
    body = _body(trig_bytes([(iri, triples)]))
    opening = body[:body.index(b"\n") + 1]
    if not body.endswith(b"}\n"):
        raise ValueError(f"unexpected end of graph {iri}")
    return opening, _split(body[len(opening):-2], _TRIG_BLOCK,
                           sorted({t[0] for t in triples}, key=str))


def jsonld_blocks(triples: Iterable[Triple]) -> dict[Node, tuple[str, str]]:
    """Each subject's ``@id`` and node object, laid out as ``write_jsonld`` writes it.

    Raises ``_Unsupported`` for a shape that writer hands to rdflib (then so does the caller).
    """
    comp = _Compactor(load_context()["@context"])
    out: dict[Node, tuple[str, str]] = {}
    for subject, group in by_subject(triples).items():
        if any(p == RDF.first for _, p, _ in group):
            raise _Unsupported("rdf:first")
        node_id = comp.node_id(subject)
        out[subject] = node_id, "".join(iter_json(compact_node(comp, node_id, group), "  "))
    return out


def _cached(piece: Piece, cache: BuildCache, kind: str, make: Callable[[], T]) -> T:
    """A piece's blocks of one format: from the cache, or made and kept (graph-wide: made)."""
    if not piece.key:
        return make()
    name = f"{piece.key}.{kind}.pickle"
    got = cache.get("pieces", name)
    if got is None:
        got = make()
        cache.put("pieces", name, got)
    return got  # type: ignore[return-value]


def _of(piece: Piece, names: Iterable[str] | None = None
        ) -> Callable[[set[Node]], Iterator[Triple]]:
    """The piece's triples (in the graphs named, or all) whose subject is one of those asked.

    Only the graphs holding such a subject are read: shared subjects are few (regimens, in
    the entities graph) and a piece's document graph is most of it.
    """
    def triples(mixed: set[Node]) -> Iterator[Triple]:
        for name in piece.graphs if names is None else names:
            if not mixed.isdisjoint(piece.subjects[name]):
                yield from (t for t in piece.graphs[name] if t[0] in mixed)
    return triples


def subject_keys(digests: dict[str, bytes]) -> dict[str, bytes]:
    """Each subject's statements, as the digests of its TriG block in every graph stating it.

    A subject's Turtle and JSON-LD blocks are a function of its triples over all graphs, and
    its TriG blocks' digests name those triples exactly.
    """
    by: dict[str, list[bytes]] = {}
    for k, d in digests.items():
        name, _, subject = k.partition("\0")
        by.setdefault(subject, []).append(name.encode() + b"\0" + d)
    return {subject: b"\1".join(sorted(parts)) for subject, parts in by.items()}


@cache
def _writers_key() -> str:
    """What a block is made with besides its statements; a table of blocks is kept under it.

    The code, the libraries and the ontology folder (the JSON-LD context is there).
    """
    from kg.cache import _hash_files, code_version
    from kg.paths import ONTOLOGY_DIR

    h = hashlib.sha256(f"blocks {code_version()}".encode())
    _hash_files(h, ONTOLOGY_DIR)
    return h.hexdigest()[:20]


Lane = tuple[bytes, list[str], list[bytes], list[bytes]]  # one piece's part of one graph


def _lanes(graphs: dict[str, set[Triple]]) -> dict[str, Lane]:
    """Each graph of a piece's: its opening line, and its subjects' keys, blocks and digests.

    In the file's order (by subject); a key is ``graph name NUL subject``, as ``digests``
    names it. Made once per piece and kept: a build then merges lists, subject by subject in
    C, instead of looking up, sorting and hashing every block again (~1 s at 1,000x).
    """
    out: dict[str, Lane] = {}
    for name, triples in graphs.items():
        if triples:
            opening, blocks = trig_blocks(str(graph_iri(name)), triples)
            parts = list(blocks.values())
            out[name] = (opening, [f"{name}\0{s}" for s in blocks], parts,
                         [hashlib.blake2b(b, digest_size=12).digest() for b in parts])
    return out


def _graph_wide_lanes(piece: Piece, cache: BuildCache) -> dict[str, Lane]:
    """The lanes of the graph-wide piece: a graph's kept while its triples are the same.

    The graph-wide builders run on every build, but an edit seldom changes what they state
    (summaries, checks between documents); comparing a graph's triples with the last build's
    (as sets, by their stored hashes) costs a fraction of serialising them again.
    """
    name = f"graph-wide-{_writers_key()}.lanes.pickle"
    last = cache.get("graph-wide", name)
    old: dict = last if isinstance(last, dict) else {}
    out: dict[str, Lane] = {}
    kept: dict[str, tuple[set[Triple], Lane]] = {}
    for graph, triples in piece.graphs.items():
        if not triples:
            continue
        was = old.get(graph)
        if was is not None and was[0] == triples:
            kept[graph] = was
        else:
            kept[graph] = triples, _lanes({graph: triples})[graph]
        out[graph] = kept[graph][1]
    if kept.keys() != old.keys() or any(kept[g] is not old[g] for g in kept):
        cache.put("graph-wide", name, kept)
    return out


def _merge_lanes(name: str, iri: str, have: list[tuple[Piece, Lane]]
                 ) -> tuple[list[str], list[bytes], list[bytes]]:
    """One graph's keys, blocks and digests over the pieces stating it, in the file's order.

    A subject that more than one piece states is written afresh from the union of its
    triples (a regimen many documents use).
    """
    keys = [k for _, lane in have for k in lane[1]]
    blocks = [b for _, lane in have for b in lane[2]]
    digs = [d for _, lane in have for d in lane[3]]
    if len(set(keys)) != len(keys):
        mixed = {k for k, n in Counter(keys).items() if n > 1}
        texts = {k.split("\0", 1)[1] for k in mixed}
        owners = [p for p, lane in have if not mixed.isdisjoint(lane[1])]
        nodes = {s for p in owners for s in p.subjects[name] if str(s) in texts}
        fresh = trig_blocks(iri, list({t for p in owners for t in _of(p, (name,))(nodes)}))[1]
        kept = [i for i, k in enumerate(keys) if k not in mixed]
        keys = [keys[i] for i in kept]
        blocks = [blocks[i] for i in kept]
        digs = [digs[i] for i in kept]
        for s, block in fresh.items():
            keys.append(f"{name}\0{s}")
            blocks.append(block)
            digs.append(hashlib.blake2b(block, digest_size=12).digest())
    order = sorted(range(len(keys)), key=keys.__getitem__)
    if len(order) > 1 and order != list(range(len(order))):
        pick = itemgetter(*order)
        keys, blocks, digs = list(pick(keys)), list(pick(blocks)), list(pick(digs))
    return keys, blocks, digs


def merged_trig(pieces: list[Piece], cache: BuildCache,
                digests: dict[str, bytes] | None = None) -> bytes:
    """``graph.trig``, from the pieces (one block per named graph, sorted by its IRI).

    ``digests``, if given, gets a short digest of every subject's block in every graph, keyed
    ``graph name NUL subject``: what incremental validation compares with the last build.
    """
    lanes = [_cached(p, cache, "lanes", lambda p=p: _lanes(p.graphs)) if p.key else
             _graph_wide_lanes(p, cache) for p in pieces]
    openings: dict[str, bytes] = {}
    for graphs in lanes:
        for name, lane in graphs.items():
            openings[name] = lane[0]
    out = [header()] if openings else []
    for iri, name in sorted((str(graph_iri(name)), name) for name in openings):
        have = [(p, graphs[name]) for p, graphs in zip(pieces, lanes, strict=True)
                if name in graphs]
        if len(have) == 1:
            keys, blocks, digs = have[0][1][1:]
        else:
            keys, blocks, digs = _merge_lanes(name, iri, have)
        out.append(openings[name])
        out += blocks
        out.append(b"}\n")
        if digests is not None:
            digests.update(zip(keys, digs, strict=True))
    return b"".join(out)


def _nodes(pieces: list[Piece], wanted: set[str] | None = None) -> dict[str, Node]:
    """The subjects of the pieces (those named in ``wanted``, or all) by their text."""
    out: dict[str, Node] = {}
    for piece in pieces:
        for names in piece.subjects.values():
            if wanted is None:
                out.update(zip(map(str, names), names, strict=True))
            else:
                out.update((t, s) for s in names if (t := str(s)) in wanted)
    return out


def jsonld_frame(n: int) -> tuple[bytes, bytes, bytes]:
    """The JSON-LD file's text around ``n`` node objects: head, separator, tail."""
    head = '{\n "@context": ' + "".join(iter_json(load_context()["@context"], " ")) + \
        ',\n "@graph": ['
    if not n:
        return head.encode(), b"", b"]\n}\n"
    return (head + "\n  ").encode(), b",\n  ", b"\n ]\n}\n"


def write_pieces(pieces: list[Piece], cache: BuildCache, turtle: Path, jsonld: Path,
                 everything: Callable[[], Iterable[Triple]], keys: dict[str, bytes]) -> None:
    """Write Turtle and JSON-LD from the pieces (JSON-LD by rdflib's rules where it must).

    ``keys``: each subject's statements as ``subject_keys`` names them. The last build's files
    (in the output folder the cache belongs to) give every block whose key is unchanged
    (``kg.export.patched``); the others are made from their triples.
    """
    from kg.export.patched import LastFiles
    from kg.export.rdf import write_jsonld

    last = LastFiles(cache, f"files-{_writers_key()}.pickle")
    found: dict[str, Node] = {}  # both formats ask for the same subjects: looked up once

    def triples_of(missing: set[str]) -> set[Triple]:
        if len(missing) == len(keys):  # a first build: every triple
            return {t for p in pieces for graph in p.graphs.values() for t in graph}
        if not missing <= found.keys():
            found.update(_nodes(pieces, missing - found.keys()))
        nodes = {found[s] for s in missing}
        return {t for p in pieces for t in _of(p)(nodes)}

    def turtle_made(missing: set[str]) -> dict[str, bytes]:
        triples = triples_of(missing)
        return {str(s): b for s, b in turtle_blocks(triples).items()}

    last.write("ttl", turtle, cache.out / turtle.name, keys, turtle_made, sorted,
               lambda n: (header() if n else b"", b"", b""))
    ids: dict[str, str] = {}  # each subject's @id, which orders the node objects

    def jsonld_made(missing: set[str]) -> dict[str, bytes]:
        triples = triples_of(missing)
        out = {}
        for s, (node_id, text) in jsonld_blocks(triples).items():
            ids[str(s)] = node_id
            out[str(s)] = text.encode()
        return out

    def jsonld_order(blocks: dict[str, bytes]) -> list[str]:
        if len(ids) < len(blocks):
            comp = _Compactor(load_context()["@context"])
            for name, node in _nodes(pieces, set(blocks) - ids.keys()).items():
                ids[name] = comp.node_id(node)
        return sorted(blocks, key=lambda s: (ids[s], blocks[s]))

    try:
        last.write("jsonld", jsonld, cache.out / jsonld.name, keys, jsonld_made, jsonld_order,
                   jsonld_frame)
    except _Unsupported:
        write_jsonld(everything(), jsonld)
    last.save()
