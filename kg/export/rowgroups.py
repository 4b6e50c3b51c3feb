"""Evidence tables redone only where an edit reaches: rows kept per anchor node across builds.

Why: at 1,000x the ``evidence`` table alone took ~2 s of every edit's store work, to rewrite
rows of which an edit changes a few dozen. A table whose spec says ``# rows: NAME, reach N``
promises that its rows are grouped by the node ?NAME (its first column and first ORDER BY
key) and that a row reads only statements whose subject is that node or lies at most N forward
steps (subject to object) from it. Then a changed statement can only move the rows of anchors
from which its subject is at most N steps away: starting from the subjects whose statements
changed since the last build (the TriG blocks' digests, ``kg.export.chunks.merged_trig``), N
steps backwards over the new graph find them all (a path that an edit cut passes through a
changed subject nearer the anchor, so the new graph suffices). Only those anchors' rows are
queried again (the query with ``VALUES ?NAME`` in each of its blocks), and merged with the last
build's other rows, which are read back from its CSV file by the byte ranges noted then.

Anything unknown (no last state, another code or ontology, a CSV file that is not the one
noted, an edit reaching a large part of the graph) queries the whole table, as a clean build
does. ``tests/test_rowgroups.py`` compares both, byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.cache import BuildCache
    from kg.export.tables import TableSpec

KIND = "tables"  # the cache's folder
STATE = "rowgroups.pickle"
LARGE = 0.05  # an edit reaching more nodes than this share of the graph's: queried whole


def groups(data: bytes) -> tuple[int, list[str], list[int]]:
    """A CSV text's header length, and each run of rows with the same first cell: its end.

    A quoted cell may span lines: the reader is fed line by line, and how many lines each row
    took gives its end.
    """
    lines = data.splitlines(keepends=True)
    ends: list[int] = []
    offset = 0
    consumed = 0
    anchors: list[str] = []

    def feed() -> Iterator[str]:
        nonlocal offset, consumed
        for line in lines:
            offset += len(line)
            consumed += 1
            yield line.decode("utf-8")

    reader = csv.reader(feed())
    header = next(reader, None)
    head = offset
    if header is None:
        return 0, [], []
    for row in reader:
        first = row[0] if row else ""
        if anchors and anchors[-1] == first:
            ends[-1] = offset
        else:
            anchors.append(first)
            ends.append(offset)
    return head, anchors, ends


def restricted(query: str, anchor: str, nodes: list[str]) -> str:
    """The query with ``VALUES ?anchor { ... }`` opening each of its blocks."""
    values = f"VALUES ?{anchor} {{ " + " ".join(f"<{n}>" for n in nodes) + " }"
    return re.sub(r"\bWHERE\s*\{", lambda m: f"{m.group(0)}\n  {values}", query)


def reaching(store: object, subjects: set[str], steps: int, limit: int) -> set[str] | None:
    """Every node from which one of ``subjects`` is at most ``steps`` forward steps away.

    None when they pass ``limit`` (then the caller queries the whole table).
    """
    import pyoxigraph as ox

    seen = set(subjects)
    frontier = list(subjects)
    for _ in range(steps):
        nxt = []
        for node in frontier:
            for quad in store.quads_for_pattern(None, None, ox.NamedNode(node)):  # type: ignore[attr-defined]
                s = quad.subject
                if isinstance(s, ox.NamedNode) and s.value not in seen:
                    seen.add(s.value)
                    nxt.append(s.value)
        if len(seen) > limit:
            return None
        frontier = nxt
    return seen


class RowGroups:
    """The last build's table rows by anchor, and the subjects whose statements changed since.

    ``digests`` are this build's (``graph NUL subject`` -> digest of its TriG block). Made in
    the build's store thread; ``save`` keeps this build's state once its tables are known.
    """

    def __init__(self, cache: BuildCache, digests: dict[str, bytes], key: str) -> None:
        """Read the last state; nothing is reused unless its ``key`` (code, ontology) matches."""
        self.cache, self.key = cache, key
        self.digests = digests
        self.kept = cache.table(KIND, "digests")
        state = cache.get(KIND, STATE)
        self.index: dict[str, tuple[str, int, list[str], list[int]]] = {}
        self.changed: set[str] | None = None  # subjects; None: the last state is unknown
        self.new_index: dict[str, tuple[str, int, list[str], list[int]]] = {}
        if isinstance(state, dict) and state.get("key") == key and self.kept.entries:
            self.index = state["index"]
            old = {k: d for k, d in self.kept.entries.items() if d is not None}
            keys = {k for k in old.keys() ^ digests.keys()}
            keys.update(k for k, d in digests.items() if old.get(k, d) != d)
            self.changed = {k.split("\0", 1)[1] for k in keys}
        self.reused = 0  # tables merged rather than queried whole (for tests and reports)

    def previous(self, spec: TableSpec, folder: Path) -> tuple[bytes, tuple] | None:
        """The last build's CSV of this table, if it is the one noted, and its groups."""
        noted = self.index.get(spec.name)
        if noted is None:
            return None
        try:
            data = (folder / spec.csv_name).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != noted[0]:
            return None
        return data, noted[1:]

    def rows(self, store: object, spec: TableSpec, folder: Path) -> bytes | None:
        """The table's CSV made from the last build's rows and the changed anchors', or None."""
        from kg.export.tables import query_csv

        if spec.anchor is None or self.changed is None:
            return None
        got = self.previous(spec, folder)
        if got is None:
            return None
        data, (head, anchors, ends) = got
        limit = max(1000, int(LARGE * len(self.digests)))
        near = reaching(store, self.changed, spec.reach, limit) if self.changed else set()
        if near is None:
            return None
        fresh = (query_csv(store, restricted(spec.query, spec.anchor, sorted(near)))
                 if near else data[:head])
        if fresh[:head] != data[:head]:  # another header: never merge
            return None
        new_head, new_anchors, new_ends = groups(fresh)
        parts: list[tuple[str, bytes]] = []
        start = head
        for a, end in zip(anchors, ends, strict=True):
            if a not in near:
                parts.append((a, data[start:end]))
            start = end
        start = new_head
        added = []
        for a, end in zip(new_anchors, new_ends, strict=True):
            added.append((a, fresh[start:end]))
            start = end
        merged = sorted(parts + added, key=lambda p: p[0]) if added else parts
        out = [data[:head]]
        out_anchors, out_ends = [], []
        at = head
        for a, block in merged:
            out.append(block)
            at += len(block)
            out_anchors.append(a)
            out_ends.append(at)
        text = b"".join(out)
        self.new_index[spec.name] = (hashlib.sha256(text).hexdigest(), head, out_anchors,
                                     out_ends)
        self.reused += 1
        return text

    def note(self, spec: TableSpec, data: bytes) -> None:
        """Note a table queried whole, so the next build can reuse its rows."""
        if spec.anchor is not None and spec.name not in self.new_index:
            self.new_index[spec.name] = (hashlib.sha256(data).hexdigest(), *groups(data))

    def save(self) -> None:
        """Keep this build's digests and tables' groups (entered only if the build succeeds).

        The digests are kept as a base and a delta (``kg.cache.Table``), where an entry that
        is not in the delta comes from the base: a subject gone since the base was written is
        kept as None in the delta, and read as absent.
        """
        old = self.kept.entries
        same: dict[str, bytes | None] = {
            k: (o if (o := old.get(k)) == d else d) for k, d in self.digests.items()}
        for k in old.keys() - self.digests.keys():
            same[k] = None
        self.kept.save(same)
        self.cache.put(KIND, STATE, {"key": self.key, "index": self.new_index})
