"""The views' projections as a small directed multigraph: networkx's ``MultiDiGraph`` in its parts.

The pages use a projection as a container: nodes with attribute dicts, labelled edges between
them, keyed 0, 1, ... per pair, iterated in the order they were added. ``import networkx``
loads its algorithms, generators and readers too: ~75 ms of CPU, a quarter of the import floor
and a tenth of a shipped ``kg build``, for a class the build uses none of. This one keeps
networkx's storage (``_node``, ``_succ``, ``_pred``, one key dict shared by both ends), so
every iteration gives the same items in the same order, and offers the calls the views make
with networkx's names and results; ``tests/test_multigraph.py`` checks that against networkx.
A notebook that wants networkx's algorithms gets a real graph from ``kg.api`` (``networkx()``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any


class _Nodes:
    """``graph.nodes``: iterate ids, look up attributes, or ``(id, data)`` when called."""

    __slots__ = ("_node",)

    def __init__(self, node: dict[Any, dict]) -> None:
        self._node = node

    def __iter__(self) -> Iterator[Any]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __contains__(self, n: object) -> bool:
        return n in self._node

    def __getitem__(self, n: Any) -> dict:
        return self._node[n]

    def __call__(self, data: bool | str = False, default: Any = None) -> Iterable[Any]:
        """Ids; ``(id, attributes)`` with ``data=True``; ``(id, one attribute)`` with its name."""
        if data is False:
            return list(self._node)
        if data is True:
            return list(self._node.items())
        return [(n, d.get(data, default)) for n, d in self._node.items()]


class MultiDiGraph:
    """Directed graph with parallel edges, stored and iterated as networkx stores and iterates."""

    def __init__(self, **attr: Any) -> None:
        """An empty graph; keyword arguments (``name``) become graph attributes."""
        self.graph: dict[str, Any] = dict(attr)
        self._node: dict[Any, dict] = {}
        self._succ: dict[Any, dict[Any, dict[int, dict]]] = {}
        self._pred: dict[Any, dict[Any, dict[int, dict]]] = {}

    @property
    def name(self) -> str:
        """The graph's ``name`` attribute, "" if none."""
        return self.graph.get("name", "")

    @property
    def nodes(self) -> _Nodes:
        """The nodes: ``for n in g.nodes``, ``g.nodes[n]``, ``g.nodes(data=True)``."""
        return _Nodes(self._node)

    def __contains__(self, n: object) -> bool:
        return n in self._node

    def __iter__(self) -> Iterator[Any]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def _new(self, n: Any) -> None:
        if n is None:
            raise ValueError("None cannot be a node")
        self._succ[n] = {}
        self._pred[n] = {}
        self._node[n] = {}

    def add_node(self, n: Any, **attr: Any) -> None:
        """Add a node, or update the attributes of one already there."""
        if n not in self._succ:
            self._new(n)
        self._node[n].update(attr)

    def add_nodes_from(self, nodes: Iterable[Any], **attr: Any) -> None:
        """Add nodes given as ids or ``(id, attributes)`` pairs."""
        for n in nodes:
            try:
                new = n not in self._node
                own = attr
            except TypeError:  # an (id, attributes) pair: a dict is not hashable
                n, data = n
                new = n not in self._node
                own = {**attr, **data}
            if new:
                self._new(n)
            self._node[n].update(own)

    def add_edge(self, u: Any, v: Any, key: int | None = None, **attr: Any) -> int:
        """Add an edge (and its ends, if new); return its key: the first free 0, 1, ..."""
        for n in (u, v):
            if n not in self._succ:
                self._new(n)
        keydict = self._succ[u].get(v)
        if key is None:
            key = 0 if keydict is None else len(keydict)
            while keydict is not None and key in keydict:
                key += 1
        if keydict is not None:
            data = keydict.get(key)
            if data is None:
                data = keydict[key] = {}
            data.update(attr)
        else:
            keydict = {key: dict(attr)}
            self._succ[u][v] = keydict
            self._pred[v][u] = keydict
        return key

    def add_edges_from(self, edges: Iterable[tuple], **attr: Any) -> list[int]:
        """Add ``(u, v)``, ``(u, v, attributes)`` or ``(u, v, key, attributes)`` edges."""
        keys = []
        for e in edges:
            key, data = None, {}
            if len(e) == 4:
                u, v, key, data = e
            elif len(e) == 3:
                u, v, data = e
            elif len(e) == 2:
                u, v = e
            else:
                raise ValueError(f"Edge tuple {e} must be a 2-tuple, 3-tuple or 4-tuple.")
            keys.append(self.add_edge(u, v, key, **{**attr, **data}))
        return keys

    def edges(self, data: bool | str = False, keys: bool = False, default: Any = None
              ) -> list[tuple]:
        """Every edge by source (in node order), target (first edge's order), then key."""
        out: list[tuple] = []
        for u, nbrs in self._succ.items():
            for v, keydict in nbrs.items():
                for k, d in keydict.items():
                    value = d if data is True else d.get(data, default) if data else None
                    if keys:
                        out.append((u, v, k, value) if data is not False else (u, v, k))
                    else:
                        out.append((u, v, value) if data is not False else (u, v))
        return out

    def get_edge_data(self, u: Any, v: Any, key: int | None = None, default: Any = None) -> Any:
        """The edges from ``u`` to ``v`` by key (or one key's attributes), else ``default``."""
        try:
            return self._succ[u][v] if key is None else self._succ[u][v][key]
        except KeyError:
            return default

    def successors(self, n: Any) -> Iterator[Any]:
        """The nodes ``n`` has an edge to."""
        return iter(self._succ[n])

    def predecessors(self, n: Any) -> Iterator[Any]:
        """The nodes with an edge to ``n``."""
        return iter(self._pred[n])

    def out_degree(self, n: Any) -> int:
        """How many edges leave ``n`` (parallel edges each count)."""
        return sum(len(keydict) for keydict in self._succ[n].values())

    def number_of_nodes(self) -> int:
        """How many nodes."""
        return len(self._node)

    def number_of_edges(self) -> int:
        """How many edges (parallel edges each count)."""
        return sum(len(keydict) for nbrs in self._succ.values() for keydict in nbrs.values())
