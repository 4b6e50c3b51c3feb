"""SHACL shapes hold on the built graph and catch what they claim to catch."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.builders import iris
from kg.validate import semantic, shacl, validate_graph
from kg.vocab import KG


def copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def test_built_graph_conforms(graph: Graph):
    assert validate_graph(graph) == []


def test_statement_without_evidence_is_flagged(graph: Graph):
    g = copy(graph)
    node = iris.study_part("santoro-2013-sts", "result", "pp-pfs-rate-all")
    g.remove((node, KG.hasEvidence, None))
    problems = shacl(g)
    assert any("pp-pfs-rate-all" in p.focus and "kg:hasEvidence" in p.path for p in problems)


def test_impossible_p_value_and_ci_are_flagged(graph: Graph):
    g = copy(graph)
    node = iris.study_part("santoro-2013-sts", "comparison", "pfs-leiomyosarcoma-vs-other")
    g.set((node, KG.pValue, Literal(Decimal("1.5"), datatype=XSD.decimal)))
    res = iris.study_part("santoro-2013-sts", "result", "pp-partial-response")
    g.set((res, KG.count, Literal(90)))
    problems = [str(p) for p in shacl(g)]
    assert any("pfs-leiomyosarcoma-vs-other" in p and "kg:pValue" in p for p in problems)
    assert any("pp-partial-response" in p and "kg:count" in p for p in problems)


def test_shortcut_edge_without_interaction_is_flagged(graph: Graph):
    g = copy(graph)
    g.add((iris.drug("sorafenib"), KG.targets, iris.protein("EGFR")))
    assert any("EGFR" in p.message for p in semantic(g))
