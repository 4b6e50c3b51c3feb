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

Entries live in ``.cache/pages/`` of the output folder and, like the rest of the cache, are
written only after the build has succeeded and swapped its output in.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.render.readgraph import Footprint, ReadGraph

if TYPE_CHECKING:
    from kg.cache import BuildCache

FOLDER = "pages"


def _term(t: Any) -> str:
    return repr(t)  # type, lexical form, datatype and language: equal terms, equal text


class PageCache:
    """Stored study pages of one output folder, checked against the graph being drawn."""

    def __init__(self, cache: BuildCache, graph: ReadGraph) -> None:
        """Pages of ``cache``'s folder; entries made now are written when the build is recorded."""
        from kg.cache import code_version

        self.cache = cache
        self.folder = cache.folder / FOLDER
        self.graph = graph
        self.version = code_version()
        self.hits = 0
        self.misses = 0
        self._digests: dict[tuple[str, Any], str] = {}

    def _digest(self, direction: str, node: Any) -> str:
        """A hash of one node's statements (outgoing or incoming), once per node and build."""
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
        out = sorted(fp.out, key=_term)
        into = sorted(fp.into, key=_term)
        entry = {"key": self._key(page, extra, out, into), "out": out, "into": into,
                 "html": zlib.compress(html, 1)}
        self.cache.pending[self._entry(page)] = pickle.dumps(entry,
                                                             protocol=pickle.HIGHEST_PROTOCOL)
