"""kg.render.pages.Network makes the very node and edge dicts pyvis's Network makes.

The pages no longer import ``pyvis.network`` (it loads IPython: 50 ms of every build); the
data they hand vis-network must stay what pyvis assembled, key for key.
"""

from __future__ import annotations

import networkx as nx
import pytest
from pyvis.network import Network as PyvisNetwork

from kg.render import pages
from kg.render.pages import Network


def _both(calls: list[tuple[str, tuple, dict]]) -> tuple[Network, PyvisNetwork]:
    ours, theirs = Network(), PyvisNetwork(directed=True)
    for method, args, kwargs in calls:
        getattr(ours, method)(*args, **kwargs)
        getattr(theirs, method)(*args, **kwargs)
    return ours, theirs


def test_nodes_and_edges_as_pyvis_makes_them():
    calls = [("add_node", ("a",), {"label": "A", "title": "t", "color": "#111", "shape": "box",
                                   "size": 12, "kind": "study", "x": 1.5, "y": -2}),
             ("add_node", ("b",), {"label": "", "kind": "drug"}),  # no label: the id shown
             ("add_node", ("c",), {"group": "g1", "label": "C"}),  # a group: no colour given
             ("add_node", ("a",), {"label": "again"}),  # a second add of an id is ignored
             ("add_node", (7,), {}),
             ("add_edge", ("a", "b"), {"label": "treats", "title": "treats"}),
             ("add_edge", ("b", "a"), {"title": "back"}),
             ("add_edge", ("a", "b"), {"title": "twice"}),  # directed: kept
             ("add_edge", ("c", 7), {"arrows": "from"})]
    ours, theirs = _both(calls)
    assert ours.nodes == theirs.nodes
    assert ours.edges == theirs.edges


def test_edge_to_unknown_node_refused():
    net = Network()
    net.add_node("a")
    with pytest.raises(ValueError, match="no such node"):
        net.add_edge("a", "z")


def test_network_data_unchanged(monkeypatch: pytest.MonkeyPatch):
    p = nx.MultiDiGraph()
    p.add_node("s", kind="study", label="A long study label that is shortened", evidence=3)
    p.add_node("d", kind="drug", label="sorafenib", caption="sora")
    p.add_node("x", kind="no-such-kind", label="other")
    p.add_edge("s", "d", label="tests")
    p.add_edge("d", "x")
    got = pages.network_data(p, "", "index.html")
    got_fixed = pages.network_data(p, "", "index.html", {n: (1.0, 2.0) for n in p})
    monkeypatch.setattr(pages, "Network", lambda: PyvisNetwork(directed=True))
    assert got == pages.network_data(p, "", "index.html")
    assert got_fixed == pages.network_data(p, "", "index.html", {n: (1.0, 2.0) for n in p})
