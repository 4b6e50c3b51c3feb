"""The GraphML written from the last build's file: an edit rewrites the nodes it changed alone.

Why: the GraphML is one element per node (in id order), then each node's edges (in the same
order), and after an edit all but a handful of nodes are as the last build drew them. Writing
54,000 node elements and 170,000 edges again, and finding every node's edges first, cost
~0.4 s of a 300x edit with pages. So each build notes the file's SHA-256 and the length of
every block (a node's element; a node's edges), with a digest of the node ids and each study's
drugs (its ``tests`` edges). The next build reads the last file back (from the output folder
it replaces) and, if it is the one noted and has the same nodes, copies it with the changed
nodes' blocks made again.

A node's blocks are the same bytes when (1) its display attributes were reused from the last
build (``Memo.reused``: the same value), (2) its own statements are unchanged
(``NodeKeys.changed``: its edges come from them), (3) the nodes are the same (an edge is drawn
only to a node of the projection) and (4) its study's drugs are the same. The code, libraries
and ontology are in the node keys' salt, noted with the file. ``tests/test_graphml.py`` and
``tests/test_pieces.py`` compare with clean builds byte for byte.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.cache import BuildCache
    from kg.render.pagecache import Memo, NodeKeys
    from kg.render.projection import Projected

FOLDER = "memo"  # the page cache's folder (``kg.render.pagecache.MEMO_FOLDER``)
NAME = "graphml.pickle"
FILE = "graph.graphml"
VERSION = 1
STRIDE = 4096  # blocks joined at a time when the whole file is written

KEYS = [("d5", "edge", "label", "string"), ("d4", "node", "identifiers", "string"),
        ("d3", "node", "evidence", "long"), ("d2", "node", "type", "string"),
        ("d1", "node", "kind", "string"), ("d0", "node", "label", "string")]
HEAD = ("<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        + "".join(f'  <key id="{key}" for="{kind}" attr.name="{name}" attr.type="{type_}" />\n'
                  for key, kind, name, type_ in KEYS)
        + '  <graph edgedefault="directed">\n')
TAIL = "  </graph>\n</graphml>\n"


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str) -> str:
    """A value escaped for an XML attribute, as networkx's writer escapes it."""
    return (_text(value).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#09;").replace("\r", "&#13;"))


def _data(key: str, value: str) -> str:
    return f'<data key="{key}">{_text(value)}</data>' if value else f'<data key="{key}" />'


def node_block(ident: str, a: dict) -> str:
    """One node's element (``ident`` already escaped)."""
    inf = a["info"]
    values = (("d0", a["label"]), ("d1", a["kind"]), ("d2", inf.type),
              ("d3", str(int(a.get("evidence", 0)))), ("d4", " ".join(c for c, _ in inf.ids)))
    return (f'    <node id="{ident}">\n' + "".join(f"      {_data(k, v)}\n" for k, v in values)
            + "    </node>\n")


def edge_lines(edges: list[tuple[str, str, int, str]], ids: dict[str, str]) -> str:
    """Edges as GraphML elements (``ids``: each node id escaped)."""
    return "".join(f'    <edge source="{ids.get(s) or attr(s)}" '
                   f'target="{ids.get(o) or attr(o)}" id="{k}">\n'
                   f'      {_data("d5", label)}\n    </edge>\n' for s, o, k, label in edges)


def _ids_digest(ids: list[str]) -> bytes:
    return hashlib.blake2b("\n".join(ids).encode(), digest_size=16).digest()


class LastGraphml:
    """The last build's GraphML, as noted in the cache, and whether its blocks can be kept."""

    def __init__(self, cache: BuildCache, keys: NodeKeys, memo: Memo) -> None:
        """Read the note of the last file; the file itself is read when it is asked for."""
        self.cache, self.keys, self.memo = cache, keys, memo
        state = cache.get(FOLDER, NAME)
        ok = (isinstance(state, dict) and state.get("version") == VERSION
              and state.get("salt") == keys.salt)
        self.state: dict = state if ok else {}  # type: ignore[assignment]
        self.data: bytes | None = None  # the last file, once checked
        self.patched = False  # written by patching (for tests and reports)
        self.kept = 0  # nodes whose blocks were kept
        self.ids: bytes | None = None  # the digest of the node ids, once made

    def skip(self, ids: list[str], tests: dict[str, frozenset[str]]
             ) -> Callable[[str], bool] | None:
        """Which nodes' blocks can be kept from the last file (None: none, write it whole)."""
        changed = self.keys.changed
        self.ids = _ids_digest(ids)
        if not self.state or changed is None or self.state["ids"] != self.ids:
            return None
        try:
            data = (self.cache.out / FILE).read_bytes()
        except OSError:
            return None
        lengths = self.state["lengths"]
        if (len(lengths) != 2 * len(ids)
                or len(HEAD) + sum(lengths) + len(TAIL) != len(data)
                or hashlib.sha256(data).hexdigest() != self.state["sha256"]):
            return None
        self.data = data
        old_tests, known, out, reused = self.state["tests"], self.keys.known, changed[0], \
            self.memo.reused

        def same(n: str) -> bool:
            return (reused(n) and n in known and n not in out
                    and tests.get(n) == old_tests.get(n))
        return same

    def write(self, p: Projected, path: Path) -> None:
        """Write ``p`` to ``path``: patched from the last file if ``skip`` allowed it."""
        ids = {n: attr(n) for n, _ in p.nodes}
        digest = hashlib.sha256()
        if self.data is not None:
            lengths = array("q", self.state["lengths"])
            n = len(p.nodes)
            view = memoryview(self.data)
            starts = list(accumulate(lengths, initial=len(HEAD)))
            parts: list[bytes | memoryview] = []
            pos = 0
            redo = [i for i, span in enumerate(p.spans) if span is not None]
            self.kept = n - len(redo)
            for i, made in [(i, node_block(ids[p.nodes[i][0]], p.nodes[i][1])) for i in redo] + [
                    (n + i, edge_lines(p.edges[p.spans[i][0]:p.spans[i][1]], ids))  # type: ignore[index]
                    for i in redo]:
                block = made.encode()
                parts += [view[pos:starts[i]], block]
                pos = starts[i] + lengths[i]
                lengths[i] = len(block)
            parts.append(view[pos:])
            with path.open("wb") as f:
                for part in parts:
                    f.write(part)
                    digest.update(part)
            del parts, view
            self.data = None  # the last file (50 MB at 1,000x) is not held to the end
            self.patched = True
        else:
            blocks = [node_block(ids[n], a).encode() for n, a in p.nodes]
            blocks += [edge_lines(p.edges[s[0]:s[1]], ids).encode()  # type: ignore[index]
                       for s in p.spans]
            lengths = array("q", map(len, blocks))
            with path.open("wb") as f:
                for chunk in [HEAD.encode()] + [b"".join(blocks[i:i + STRIDE])
                                                for i in range(0, len(blocks), STRIDE)] + [
                        TAIL.encode()]:
                    f.write(chunk)
                    digest.update(chunk)
        self.cache.put(FOLDER, NAME, {
            "version": VERSION, "salt": self.keys.salt,
            "ids": self.ids or _ids_digest([n for n, _ in p.nodes]),
            "tests": p.tests, "sha256": digest.hexdigest(), "lengths": lengths})

