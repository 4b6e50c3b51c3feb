"""A build in pieces: each group of documents' quads kept and reused; graph-wide builders rerun.

Most builders state what one document says (its studies, results, sentences, evidence spans):
their quads for a document depend only on that document's file and text, on the entities and
identifier table, on the ontology and on the code. Those builders (``PER_DOCUMENT``) run once
per *group* of documents, over a corpus of that group alone, and their quads are cached under a
key of exactly those inputs. A group is a set of documents tied together because one describes
or extends a study another describes, or names a record another states (a study merged over
two documents, a claim resting on another file's result): those builders read across the group,
so the group is the unit. The other builders (``GRAPH_WIDE``: entities, contradictions, the
checks between documents, the graded summaries) read every document and run on every build.

Merging the pieces gives the same quads as running every builder over the whole corpus
(``tests/test_pieces.py`` compares them graph by graph); an edited file redoes its group's
piece and the graph-wide builders, nothing else.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg import model as m
from kg.builders import ORDER, BuildInput
from kg.paths import ONTOLOGY_DIR
from kg.triples import Triple

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.cache import BuildCache
    from kg.counts import Counts
    from kg.provenance import SourceText

PER_DOCUMENT = ("documents", "targets", "studies", "outcomes", "findings", "claims", "tables",
                "safety")
GRAPH_WIDE = tuple(name for name in ORDER if name not in PER_DOCUMENT)


@dataclass
class Piece:
    """The quads of one group of documents (or of the graph-wide builders: ``key`` empty)."""

    key: str
    graphs: dict[str, set[Triple]]
    per_builder: dict[str, int]
    subjects: dict[str, frozenset[Node]]  # per graph: what a merge looks up shared subjects in
    tally: Tally | None = None  # what counting its quads needs (``tally``), kept with them


# the subjects of each class, of each agent type (``kg:agentType``) and the hazard ratios
Tally = tuple[dict["Node", set["Node"]], dict["Node", set["Node"]], set["Node"]]


def tally(graphs: dict[str, set[Triple]]) -> Tally:
    """What ``kg.counts.count`` reads of a piece's quads, per piece: merged by ``count_pieces``.

    Counting walked every triple of the graph on every build (~0.2 s of a 300x edit); a
    piece's tally is kept with its quads, so an edit walks its own piece's and the
    graph-wide builders' alone.
    """
    from kg.counts import tally as tally_triples

    typed: dict[Node, set[Node]] = {}
    agents: dict[Node, set[Node]] = {}
    hazard_ratios: set[Node] = set()
    for triples in graphs.values():
        tally_triples(triples, typed, agents, hazard_ratios)
    return typed, agents, hazard_ratios


def count_pieces(pieces: list[Piece], triples: frozenset[Triple]) -> Counts:
    """``kg.counts.count(triples)`` of the merged pieces, from their tallies (tested equal).

    ``triples`` is every distinct triple of the pieces; a node typed in two pieces counts
    once, as in one graph.
    """
    from kg.counts import COUNTED, Counts, ontology_triples
    from kg.vocab import KG

    typed: dict[Node, list[set[Node]]] = {}
    agents: dict[Node, list[set[Node]]] = {}
    for piece in pieces:
        tallied = piece.tally if piece.tally is not None else tally(piece.graphs)
        for into, got in ((typed, tallied[0]), (agents, tallied[1])):
            for o, subjects in got.items():
                into.setdefault(o, []).append(subjects)
    onto = ontology_triples()
    nodes = {name: len(set().union(*(s for c in classes for s in typed.get(c, ()))))
             for name, classes in COUNTED}
    nodes["reviewed statements"] = len(set().union(*agents.get(KG.ManualAgent, ())))
    nodes["drafted statements"] = len(set().union(*agents.get(KG.TextMiningAgent, ())))
    hazard_ratios = set().union(*(p.tally[2] if p.tally is not None else tally(p.graphs)[2]
                                  for p in pieces))
    return Counts(len(triples) - sum(t in triples for t in onto), nodes, len(hazard_ratios))


def subjects_of(graphs: dict[str, set[Triple]]) -> dict[str, frozenset[Node]]:
    """Each graph's subjects."""
    return {name: frozenset(t[0] for t in triples) for name, triples in graphs.items()}


