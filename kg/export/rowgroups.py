"""Evidence tables redone only where an edit reaches: rows kept per anchor node across builds.

Why: at 1,000x the ``evidence`` table alone took ~2 s of every edit's store work, to rewrite
rows of which an edit changes a few dozen. A table whose spec says ``# rows: NAME, reach N``
promises that its rows are grouped by the node ?NAME (its first column and first ORDER BY
key) and that a row reads only statements whose subject is that node or lies at most N forward
steps (subject to object) from it. Then a changed statement can only move the rows of anchors
from which its subject is at most N steps away: starting from the subjects whose statements
changed since the last build (the TriG blocks' digests, ``kg.export.chunks.merged_trig``), N
steps backwards over the new graph find them all (a path that an edit cut passes through a
changed subject nearer the anchor, so the new graph suffices). A spec may add ``from PARENT``:
its rows also read the node in column PARENT that points at the anchor (a study stating its
arms), and statements at most N - 1 steps from it; then the anchors that such a node reaching
a changed subject points at now, or pointed at in the last build's rows, are redone too (a
parent whose statements changed may have let go of its anchor). Only those anchors' rows are
queried again (the query with ``VALUES ?NAME`` in each of its blocks), and merged with the last
build's other rows, which are read back from its CSV file by the byte ranges noted then.

Anything unknown (no last state, another code or ontology, a CSV file that is not the one
noted, an edit reaching a large part of the graph) queries the whole table, as a clean build
does. ``tests/test_rowgroups.py`` compares both, byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import os
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


Groups = tuple[int, list[str], list[int], list[tuple[str, ...]]]


def groups(data: bytes, parent: int | None = None) -> Groups:
    """A CSV text's header length, and each run of rows with the same first cell: its end.

    Also, for each run, the cells of column ``parent`` (if given). A quoted cell may span
    lines: the reader is fed line by line, and how many lines each row took gives its end.
    """
    lines = data.splitlines(keepends=True)
    ends: list[int] = []
    offset = 0
    anchors: list[str] = []
    parents: list[tuple[str, ...]] = []

    def feed() -> Iterator[str]:
        nonlocal offset
        for line in lines:
            offset += len(line)
            yield line.decode("utf-8")

    reader = csv.reader(feed())
    header = next(reader, None)
    head = offset
    if header is None:
        return 0, [], [], []
    for row in reader:
        first = row[0] if row else ""
        cell = (row[parent],) if parent is not None and len(row) > parent else ()
        if anchors and anchors[-1] == first:
            ends[-1] = offset
            if cell and cell[0] not in parents[-1]:
                parents[-1] += cell
        else:
            anchors.append(first)
            ends.append(offset)
            parents.append(cell)
    return head, anchors, ends, parents


def parent_column(spec: TableSpec) -> int | None:
    """The index of the spec's parent column, if it names one."""
    names = [c.name for c in spec.columns]
    return names.index(spec.parent) if spec.parent is not None else None


def restricted(query: str, anchor: str, nodes: list[str]) -> str:
    """The query with ``VALUES ?anchor { ... }`` opening each of its blocks."""
    values = f"VALUES ?{anchor} {{ " + " ".join(f"<{n}>" for n in nodes) + " }"
    return re.sub(r"\bWHERE\s*\{", lambda m: f"{m.group(0)}\n  {values}", query)


