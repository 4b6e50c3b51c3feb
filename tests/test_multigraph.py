"""The views' own MultiDiGraph behaves as networkx's, and the build no longer imports networkx."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import networkx
import pytest
from rdflib import Graph

from kg.render import groups, layout, pages, projection, search
from kg.render.multigraph import MultiDiGraph
from tests.test_templating import site_files


def _both(seed: int) -> tuple[networkx.MultiDiGraph, MultiDiGraph]:
    """The same made-up operations on a networkx graph and on ours."""
    rnd = random.Random(seed)  # noqa: S311 - made-up operations, not secrets
    theirs, ours = networkx.MultiDiGraph(name=f"g{seed}"), MultiDiGraph(name=f"g{seed}")
    ids = [f"urn:n{i}" for i in range(12)]
    for _ in range(60):
        op = rnd.randrange(6)
        a, b = rnd.choice(ids), rnd.choice(ids)
        attrs = {"kind": rnd.choice(["study", "drug", "arm"]), "label": f"{a} {rnd.random()}"}
        key = rnd.randrange(3)
        for g in (theirs, ours):
            if op == 0:
                g.add_node(a, **attrs)
            elif op == 1:
                g.add_nodes_from([a, (b, dict(attrs))], extra=1)
            elif op == 2:
                g.add_edge(a, b, label=attrs["kind"])
            elif op == 3:
                g.add_edge(a, b, key=key, label="keyed")
            elif op == 4:
                g.add_edges_from([(a, b), (b, a, {"label": "back"}), (a, a, 5, {"label": "self"})],
                                 w=2)
            else:
                g.add_edge(a, b)  # no attributes
    return theirs, ours


@pytest.mark.parametrize("seed", range(8))
def test_every_call_the_views_make_answers_as_networkx_does(seed: int):
    theirs, ours = _both(seed)
    assert ours.graph == theirs.graph and ours.name == theirs.name
    assert list(ours.nodes) == list(theirs.nodes) and len(ours.nodes) == len(theirs.nodes)
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.nodes(data="kind")) == list(theirs.nodes(data="kind"))
    assert list(ours.edges()) == list(theirs.edges())
    assert list(ours.edges(data=True)) == list(theirs.edges(data=True))
    assert list(ours.edges(data="label")) == list(theirs.edges(data="label"))
    assert list(ours.edges(keys=True)) == list(theirs.edges(keys=True))
    assert list(ours.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert ours.number_of_edges() == theirs.number_of_edges() > 20
    assert ours.number_of_nodes() == theirs.number_of_nodes()
    for n in theirs.nodes:
        assert n in ours and ours.nodes[n] == theirs.nodes[n]
        assert list(ours.successors(n)) == list(theirs.successors(n))
        assert list(ours.predecessors(n)) == list(theirs.predecessors(n))
        assert ours.out_degree(n) == theirs.out_degree(n)
        for m in theirs.nodes:
            assert ours.get_edge_data(n, m, default={}) == theirs.get_edge_data(n, m, default={})
            assert ours.get_edge_data(n, m, 0) == theirs.get_edge_data(n, m, 0)
    assert "urn:none" not in ours
    with pytest.raises(ValueError, match="None cannot be a node"):
        ours.add_edge(None, "urn:n1")


def test_the_pages_drawn_with_networkx_are_the_same_bytes(
        safety_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    ours = site_files(safety_graph, tmp_path / "ours")
    for module in (pages, projection, groups, layout, search):
        monkeypatch.setattr(module, "nx", networkx)
    theirs = site_files(safety_graph, tmp_path / "networkx")
    assert ours.keys() == theirs.keys()
    assert [k for k in ours if ours[k] != theirs[k]] == []
    assert any(k.endswith(".graphml") for k in ours) and any(k.startswith("views/") for k in ours)


def test_a_build_imports_no_networkx():
    code = ("import sys\nimport kg.pipeline, kg.render.pages, kg.render.readgraph\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'networkx'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
