"""Reuse a study page whose inputs did not change, so a rebuild redraws only what an edit touched.

A study page is a function of what its drawing reads of the graph, of the hazard-ratio rows
handed to it, and of the code. While a page is drawn, the read index records its footprint
(``ReadGraph.footprint``): the nodes whose statements it asked for, forward or in reverse. The
cache keeps the page with that footprint and a key: the code version, the page, its hazard-ratio
rows, and a digest of every footprint node's statements. The next build recomputes the key over
the same nodes in the new graph; if it matches, the stored page is written instead of drawing.

Why a match is enough: drawing is deterministic, and each answer it got is part of one
footprint node's statements. With those unchanged, a new drawing would ask the same questions,
get the same answers and write the same bytes. A page that asked a question naming no node
(every subject of a predicate) depends on the whole graph and is never stored. Answers are
compared as sets, which is sound because a build's pages do not depend on the order the graph
hands answers in (rdflib's is random per process; ``tests/test_cache.py`` compares cached and
clean builds byte for byte).

In a build in pieces a page is a memo (``study-pages``: its SHA-256 under the key of what it
read) and the page itself is the last output's file, hard-linked into the new output
(``PageCache.write``); without node keys the page is kept whole in ``.cache/pages/``. Like the
rest of the cache, entries are written only after the build has succeeded and swapped its
output in.

A node's digest comes, in a build in pieces, from what the build already knows (``NodeKeys``):
the digest of each subject's TriG block in each named graph (``BuildResult.digests``) gives a
node's own statements without hashing them again (with their literals' text, the page keys took
~10 s at 1,000x); the statements pointing at a node are hashed as before, as subject and
predicate (the subjects are IRIs or blank nodes: no literal to spell out).
Which nodes changed since the last build is found from the subjects whose digests differ
(``NodeKeys.since``): their own parts and the parts of the nodes they point at, before (each
subject's IRIs are noted with its digests) and now; every other node's parts are the last
build's (hashing every node's incoming statements again took ~0.2 s of a 300x edit).
The same keys let other drawings be reused across builds (``Memo``: a node's display attributes,
its search entry), each with the footprint of what it read.

Size: over 400 lines because the study pages, the memos and the node keys are one mechanism
(one footprint, one key, one notion of a changed node); split, each would import the others.
"""

from __future__ import annotations

import gc
import hashlib
import json
import pickle
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import URIRef

from kg.cache import _uri
from kg.render.readgraph import Footprint, ReadGraph

if TYPE_CHECKING:
    from kg.cache import BuildCache, Table

FOLDER = "pages"
MEMO_FOLDER = "memo"  # not "pages": the cache prunes each folder by the entries a build used
PARTS = "parts.pickle"  # in MEMO_FOLDER: every node's key parts, as the last build made them
PART_TABLES = ("out", "in", "objects")  # the tables of ``NodeKeys.parts`` (``parts-NAME``)
STUDY_PAGES = "study-pages"  # the memo of each study page's SHA-256 (``PageCache.write``)
T = TypeVar("T")


def _term(t: Any) -> str:
    return repr(t)  # type, lexical form, datatype and language: equal terms, equal text


def _stored(node: Any) -> Any:
    """A footprint node as kept: an IRI as plain text, else the term itself.

    Unpickling the URIRefs of every kept footprint took seconds at 1,000x. The text is
    interned: a node is in many footprints, and one string object is pickled once per table
    (the footprints were most of the memos' tables, ~1 KB a node at 300x, read every edit).
    """
    return sys.intern(str(node)) if type(node) is URIRef else node


def _node(kept: Any) -> Any:
    """The term a kept footprint node stands for."""
    return _uri(kept) if type(kept) is str else kept


def _tag(kept: Any) -> str:
    return kept if type(kept) is str else repr(kept)


class _KeptFootprint:
    """The footprint of a reused value, made into terms only if a recording block counts it."""

    __slots__ = ("_fp", "_names")
    wild = False

    def __init__(self, out: list[Any], into: list[Any]) -> None:
        self._names = out, into
        self._fp: Footprint | None = None

    def _made(self) -> Footprint:
        if self._fp is None:
            self._fp = Footprint()
            self._fp.out.update(map(_node, self._names[0]))
            self._fp.into.update(map(_node, self._names[1]))
        return self._fp

    @property
    def out(self) -> set[Any]:
        """The nodes read forward."""
        return self._made().out

    @property
    def into(self) -> set[Any]:
        """The nodes read in reverse."""
        return self._made().into