def pointed_at(store: object, nodes: set[str], limit: int) -> set[str] | None:
    """Every node one of ``nodes`` points at (None past ``limit``)."""
    import pyoxigraph as ox

    out: set[str] = set()
    for node in nodes:
        for quad in store.quads_for_pattern(ox.NamedNode(node), None, None):  # type: ignore[attr-defined]
            o = quad.object
            if isinstance(o, ox.NamedNode):
                out.add(o.value)
        if len(out) > limit:
            return None
    return out


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
        self.index: dict[str, tuple] = {}  # table -> sha256 of its CSV, and its Groups
        self.changed: set[str] | None = None  # subjects; None: the last state is unknown
        self.changed_keys: set[str] | None = None  # their blocks (``graph NUL subject``)
        self.old: dict[str, bytes] = {}  # the last build's digests
        self.last_build: str | None = None  # the last build's token (``save``), if known
        self.build = os.urandom(12).hex()  # this build's, noted with what it keeps
        self.new_index: dict[str, tuple] = {}
        if isinstance(state, dict) and state.get("key") == key and self.kept.entries:
            self.index = state["index"]
            self.last_build = state.get("build")
            old = self.old = {k: d for k, d in self.kept.entries.items() if d is not None}
            keys = {k for k in old.keys() ^ digests.keys()}
            keys.update(k for k, d in digests.items() if old.get(k, d) != d)
            self.changed_keys = keys
            self.changed = {k.split("\0", 1)[1] for k in keys}
        self.reused = 0  # tables merged rather than queried whole (for tests and reports)

    def previous(self, spec: TableSpec, folder: Path) -> tuple[bytes, Groups] | None:
        """The last build's CSV of this table, if it is the one noted, and its groups."""
        noted = self.index.get(spec.name)
        if noted is None or len(noted) == 1:
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
        data, (head, anchors, ends, parents) = got
        near = self.near(store, spec, anchors, parents)
        if near is None:
            return None
        fresh = (query_csv(store, restricted(spec.query, spec.anchor, sorted(near)))
                 if near else data[:head])
        if fresh[:head] != data[:head]:  # another header: never merge
            return None
        new_head, new_anchors, new_ends, new_parents = groups(fresh, parent_column(spec))
        parts: list[tuple[str, bytes, tuple[str, ...]]] = []
        start = head
        for a, end, up in zip(anchors, ends, parents, strict=True):
            if a not in near:
                parts.append((a, data[start:end], up))
            start = end
        start = new_head
        added = []
        for a, end, up in zip(new_anchors, new_ends, new_parents, strict=True):
            added.append((a, fresh[start:end], up))
            start = end
        merged = sorted(parts + added, key=lambda p: p[0]) if added else parts
        out = [data[:head]]
        out_anchors, out_ends, out_parents = [], [], []
        at = head
        for a, block, up in merged:
            out.append(block)
            at += len(block)
            out_anchors.append(a)
            out_ends.append(at)
            out_parents.append(up)
        text = b"".join(out)
        self.new_index[spec.name] = (hashlib.sha256(text).hexdigest(), head, out_anchors,
                                     out_ends, out_parents)
        self.reused += 1
        return text

    def near(self, store: object, spec: TableSpec, anchors: list[str],
             parents: list[tuple[str, ...]]) -> set[str] | None:
        """The anchors whose rows an edit can have changed (and other nodes); None: too many.

        Those reaching a changed subject in ``reach`` steps; with a parent column, also those
        a node reaching one in ``reach - 1`` steps points at now, or pointed at in the last
        build's rows (its statements changed, so it may point elsewhere now).
        """
        if not self.changed:
            return set()
        limit = max(1000, int(LARGE * len(self.digests)))
        near = reaching(store, self.changed, spec.reach, limit)
        if near is None or spec.parent is None:
            return near
        up = reaching(store, self.changed, max(0, spec.reach - 1), limit)
        below = pointed_at(store, up, limit) if up is not None else None
        if up is None or below is None:
            return None
        near |= below
        near.update(a for a, ps in zip(anchors, parents, strict=True) if not up.isdisjoint(ps))
        return near if len(near) <= limit else None

    def table(self, store: object, spec: TableSpec, folder: Path) -> bytes:
        """The table's CSV: merged (``rows``) where it can be, else queried whole and noted.

        ``folder`` holds the last build's tables.
        """
        from kg.export.tables import query_csv

        got = self.rows(store, spec, folder)
        if got is None:
            got = query_csv(store, spec.query)
            self.note(spec, got)
        return got

    def note(self, spec: TableSpec, data: bytes) -> None:
        """Note a table queried whole, so the next build can reuse its rows (or all of it)."""
        if spec.name in self.new_index:
            return
        digest = hashlib.sha256(data).hexdigest()
        self.new_index[spec.name] = ((digest, *groups(data, parent_column(spec)))
                                     if spec.anchor is not None else (digest,))

    def unchanged(self, specs: list[TableSpec], folder: Path) -> dict[str, bytes] | None:
        """Every table as the last build wrote it, when no statement changed since; else None.

        Then the tables are the same queries over the same graph: nothing is queried.
        """
        if self.changed != set():
            return None
        texts = {}
        for spec in specs:
            noted = self.index.get(spec.name)
            try:
                data = (folder / spec.csv_name).read_bytes()
            except OSError:
                return None
            if noted is None or hashlib.sha256(data).hexdigest() != noted[0]:
                return None
            texts[spec.name] = data
        return texts

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
        self.cache.put(KIND, STATE, {"key": self.key, "index": self.new_index,
                                     "build": self.build})
