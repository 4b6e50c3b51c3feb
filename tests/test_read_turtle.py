"""kg.triples.read_turtle: pyoxigraph's parse gives the very terms rdflib's parser gives.

The views index the ontology's triples beside the build's (class and term labels); they are now
parsed by pyoxigraph, so every literal's lexical form, datatype and language must come out as
rdflib's own Turtle parser makes them, or a page could change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.paths import ONTOLOGY_FILE, SHAPES_FILE
from kg.triples import read_turtle

TERMS = """@prefix ex: <http://example.org/> .
@prefix x: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:label "plain" , "en label"@en ;
    ex:n 42 , 1.50 , 2.5e0 , "007"^^x:integer , true , "2013-05-01"^^x:date ;
    ex:b [ ex:c ex:d ] ;
    ex:list ( 1 2 ) .
ex:a ex:label "plain" .
"""


def _rdflib(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _ours(path: Path) -> Graph:
    g = Graph()
    for t in read_turtle(path):
        g.add(t)
    return g


def test_ontology_terms_equal_rdflib_parse():
    want = _rdflib(ONTOLOGY_FILE)
    got = read_turtle(ONTOLOGY_FILE)
    assert len(got) == len(set(got)) == len(want)
    assert set(got) == set(want)


@pytest.mark.parametrize("path", [SHAPES_FILE, None, "string"])
def test_literals_and_blank_nodes_as_rdflib_makes_them(tmp_path: Path, path: Path | None):
    if path is None:
        path = tmp_path / "terms.ttl"
        path.write_text(TERMS, encoding="utf-8")
    elif path == "string":  # rdflib keeps an explicit xsd:string: read_turtle must too
        path = tmp_path / "string.ttl"
        path.write_text(TERMS.replace('"plain" ,', '"plain" , "typed"^^x:string ,'),
                        encoding="utf-8")
    want, got = _rdflib(path), _ours(path)
    if not isomorphic(want, got):
        _, only_want, only_got = graph_diff(to_isomorphic(want), to_isomorphic(got))
        pytest.fail(f"rdflib only: {sorted(only_want)}\nours only: {sorted(only_got)}")


def test_explicit_string_datatype_kept(tmp_path: Path):
    path = tmp_path / "string.ttl"  # written as rdflib writes it, so the fallback must see it
    path.write_text('<http://example.org/a> <http://example.org/p> '
                    '"s"^^<http://www.w3.org/2001/XMLSchema#string> .\n', encoding="utf-8")
    (o,) = [t[2] for t in read_turtle(path)]
    assert o.datatype == URIRef("http://www.w3.org/2001/XMLSchema#string")


def test_literal_forms_kept(tmp_path: Path):
    path = tmp_path / "terms.ttl"
    path.write_text(TERMS, encoding="utf-8")
    objects = {o for _, _, o in read_turtle(path)}
    ex = "http://example.org/"
    assert Literal("plain") in objects
    assert Literal("plain").datatype is None
    assert Literal("en label", lang="en") in objects
    assert Literal("007", datatype=XSD.integer) in objects  # normalised as rdflib does
    assert Literal("1.50", datatype=XSD.decimal) in objects
    assert URIRef(ex + "d") in objects


def test_shapes_compile_as_from_rdflib_parse():
    from kg.shapes_sparql import compile_graph, compile_shapes

    want = compile_graph(Graph().parse(SHAPES_FILE, format="turtle"))
    assert want  # the shapes do compile to checks
    assert compile_shapes(SHAPES_FILE) == want  # the same checks, in the same order


def test_counted_ontology_is_rdflib_parse():
    from kg.counts import ontology_triples

    assert ontology_triples() == frozenset(Graph().parse(ONTOLOGY_FILE, format="turtle"))