def stored(fp: Footprint) -> tuple[list[Any], list[Any]]:
    """A footprint as kept: its nodes out and in, as ``_stored``, in a stable order."""
    return (sorted(map(_stored, fp.out), key=_tag), sorted(map(_stored, fp.into), key=_tag))


class NodeKeys:
    """Digests of a node's statements, outgoing and incoming, from the build's block digests.

    ``subjects`` maps a subject to the digests of its TriG blocks in every named graph
    (``kg.export.chunks.subject_keys``): together they are a node's statements. The read index
    also holds the ontology's statements, which the salt (code and ontology files) stands for.
    """

    def __init__(self, graph: ReadGraph, subjects: dict[str, bytes], salt: str) -> None:
        """Keys over ``graph``, whose subjects' statements ``subjects`` names."""
        self._by = subjects
        self.graph = graph
        self.salt = salt
        self._in: dict[Any, bytes] = {}
        self._out_parts = _Parts(self._out_part)  # what ``key`` hashes for one node
        self._in_parts = _Parts(self._in_part)
        # the nodes whose parts differ from the last build's (``since``); None: not known
        self.changed: tuple[set[Any], set[Any]] | None = None
        self.known: frozenset[Any] | dict[Any, bytes] = frozenset()  # and the nodes it had
        # each subject's block digests and objects, for the next build's ``since``
        self._objects: dict[str, tuple[bytes, str]] | None = None

    def since(self, last: object) -> None:
        """Compare every node's parts with the last build's (``parts()`` as it was kept then).

        A value whose entry was checked in that build and none of whose nodes changed since
        needs no key of its own (``Memo.get``): two set tests instead of a hash of its parts.
        """
        if not (isinstance(last, dict) and last.get("salt") == self.salt):
            return
        touched = self._touched(last.get("objects"))
        if touched is not None:  # only these nodes' statements can differ (see ``_touched``)
            for parts, before, nodes in ((self._out_parts, last["out"], touched[0]),
                                         (self._in_parts, last["in"], touched[1])):
                parts.update(before)
                nodes.update(k for k in before if type(k) is not str)  # a literal: made again
                for k in nodes:
                    parts.pop(k, None)
            self.changed = tuple({k for k in nodes if k in before and parts[k] != before[k]}
                                 for parts, before, nodes in (
                                     (self._out_parts, last["out"], touched[0]),
                                     (self._in_parts, last["in"], touched[1])))  # type: ignore[assignment]
        else:
            self.changed = tuple({k for k, d in before.items() if parts[k] != d}
                                 for parts, before in ((self._out_parts, last["out"]),
                                                       (self._in_parts, last["in"])))  # type: ignore[assignment]
        self.known = last["out"]

    def _touched(self, last: object) -> tuple[set[Any], set[Any]] | None:
        """The subjects whose statements changed since the last build, and what they point at.

        A subject whose blocks have the same digests (``subjects``) states the same; a node's
        incoming statements are its subjects' statements, so only the objects, before and
        now, of the subjects whose digests differ can point differently. ``last`` is the
        last build's ``_objects``; None (not known, or a subject not an IRI): not known.
        """
        if not isinstance(last, dict):
            return None
        by, sp = self._by, self.graph._sp
        objects = dict(last)
        subjects = {s for s, (d, _) in last.items() if by.get(s) != d}
        subjects.update(s for s in by if s not in last)
        touched: set[Any] = set()
        for s in subjects:
            if s in last:
                touched.update(last[s][1].split("\n"))
            if s in by:
                term = _uri(s)
                if term not in sp and by[s]:
                    return None  # a blank node's text: not its term in the read index
                objects[s] = (by[s], self._objects_of(term))
                touched.update(objects[s][1].split("\n"))
            else:
                del objects[s]
        self._objects = objects
        return subjects, touched

    def _objects_of(self, term: Any) -> str:
        """The IRIs a subject points at, as one text (one line each: kept as they are)."""
        return "\n".join({o for objs in self.graph._sp.get(term, {}).values() for o in objs
                          if type(o) is URIRef})

    def unchanged(self, out: list[Any], into: list[Any]) -> bool:
        """True when no node of this footprint changed since the last build (see ``since``)."""
        return (self.changed is not None and self.changed[0].isdisjoint(out)
                and self.changed[1].isdisjoint(into))

    def parts(self) -> dict[str, Any]:
        """Every node's parts made in this build, to compare the next build's with."""
        if self._objects is None:
            sp = self.graph._sp
            self._objects = {s: (d, self._objects_of(term)) for s, d in self._by.items()
                             if (term := _uri(s)) in sp or not d}
        return {"salt": self.salt, "out": dict(self._out_parts), "in": dict(self._in_parts),
                "objects": self._objects}

    def out(self, node: Any) -> bytes:
        """A node's own statements, as the sorted digests of its blocks."""
        return self._by.get(str(node), b"")

    def into(self, kept: Any) -> bytes:
        """The statements pointing at a node: each predicate, and the sorted subjects along it.

        A hub (a drug, a disease) has thousands; they are joined as plain text, in C.
        """
        d = self._in.get(kept)
        if d is None:
            h = hashlib.blake2b(digest_size=16)
            for p, subjects in sorted(self.graph.subjects_by_predicate(_node(kept)),
                                      key=lambda item: str(item[0])):
                if set(map(type, subjects)) == {URIRef}:  # nearly always: no Python per IRI
                    text = "\n".join(sorted(map(str, subjects)))
                else:
                    text = "\n".join(sorted(f"{type(s).__name__} {s}" for s in subjects))
                h.update(f"\0{type(p).__name__} {p}\n{text}".encode())
            d = self._in[kept] = h.digest()
        return d

    def key(self, name: str, extra: bytes, out: list[Any], into: list[Any]) -> str:
        """A key of what a drawing read: these nodes' statements, out and in (as ``stored``).

        Each node's part (a digest of its name and statements) is made once per build (a node
        is read by many drawings: ~130,000 keys at 1,000x over far fewer nodes), and the parts
        are looked up and hashed without a Python loop per node.
        """
        h = hashlib.sha256(f"{self.salt}\n{name}\n".encode() + extra)
        h.update(b"".join(map(self._out_parts.__getitem__, out)))
        h.update(b"".join(map(self._in_parts.__getitem__, into)))
        return h.hexdigest()

    def _out_part(self, kept: Any) -> bytes:
        return _short(f"\no {_tag(kept)} ".encode() + self._by.get(str(kept), b""))

    def _in_part(self, kept: Any) -> bytes:
        return _short(f"\ni {_tag(kept)} ".encode() + self.into(kept))


