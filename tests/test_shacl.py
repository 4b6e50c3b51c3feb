"""SHACL shapes hold on the built graph and catch what they claim to catch."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.assemble import to_store
from kg.builders import iris
from kg.paths import ONTOLOGY_FILE, SHAPES_FILE
from kg.shapes_sparql import Check, compile_shapes
from kg.validate import check_store, semantic, shacl, short, validate_graph
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


# -- the fast check (shapes as SPARQL) against pySHACL -------------------------------------------

def fast(g: Graph) -> list:
    return check_store(to_store([("urn:test", g)]))


def _focus_nodes(g: Graph, check: Check) -> list[URIRef]:
    classes = {URIRef(c) for c in re.findall(r"<([^>]+)>", check.sparql.split("?f rdf:type")[0])}
    closure = set(classes)
    onto = Graph().parse(ONTOLOGY_FILE)
    while True:
        more = {s for c in closure for s in onto.subjects(RDFS.subClassOf, c)} - closure
        if not more:
            break
        closure |= more
    return sorted({s for c in closure for s in g.subjects(RDF.type, c)}, key=str)


def _pick(g: Graph, check: Check, used: set, need: list[URIRef]) -> URIRef | None:
    """A focus node of the check's shape, not broken yet, that has values for ``need``."""
    for f in _focus_nodes(g, check):
        if f not in used and all(g.value(f, p) is not None for p in need):
            used.add(f)
            return f
    return None


def _break(g: Graph, check: Check, used: set) -> tuple[str, str] | None:
    """Break one focus node of this constraint; the (focus, path) both checks must report."""
    p = URIRef(check.path) if check.path else None
    comp = check.component
    need = [] if comp in {"MinCount", "Or", "Class", "Datatype"} else [p]
    if comp in {"LessThan", "LessThanOrEquals"}:
        need = [p, URIRef(re.search(r"\?f <([^>]+)> \?w", check.sparql).group(1))]
    f = _pick(g, check, used, [q for q in need if q is not None])
    if f is None:
        return None
    if comp == "MinCount":
        g.remove((f, p, None))
    elif comp == "Or":
        g.remove((f, KG.value, None))
        g.remove((f, KG.count, None))
    elif comp == "MaxCount":
        for i in range(3):
            g.add((f, p, Literal(f"extra {i}")))
    elif comp == "Class":
        g.set((f, p, URIRef("https://example.org/not-of-that-class")))
    elif comp == "Datatype":
        g.set((f, p, Literal("not that datatype", lang="en")))
    elif comp in {"MinInclusive", "MaxInclusive"}:
        old = g.value(f, p)
        g.set((f, p, Literal("-5" if comp == "MinInclusive" else "5", datatype=old.datatype)))
    elif comp == "MinLength":
        g.set((f, p, Literal("")))
    elif comp == "Pattern":
        g.set((f, p, Literal("not a checksum")))
    elif comp in {"LessThan", "LessThanOrEquals"}:
        other = URIRef(re.search(r"\?f <([^>]+)> \?w", check.sparql).group(1))
        bound = g.value(f, other)
        g.set((f, p, Literal(str(Decimal(str(bound)) + 1), datatype=bound.datatype)))
    elif comp == "Disjoint":
        other = URIRef(re.search(r"\?f <([^>]+)> \?v \. \}", check.sparql).group(1))
        g.add((f, other, g.value(f, p)))
    else:
        raise AssertionError(f"no way to break {comp}")
    return short(f), short(p) if p is not None else ""


def test_the_fast_check_and_pyshacl_agree_on_a_break_of_every_constraint(graph: Graph):
    """Each constraint of each shape broken on its own focus node: same (focus, path) set."""
    g = copy(graph)
    used: set = set()
    broken = [b for check in compile_shapes(SHAPES_FILE) if (b := _break(g, check, used))]
    assert len(broken) >= 140  # of 147 constraints: a few have no node to break in this graph
    components = {c.component for c in compile_shapes(SHAPES_FILE)}
    assert components >= {"MinCount", "MaxCount", "Class", "Datatype", "MinInclusive", "Pattern",
                          "LessThan", "LessThanOrEquals", "Disjoint", "Or"}
    reference = {(v.focus, v.path) for v in validate_graph(g)}
    got = {(v.focus, v.path) for v in fast(g)}
    assert got == reference, (sorted(reference - got), sorted(got - reference))
    assert set(broken) <= got


def test_the_fast_check_catches_what_the_pyshacl_tests_above_catch(graph: Graph):
    g = copy(graph)
    node = iris.study_part("santoro-2013-sts", "result", "pp-pfs-rate-all")
    g.remove((node, KG.hasEvidence, None))
    cmp_ = iris.study_part("santoro-2013-sts", "comparison", "pfs-leiomyosarcoma-vs-other")
    g.set((cmp_, KG.pValue, Literal(Decimal("1.5"), datatype=XSD.decimal)))
    res = iris.study_part("santoro-2013-sts", "result", "pp-partial-response")
    g.set((res, KG.count, Literal(90)))
    g.add((iris.drug("sorafenib"), KG.targets, iris.protein("EGFR")))
    problems = [str(p) for p in fast(g)]
    assert any("pp-pfs-rate-all" in p and "kg:hasEvidence" in p for p in problems)
    assert any("pfs-leiomyosarcoma-vs-other" in p and "kg:pValue" in p for p in problems)
    assert any("pp-partial-response" in p and "kg:count" in p for p in problems)
    assert any("EGFR" in p for p in problems)
    assert {(p.focus, p.path) for p in fast(g)} == {(p.focus, p.path)
                                                   for p in validate_graph(g)}


def test_a_shape_the_compiler_does_not_know_is_refused(tmp_path: Path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES_FILE.read_text().replace("sh:minLength 1", "sh:maxLength 9"))
    with pytest.raises(ValueError, match="maxLength"):
        compile_shapes(shapes)


@pytest.mark.parametrize("full", [False, True])
def test_kg_validate_reports_a_bad_file_with_either_check(tmp_path: Path, full: bool,
                                                           capsys: pytest.CaptureFixture[str]):
    from kg import cli

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/dti-kg/ontology#> .\n"
                   "<urn:x> a kg:OutcomeResult ; kg:pValue 2 .\n")
    assert cli.main(["validate", str(bad), *(["--full"] if full else [])]) == 2
    lines = [line for line in capsys.readouterr().out.splitlines() if "urn:x" in line]
    # an outcome result names its endpoint (or, a safety result, what it counts)
    assert any("endpoint" in line for line in lines)
