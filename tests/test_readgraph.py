"""The views' read index answers as rdflib does, and the pages drawn from it are the same bytes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.paths import ONTOLOGY_FILE
from kg.render.readgraph import ReadGraph, view_graph
from kg.vocab import KG, RDF, RDFS, SKOS


@pytest.fixture(scope="module")
def pair(real) -> tuple[Graph, ReadGraph]:
    """The shipped graph with the ontology, as an rdflib Graph and as the read index."""
    g = real.union()
    g.parse(ONTOLOGY_FILE)
    return g, view_graph(real)


def _sample(items: list, n: int = 300) -> list:
    return random.Random(7).sample(items, min(n, len(items)))  # noqa: S311 - a test sample


def test_same_triples(pair):
    g, r = pair
    assert len(r) == len(g)
    assert set(r) == set(g)


def test_lookups_agree_with_rdflib(pair):
    g, r = pair
    triples = sorted(g, key=str)
    subjects = _sample(sorted({t[0] for t in triples}, key=str))
    objects = _sample(sorted({t[2] for t in triples}, key=str))
    predicates = sorted({t[1] for t in triples}, key=str)
    alt = KG.hasArm | KG.hasPopulation | KG.hasResult
    for s in subjects:
        for p in [*_sample(predicates, 20), alt, None]:
            assert sorted(r.objects(s, p)) == sorted(g.objects(s, p)), (s, p)
        assert sorted(r.predicate_objects(s)) == sorted(g.predicate_objects(s))
        assert sorted(r.triples((s, None, None))) == sorted(g.triples((s, None, None)))
    for o in objects:
        for p in [*_sample(predicates, 20), alt, None]:
            assert sorted(r.subjects(p, o)) == sorted(g.subjects(p, o)), (p, o)
    for p in [*predicates, alt]:
        assert sorted(r.subject_objects(p)) == sorted(g.subject_objects(p)), p
        assert sorted(r.objects(None, p)) == sorted(g.objects(None, p)), p
        assert sorted(set(r.subjects(p, None))) == sorted(set(g.subjects(p, None))), p


def test_value_and_membership_agree(pair):
    g, r = pair
    for s, p, o in _sample(sorted(g, key=str), 2000):
        assert (s, p, o) in r and (s, p, None) in r and (None, p, o) in r and (s, None, o) in r
        if len(set(g.objects(s, p))) == 1:  # with several values either may come first
            assert r.value(s, p) == g.value(s, p) == o
        if len(set(g.subjects(p, o))) == 1:
            assert r.value(None, p, o) == g.value(None, p, o) == s
    missing = URIRef("https://example.org/not-in-the-graph")
    assert (missing, RDF.type, None) not in r
    assert r.value(missing, RDFS.label) is None
    assert r.value(missing, RDFS.label, default=Literal("x")) == Literal("x")
    assert r.value(None, RDFS.label) is None  # two unknowns: rdflib answers None too
    assert list(r.objects(missing, SKOS.altLabel)) == []


def test_duplicates_are_dropped_unless_promised_distinct():
    t = (URIRef("urn:a"), RDFS.label, Literal("A"))
    assert len(ReadGraph([t, t])) == 1
    assert list(ReadGraph([t, t]).objects(t[0], t[1])) == [t[2]]


def test_pages_drawn_from_either_graph_are_identical(pair, tmp_path: Path):
    from kg.render.pages import write_site

    g, r = pair
    write_site(g, tmp_path / "rdflib")
    write_site(r, tmp_path / "index")
    files = sorted(p.relative_to(tmp_path / "rdflib") for p in (tmp_path / "rdflib").rglob("*")
                   if p.is_file())
    assert len(files) > 30
    assert files == sorted(p.relative_to(tmp_path / "index") for p in
                           (tmp_path / "index").rglob("*") if p.is_file())
    for f in files:
        assert (tmp_path / "rdflib" / f).read_bytes() == (tmp_path / "index" / f).read_bytes(), f


def _networkx_graphml(p, path: Path) -> None:
    """The GraphML networkx writes for the same scalar attributes (the reference layout)."""
    import networkx as nx

    flat = nx.MultiDiGraph()
    for n, a in p.nodes(data=True):
        flat.add_node(n, label=a["label"], kind=a["kind"], type=a["info"].type,
                      evidence=int(a.get("evidence", 0)),
                      identifiers=" ".join(c for c, _ in a["info"].ids))
    for s, o, a in p.edges(data=True):
        flat.add_edge(s, o, label=a.get("label", ""))
    nx.write_graphml(flat, path)


def test_graphml_streamed_as_networkx_writes_it(pair, tmp_path: Path):
    import networkx as nx

    from kg.render import projection as proj
    from kg.render.pages import write_graphml

    _g, r = pair
    full = proj.full(r)
    hostile = "a <b> & \"c\"\n'd'\t"  # what a label or IRI may hold, escaped alike
    full.add_node("urn:x&y\"z", label=hostile, kind="other", evidence=2,
                  info=proj.Info("other", hostile, hostile, ids=[("X:1", "")]))
    full.add_edge("urn:x&y\"z", next(iter(full.nodes)), label=hostile)
    full.add_edge("urn:x&y\"z", next(iter(full.nodes)), label="")
    write_graphml(full, tmp_path / "ours.graphml")
    _networkx_graphml(full, tmp_path / "networkx.graphml")
    ours = (tmp_path / "ours.graphml").read_bytes()
    assert ours == (tmp_path / "networkx.graphml").read_bytes()
    back = nx.read_graphml(tmp_path / "ours.graphml")
    assert back.number_of_nodes() == full.number_of_nodes()
    assert back.nodes["urn:x&y\"z"]["label"] == hostile


def _full_the_views_way(g):
    """The full projection as the other views make theirs: node by node, then canonical."""
    import networkx as nx

    from kg.render import projection as proj

    p = nx.MultiDiGraph(name="dti-kg")
    for cls in proj.KIND_OF_CLASS:
        if cls != KG.Document:
            for n in sorted(g.subjects(RDF.type, cls)):
                proj.add_node(p, g, n)
    proj._edges_among(p, g)
    proj.add_edges(p, g, [(s, d, "tests") for s, d in proj._studies_of_drugs(g)])
    return proj.canonical(p)


@pytest.mark.parametrize("which", ["rdflib", "index"])
def test_the_full_projection_in_one_pass_equals_the_views_way(pair, which):
    """Same nodes with the same attributes, same edges with the same keys, in the same order."""
    from kg.render import projection as proj

    g = pair[0] if which == "rdflib" else pair[1]
    want, got = _full_the_views_way(g), proj.full(g)
    assert got.graph == want.graph
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))
    assert list(got.edges(keys=True, data=True)) == list(want.edges(keys=True, data=True))
    assert got.number_of_edges() > got.number_of_nodes() > 100  # a real graph, not an empty one
    assert any(k > 0 for _, _, k in got.edges(keys=True))  # two relations between one pair


def test_literal_objects_enter_the_reverse_index_when_first_asked_in_their_order():
    """Reverse questions on a literal see every triple, added before or after, in order."""
    a, b, c, d = (URIRef(f"urn:{x}") for x in "abcd")
    one, two = Literal("1"), Literal("2")
    r = ReadGraph([(a, RDFS.label, one), (b, RDFS.label, one), (a, SKOS.altLabel, two),
                   (c, RDFS.label, one), (a, RDFS.seeAlso, b)], distinct=True)
    assert r._literals is not None and len(r._literals) == 4  # waiting, not hashed yet
    assert list(r.subjects(RDFS.label, b)) == []
    assert list(r.subjects(RDFS.seeAlso, b)) == [a]  # an IRI object: indexed at once
    assert r._literals is not None
    assert list(r.subjects(RDFS.label, one)) == [a, b, c]  # insertion order, as before
    assert r._literals is None
    r.update([(d, RDFS.label, one), (d, RDFS.label, one)])
    assert r.statements_in(one) == [(a, RDFS.label), (b, RDFS.label), (c, RDFS.label),
                                    (d, RDFS.label)]
    assert r.value(None, SKOS.altLabel, two) == a
    assert (None, RDFS.label, one) in r and len(r) == 6
    fresh = ReadGraph([(a, RDFS.label, one), (b, RDFS.label, one)])
    assert list(fresh.triples((None, None, one))) == [(a, RDFS.label, one), (b, RDFS.label, one)]
    assert ReadGraph([(a, RDFS.label, one)]).statements_in(one) == [(a, RDFS.label)]


@pytest.mark.parametrize("which", ["rdflib", "index"])
def test_the_index_page_and_graphml_from_the_lists_equal_those_from_the_graph(
        pair, which, tmp_path: Path):
    """The build writes from the projection's sorted lists; the bytes are the graph's."""
    from kg.render import projection as proj
    from kg.render.pages import write_graphml, write_index

    g = pair[0] if which == "rdflib" else pair[1]
    lists, graph = proj.full_lists(g), proj.full(g)
    assert list(graph.nodes) == [n for n, _ in lists.nodes]
    assert [(s, o, k, a["label"]) for s, o, k, a in graph.edges(keys=True, data=True)] == \
        lists.edges
    pages = [("study", "views/study-x.html", "X")]
    for name, made in (("lists", lists), ("graph", graph)):
        write_graphml(made, tmp_path / f"{name}.graphml")
        write_index(g, made, pages, tmp_path / f"{name}.html")
    assert (tmp_path / "lists.graphml").read_bytes() == (tmp_path / "graph.graphml").read_bytes()
    assert (tmp_path / "lists.html").read_bytes() == (tmp_path / "graph.html").read_bytes()
    assert b"<edge " in (tmp_path / "lists.graphml").read_bytes()


def test_the_search_index_as_text_is_the_json_of_the_index(pair):
    """Entries encoded one by one and joined give the text ``json.dumps`` gives of the whole."""
    import json

    from kg.render import projection as proj
    from kg.render.search import search_index, search_index_json

    _g, r = pair
    nodes = proj.full_lists(r).nodes
    names = {"study": "Study", "drug": "Drug"}
    text = search_index_json(r, nodes, names)
    assert text == json.dumps(search_index(r, nodes, names), ensure_ascii=False, sort_keys=True)
    assert json.loads(text)["index"][0]["tier"] == 1  # ranked: studies first
    assert search_index_json(r, [], names).endswith('"index": []}')