def _short(part: bytes) -> bytes:
    """A node's part of a key, as a 16-byte digest.

    ~130,000 keys at 1,000x hashed each node's name and block digests (~100 bytes a node)
    again and again otherwise.
    """
    return hashlib.blake2b(part, digest_size=16).digest()


class _Parts(dict):
    """Each node's part of a key, made on first lookup."""

    def __init__(self, make: Callable[[Any], bytes]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, kept: Any) -> bytes:
        part = self[kept] = self._make(kept)
        return part


class Memo:
    """Values drawn from the read index, reused across builds while what they read is unchanged.

    One entry per name (a node's display attributes, its search entry): the value, the
    footprint of what computing it read, and ``NodeKeys.key`` of that footprint. A value reused
    counts its footprint as read by the block being recorded (the page that shows it).
    """

    def __init__(self, cache: BuildCache, kind: str, graph: ReadGraph, keys: NodeKeys) -> None:
        """The entries the last build kept for ``kind``."""
        self.cache, self.kind, self.graph, self.keys = cache, kind, graph, keys
        self.table = cache.table(MEMO_FOLDER, kind)
        self.old: dict[str, tuple] = self.table.entries
        self.new: dict[str, tuple] = {}
        self.hits = 0
        # the table's names the last build did not check (None: not known, check every key)
        stale = cache.get(MEMO_FOLDER, f"{kind}.stale.pickle")
        self.stale: set[str] | None = stale if isinstance(stale, set) else None

    def get(self, name: str, compute: Callable[[], T]) -> tuple[T, Any]:
        """The value and its footprint: kept, if what it read is unchanged, else computed."""
        entry = self.new.get(name)  # asked before in this build
        fresh = entry is not None
        if entry is None:
            entry = self.old.get(name)
        if entry is not None and len(entry) == 4:
            key, out, into, value = entry
            if fresh:
                sound = True
            elif (self.stale is not None and self.keys.changed is not None
                  and name not in self.stale):  # checked by the last build: a node changed?
                sound = self.keys.unchanged(out, into)
            else:
                sound = key == self.keys.key(name, b"", out, into)
            if sound:
                self.new[name] = entry
                kept = _KeptFootprint(out, into)
                self.graph.note(kept)  # type: ignore[arg-type]
                self.hits += not fresh
                return value, kept
        with self.graph.footprint() as fp:
            value = compute()
        if not fp.wild:
            out, into = stored(fp)
            self.new[name] = (self.keys.key(name, b"", out, into), out, into, value)
        return value, fp

    def reused(self, name: str) -> bool:
        """True when this build took ``name``'s value from the last build's entry.

        The same value: what is made of it alone (a node's GraphML element) is the same too.
        """
        entry = self.new.get(name)
        return entry is not None and entry is self.old.get(name)

    def save(self) -> None:
        """Keep this build's entries (written when the build is recorded).

        The table may keep entries of the last base that this build did not check: their
        names are kept too, so the next build checks those by their keys.
        """
        self.table.save(self.new)
        self.cache.put(MEMO_FOLDER, f"{self.kind}.stale.pickle",
                       set(self.table.base).difference(self.new))