def _strings(obj: object, out: set[str]) -> None:
    """Every string inside a record (ids it names among them), walking dataclasses and tuples.

    Each dataclass's field names are looked up once per class (``dataclasses.fields`` per
    record was a third of grouping the documents, which runs on every build).
    """
    if type(obj) is str or isinstance(obj, str):
        out.add(obj)
        return
    names = _FIELDS.get(type(obj))
    if names is None:
        names = _FIELDS[type(obj)] = (
            tuple(f.name for f in dataclasses.fields(obj) if f.name != "loc")
            if dataclasses.is_dataclass(obj) and not isinstance(obj, type) else ())
    if names:
        for name in names:
            _strings(getattr(obj, name), out)
    elif isinstance(obj, (tuple, list, frozenset, set)):
        for item in obj:
            _strings(item, out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _strings(k, out)
            _strings(v, out)


_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's fields, as _strings walks them


def document_groups(files: Iterable[m.EvidenceFile]) -> list[list[m.EvidenceFile]]:
    """Documents tied by a shared study or a named record, in corpus order (union-find)."""
    files = list(files)
    parent = list(range(len(files)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    defines: dict[str, int] = {}  # a study id or full record id -> the first file stating it
    for i, f in enumerate(files):
        for full_id, _ in f.iter_records():
            for name in {full_id, full_id.split("/", 1)[0]}:
                if defines.setdefault(name, i) != i:
                    join(i, defines[name])
    for i, f in enumerate(files):
        said: set[str] = set()
        _strings(f, said)
        for word in said:
            j = defines.get(word)
            if j is None and "/" in word:
                j = defines.get(word.split("/", 1)[0])
            if j is not None and j != i:
                join(i, j)
    groups: dict[int, list[m.EvidenceFile]] = {}
    for i, f in enumerate(files):
        groups.setdefault(find(i), []).append(f)
    return [groups[k] for k in sorted(groups)]


def shared_key(sources: Path) -> str:
    """What every piece reads besides its documents: code, ontology, entities, identifiers."""
    from kg.cache import _hash_files, code_version

    h = hashlib.sha256(f"pieces {code_version()} {PER_DOCUMENT}".encode())
    _hash_files(h, ONTOLOGY_DIR)
    for name in ("entities.yaml", "identifiers.yaml"):
        path = sources / name
        h.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return h.hexdigest()


def piece_key(shared: str, group: list[m.EvidenceFile], sources: Path) -> str:
    """The key of a group's piece: the shared inputs, and each file's path, bytes and text."""
    h = hashlib.sha256(shared.encode())
    for f in group:
        h.update(f.path.encode() + b"\0" + Path(f.path).read_bytes() + b"\0")
        h.update(hashlib.sha256((sources / "texts" / f.document.text_file).read_bytes()).digest())
    return h.hexdigest()


def build_pieces(corpus: m.Corpus, texts: dict[str, SourceText], sources: Path,
                 cache: BuildCache,
                 run: Callable[[BuildInput, list[str]], tuple[dict[str, set[Triple]],
                                                              dict[str, int]]]
                 ) -> tuple[list[Piece], dict[str, int]]:
    """Each group's piece (from the cache when its key is unchanged), then the graph-wide one.

    ``run`` runs the builders named over an input: their quads per graph and their triples per
    builder (``kg.assemble`` passes ``run_builders``). Returns the pieces and the triples per
    builder over all of them, in run order.
    """
    shared = shared_key(sources)
    pieces: list[Piece] = []
    for group in document_groups(corpus.files):
        key = piece_key(shared, group, sources)
        got = cache.get("pieces", f"{key}.pickle")
        if not (isinstance(got, tuple) and len(got) == 4):  # absent, or of another shape
            ids = {f.document.id for f in group}
            sub = m.Corpus(corpus.entities, tuple(group),
                           {d: t for d, t in corpus.texts.items() if d in ids})
            graphs, per_builder = run(BuildInput(sub, texts), list(PER_DOCUMENT))
            got = (graphs, per_builder, subjects_of(graphs), tally(graphs))
            cache.put("pieces", f"{key}.pickle", got)
        pieces.append(Piece(key, *got))
    graphs, per_builder = run(BuildInput(corpus, texts), list(GRAPH_WIDE))
    pieces.append(Piece("", graphs, per_builder, subjects_of(graphs), tally(graphs)))
    return pieces, {name: sum(p.per_builder.get(name, 0) for p in pieces) for name in ORDER}


def merge_graphs(pieces: list[Piece]) -> dict[str, set[Triple]]:
    """One set of triples per named graph over every piece (a graph in one piece is not copied)."""
    graphs: dict[str, set[Triple]] = {}
    owned: set[str] = set()  # graphs whose set is a piece's own: copied before they grow
    for piece in pieces:
        for name, triples in piece.graphs.items():
            have = graphs.get(name)
            if have is None:
                graphs[name] = triples
                owned.add(name)
            else:
                if name in owned:
                    have = graphs[name] = set(have)
                    owned.discard(name)
                have |= triples
    return graphs
