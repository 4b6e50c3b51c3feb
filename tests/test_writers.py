"""The RDF writers: fast paths equal the slow reference, and every file reads back to the graph."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.assemble import BuildResult, to_graph
from kg.export.rdf import (
    _order,
    _rdflib_nodes,
    jsonld_nodes,
    load_context,
    pretty_json,
    write_jsonld,
    write_trig,
    write_turtle,
)

TRICKY = ["plain", "Ünïcödé β", 'quote " and \\ backslash', "line\nbreak\ttab", "", "\u2028",
          {"@id": "https://w3id.org/dti-kg/id/x"}, {"@type": "xsd:decimal", "@value": "0.6"},
          {"@language": "en", "@value": "é"}, 7, -1, 0.5, True, False, None,
          {"nested": [1, {"b": [], "a": {}}]}, [], {}]


def test_the_fast_json_layout_is_jsons_own():
    for value in (TRICKY, {"@graph": TRICKY, "@context": {"kg": "x"}}, *TRICKY):
        assert pretty_json(value) == json.dumps(value, indent=1, sort_keys=True,
                                                ensure_ascii=False)
        assert _order(value) == json.dumps(value, sort_keys=True)


def test_jsonld_equals_rdflibs_writer_and_reads_back(real: BuildResult, tmp_path: Path):
    context = load_context()["@context"]
    assert jsonld_nodes(real.triples, context) == _rdflib_nodes(real.triples, context)
    path = tmp_path / "graph.jsonld"
    write_jsonld(real.triples, path)
    assert isomorphic(Graph().parse(path, format="json-ld"), to_graph(real.triples))


def test_turtle_and_trig_read_back_to_the_same_graphs(real: BuildResult, tmp_path: Path):
    write_turtle(real.triples, tmp_path / "g.ttl")
    assert isomorphic(Graph().parse(tmp_path / "g.ttl"), to_graph(real.triples))
    write_trig(real, tmp_path / "g.trig")
    ds = Dataset()
    ds.parse(tmp_path / "g.trig", format="trig")
    named = {str(g.identifier): g for g in ds.graphs() if len(g)}
    assert set(named) == {iri for iri, _ in real.named()}
    for iri, triples in real.named():
        assert isomorphic(named[iri], to_graph(triples)), iri
    write_trig(real.dataset, tmp_path / "from-rdflib.trig")  # the rdflib Dataset path agrees
    assert (tmp_path / "from-rdflib.trig").read_bytes() == (tmp_path / "g.trig").read_bytes()


def test_streamed_jsonld_has_jsons_layout_also_when_empty_or_with_a_list(tmp_path: Path):
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    context = load_context()["@context"]
    for triples in (set(), {(URIRef("https://w3id.org/dti-kg/id/x"), RDF.first, Literal(1)),
                            (URIRef("https://w3id.org/dti-kg/id/x"), RDF.rest, RDF.nil)},
                    {(BNode("b1"), URIRef("https://w3id.org/dti-kg/ontology#text"),
                      Literal('é " <'))}):
        path = tmp_path / "g.jsonld"
        write_jsonld(triples, path)
        listed = any(p == RDF.first for _, p, _ in triples)  # lists go through rdflib's writer
        nodes = (_rdflib_nodes if listed else jsonld_nodes)(triples, context)
        expected = json.dumps({"@context": context, "@graph": nodes}, indent=1, sort_keys=True,
                              ensure_ascii=False) + "\n"
        assert path.read_text(encoding="utf-8") == expected


def test_the_ontology_read_by_pyoxigraph_is_the_one_rdflib_reads():
    from rdflib import BNode

    from kg.counts import _ontology
    from kg.paths import ONTOLOGY_FILE

    def named(triples: object) -> set:
        return {t for t in triples if not any(isinstance(x, BNode) for x in t)}

    assert named(_ontology()) == named(Graph().parse(ONTOLOGY_FILE))
    assert len(_ontology()) == len(Graph().parse(ONTOLOGY_FILE))


def test_json_text_lays_out_as_iter_json():
    """The one-string layout of a node object is iter_json's, byte for byte."""
    from kg.assemble import build
    from kg.export.rdf import iter_json, iter_jsonld_nodes, json_text, load_context
    from tests.conftest import MINI

    odd = [{}, [], {"a": []}, {"b": {}}, [1, 2.5, True, None, "é\n\"x\""],
           {"z": {"@value": "1", "@type": "xsd:decimal"}, "a": [{"@id": "x"}, "y"]}]
    nodes = list(iter_jsonld_nodes(build(MINI).triples, load_context()["@context"]))
    assert nodes
    for obj in odd + nodes:
        for pad in ("", "  "):
            assert json_text(obj, pad) == "".join(iter_json(obj, pad))