class PageCache:
    """Stored study pages of one output folder, checked against the graph being drawn."""

    def __init__(self, cache: BuildCache, graph: ReadGraph,
                 subjects: dict[str, bytes] | None = None) -> None:
        """Pages of ``cache``'s folder; entries made now are written when the build is recorded.

        With the build's ``subjects`` keys (``kg.export.chunks.subject_keys``), node keys come
        from them (``NodeKeys``) and node attributes, search entries and rows are kept too
        (``memo``).
        """
        from kg.cache import code_version

        self.cache = cache
        self.folder = cache.folder / FOLDER
        self.graph = graph
        self.version = code_version()
        self.hits = 0
        self.misses = 0
        self._digests: dict[tuple[str, Any], str] = {}
        self.keys: NodeKeys | None = None
        self._memos: dict[str, Memo] = {}
        self._parts: dict[str, Table] = {}  # the node parts' tables (``_last_parts``)
        if subjects is not None:
            from kg.cache import _hash_files
            from kg.paths import ONTOLOGY_DIR

            salt = hashlib.sha256(f"node keys {self.version}".encode())
            _hash_files(salt, ONTOLOGY_DIR)  # the read index holds the ontology's statements
            self.keys = NodeKeys(graph, subjects, salt.hexdigest())

    def memo(self, kind: str) -> Memo | None:
        """The memo of one kind of drawing (None without block digests)."""
        if self.keys is None:
            return None
        if kind not in self._memos:
            self.load(kind)
        return self._memos[kind]

    def load(self, *kinds: str) -> None:
        """Read the memos of these kinds now, together (one pass of the collector for all).

        What was loaded lives to the end of the build: it is kept out of the collector's
        passes, which rescanned it on every full pass while the pages were drawn (~3 s of CPU
        after one edit at 1,000x, for nothing freed). Garbage is collected before the tables
        are read, not after: a pass after would walk every entry just read (~1 s at 1,000x).
        """
        kinds = tuple(k for k in kinds if k not in self._memos)
        if self.keys is None or not kinds:
            return
        gc.collect()
        if not self._memos:
            self.keys.since(self._last_parts())
        for kind in kinds:
            self._memos[kind] = Memo(self.cache, kind, self.graph, self.keys)
        gc.freeze()

    def _last_parts(self) -> dict | None:
        """The node parts the last build kept (``NodeKeys.parts``), or None.

        Kept as tables (``BuildCache.table``): an edit writes the parts it changed alone
        (every node's, ~20 MB at 300x, were pickled again on every build).
        """
        self._parts = {k: self.cache.table(MEMO_FOLDER, f"parts-{k}", exact=True)
                       for k in PART_TABLES}
        last = self.cache.get(MEMO_FOLDER, PARTS)
        if not (isinstance(last, dict) and isinstance(last.get("salt"), str)
                and last.get("sizes") == {k: len(t.entries) for k, t in self._parts.items()}):
            return None  # none kept, or not these tables (an older cache, a table lost)
        return {"salt": last["salt"], **{k: t.entries for k, t in self._parts.items()}}

    def save(self) -> None:
        """Keep the memos' entries, and the node parts they were checked against."""
        for memo in self._memos.values():
            memo.save()
        if self._memos and self.keys is not None:
            parts = self.keys.parts()
            for k, table in self._parts.items():
                table.save(parts[k])
            self.cache.put(MEMO_FOLDER, PARTS, {"salt": parts["salt"], "sizes": {
                k: len(parts[k]) for k in PART_TABLES}})

    def _digest(self, direction: str, node: Any) -> str:
        """A hash of one node's statements (outgoing or incoming), once per node and build."""
        if self.keys is not None:
            return (self.keys.out(node) if direction == "out" else self.keys.into(node)).hex()
        key = (direction, node)
        d = self._digests.get(key)
        if d is None:
            g = self.graph
            pairs = g.statements_out(node) if direction == "out" else g.statements_in(node)
            h = hashlib.sha256()
            for line in sorted(f"{_term(a)} {_term(b)}" for a, b in pairs):
                h.update(line.encode())
                h.update(b"\n")
            d = self._digests[key] = h.hexdigest()
        return d

    def _key(self, page: str, extra: object, out: list[Any], into: list[Any]) -> str:
        if self.keys is not None:
            return self.keys.key(page, json.dumps(extra, sort_keys=True, default=str).encode(),
                                 out, into)
        h = hashlib.sha256(f"{self.version}\n{page}\n".encode())
        h.update(json.dumps(extra, sort_keys=True, default=str).encode())
        for direction, nodes in (("out", out), ("in", into)):
            for node in nodes:
                h.update(f"\n{direction} {_term(node)} {self._digest(direction, node)}".encode())
        return h.hexdigest()

    def _entry(self, page: str) -> Path:
        name = hashlib.sha256(page.encode()).hexdigest()[:32]
        self.cache.used_pages.add(f"{name}.pickle")
        return self.folder / f"{name}.pickle"

    def write(self, page: str, extra: object, draw: Callable[[], bytes], target: Path) -> bool:
        """Put a study page at ``target``: linked from the last output if still sound, else drawn.

        ``draw`` writes the page at ``target`` and returns its bytes. With node keys, a page
        is a memo (``STUDY_PAGES``) of its bytes' SHA-256, keyed by what its drawing read and
        by its hazard-ratio rows (``extra``); when sound, the last output's file with those
        bytes (``BuildCache.last_output``) is hard-linked: no entry per page to read, unzip and
        write (~1,800 file opens at 300x). Without node keys, the page is kept in the cache
        (``reuse``/``keep``). True when the page was not drawn.
        """
        memo = self.memo(STUDY_PAGES)
        if memo is None:
            stored = self.reuse(page, extra)
            if stored is not None:
                target.write_bytes(stored)
                return True
            with self.graph.footprint() as fp:  # type: ignore[attr-defined]
                html = draw()
            self.keep(page, extra, fp, html)
            return False
        from kg.export.atomic import carry

        self.cache.used_pages.add(STUDY_PAGES)  # so the entries of older builds are pruned
        rows = hashlib.sha256(json.dumps(extra, sort_keys=True, default=str).encode())
        drawn: list[bytes] = []

        def make() -> str:
            drawn.append(draw())
            return hashlib.sha256(drawn[0]).hexdigest()

        digest, _ = memo.get(f"{page}\0{rows.hexdigest()}", make)
        if not drawn:
            last = self.cache.last_output(page, digest)
            if last is not None:
                carry(last, target)
                self.hits += 1
                return True
            draw()  # the last output lost it: drawn again (the same bytes, as its key says)
        self.misses += 1
        return False

    def reuse(self, page: str, extra: object) -> bytes | None:
        """The stored page, if what it read is unchanged; else None (draw it)."""
        try:
            stored = pickle.loads(self._entry(page).read_bytes())  # noqa: S301 - ours, below
            fresh = self._key(page, extra, stored["out"], stored["into"]) == stored["key"]
        except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError,
                ImportError, TypeError):
            fresh = False
        if not fresh:
            self.misses += 1
            return None
        self.hits += 1
        return zlib.decompress(stored["html"])

    def keep(self, page: str, extra: object, fp: Footprint, html: bytes) -> None:
        """Store a page just drawn with what it read (not if it read the whole graph)."""
        if fp.wild:
            return
        if self.keys is not None:
            out, into = stored(fp)
        else:
            out, into = sorted(fp.out, key=_term), sorted(fp.into, key=_term)
        entry = {"key": self._key(page, extra, out, into), "out": out, "into": into,
                 "html": zlib.compress(html, 1)}
        self.cache.pending[self._entry(page)] = pickle.dumps(entry,
                                                             protocol=pickle.HIGHEST_PROTOCOL)
