"""Named queries answer from the sources, on both engines, with identical results."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from kg.query.engine import OxigraphEngine, QueryError, QueryRefused, RdflibEngine, Result
from kg.query.formats import render_select
from kg.query.library import load_library
from kg.vocab import KG

LIBRARY = load_library()


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory, real) -> Path:
    from kg.cli import write_outputs

    out = tmp_path_factory.mktemp("q")
    write_outputs(real, out)
    return out / "graph.trig"


@pytest.fixture(scope="module")
def ox(graph_file: Path) -> OxigraphEngine:
    return OxigraphEngine(graph_file)


@pytest.fixture(scope="module")
def rl(graph_file: Path) -> RdflibEngine:
    return RdflibEngine(graph_file)


def run(engine, name: str, **params: str) -> Result:
    return engine.query(LIBRARY[name].bind(params))


def column(result: Result, var: str) -> list[str]:
    return [row[var].value for row in result.rows if var in row]


def test_library_has_at_least_15_documented_queries():
    assert len(LIBRARY) >= 15
    for q in LIBRARY.values():
        assert len(q.description) > 20, q.name


def normalised(result: Result, text: str) -> list[tuple]:
    """Rows as a sorted multiset; GROUP_CONCAT lists sorted (SPARQL leaves both orders open)."""
    concat = set(re.findall(r"GROUP_CONCAT\((?:[^()]|\([^()]*\))*\)\s+AS\s+\?(\w+)", text))
    rows = []
    for row in result.rows:
        out = []
        for v in result.variables:
            term = row.get(v)
            if term is None:
                out.append(None)
            elif v in concat:
                sep = " | " if " | " in term.value else ", "
                out.append(tuple(sorted(term.value.split(sep))))
            else:
                out.append(term.key())
        rows.append(tuple(out))
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def two_file(tmp_path_factory: pytest.TempPathFactory, two) -> Path:
    from kg.cli import write_outputs

    out = tmp_path_factory.mktemp("q2")
    write_outputs(two, out, html=False)
    return out / "graph.trig"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_both_engines_give_identical_results(two_file: Path, name: str):
    # the shipped corpus plus a second report of MISSION: every named query has an answer
    text = LIBRARY[name].bind()
    a, b = OxigraphEngine(two_file).query(text), RdflibEngine(two_file).query(text)
    assert a.variables == b.variables
    assert a.rows, f"{name} returned nothing"
    assert normalised(a, text) == normalised(b, text)


def test_drug_targets(ox):
    res = run(ox, "drug-targets")
    hgnc = set(column(res, "hgnc"))
    assert {"HGNC:9829", "HGNC:1097", "HGNC:3763", "HGNC:6307", "HGNC:3767", "HGNC:8804",
            "HGNC:6342", "HGNC:3765", "HGNC:9967"} == hgnc
    assert all("sorafenib" in q.lower() for q in column(res, "quote"))
    assert run(ox, "drug-targets", drug="kgi:drug/erlotinib").rows == []


def test_drug_studies_of_erlotinib(ox):
    labels = " ".join(column(run(ox, "drug-studies", drug="kgi:drug/erlotinib"), "label"))
    for name in ("[16]", "[17]", "[18]", "BATTLE", "[19]"):
        assert name in labels


def test_indication_studies_are_subclass_aware(ox):
    studies = set(column(run(ox, "indication-studies", disease="kgi:disease/nsclc"), "study"))
    assert "https://w3id.org/dti-kg/id/study/mission" in studies  # non-squamous NSCLC study
    assert "https://w3id.org/dti-kg/id/study/nexus" in studies
    sts = set(column(run(ox, "indication-studies", disease="kgi:disease/sts"), "study"))
    assert sts == {"https://w3id.org/dti-kg/id/study/santoro-2013-sts"}


def hazard_ratio_count(graph) -> int:
    """Expectations come from the built graph, so adding a document never breaks a test."""
    return len(set(graph.subjects(KG.measure, KG.HazardRatio)))


def test_effect_estimates_sorted_with_qualifier(ox, graph):
    res = run(ox, "effect-estimates")
    values = [float(v) for v in column(res, "estimate")]
    assert values == sorted(values) and len(values) == hazard_ratio_count(graph) >= 11
    mission = next(r for r in res.rows if r["estimate"].value in {"0.60", "0.6"})
    assert mission["pQualifier"].value == "<" and mission["pValue"].value == "0.0001"


def test_harm_subgroups(ox):
    res = run(ox, "harm-subgroups")
    assert "1.85" in column(res, "estimate")
    assert "squamous non-small cell lung cancer" in column(res, "histology")


def test_biomarker_associations(ox):
    res = run(ox, "biomarker-associations")
    bfgf = next(r for r in res.rows if r["marker"].value.startswith("basic fibroblast"))
    assert bfgf["direction"].value == "associated with better outcome"
    assert bfgf["time"].value == "baseline"


def test_combination_partners(ox):
    partners = set(column(run(ox, "combination-partners"), "partnerLabel"))
    assert partners == {"erlotinib", "carboplatin", "paclitaxel", "cisplatin", "gemcitabine"}


def test_evidence_for_a_statement(ox):
    res = run(ox, "evidence-for")
    (row,) = res.rows
    assert "HR=0.60" in row["exact"].value
    assert int(row["start"].value) < int(row["end"].value)


def test_drug_indication_best_level(ox):
    res = run(ox, "drug-indication-evidence")
    best = {(r["therapy"].value, r["indication"].value): r["bestLevel"].value for r in res.rows}
    assert best[("sorafenib", "hepatocellular carcinoma")] == "regulatory approval statement"
    assert best[("sorafenib", "non-small cell lung cancer")] == "phase III randomised"
    assert best[("sorafenib", "soft tissue sarcoma")] == "phase II single-arm"
    # a review sentence about the squamous subgroup is subgroup evidence, not phase III
    assert best[("sorafenib", "squamous non-small cell lung cancer")] == \
        "retrospective or subgroup"
    # backbone chemotherapy given in both arms is never credited
    therapies = {t for t, _ in best}
    assert not therapies & {"carboplatin", "paclitaxel", "cisplatin", "gemcitabine"}
    assert "erlotinib + sorafenib" in therapies  # single-arm combination: the regimen


def test_contradictions_query(ox, graph):
    res = run(ox, "contradictions")
    expected = set(graph.subjects(RDF.type, KG.Contradiction))
    assert len(set(column(res, "contradiction"))) == len(expected) >= 8
    assert "table cross-check" in column(res, "detectedBy")


def test_approved_vs_investigational(ox):
    res = run(ox, "approved-vs-investigational")
    approved = {(r["drug"].value, r["indication"].value) for r in res.rows
                if r["status"].value.startswith("approved")}
    assert approved == {("sorafenib", "hepatocellular carcinoma"),
                        ("sorafenib", "renal cell carcinoma")}


def test_primary_endpoints(ox):
    res = run(ox, "primary-endpoints")
    met = {r["study"].value: r["met"].value for r in res.rows}
    assert met["MISSION"] == "not met"
    assert met["Randomised discontinuation phase II study of sorafenib versus placebo in "
               "pretreated NSCLC [8]"] == "met"


def test_document_statements(ox):
    res = run(ox, "document-statements", document="kgi:document/santoro-2013")
    assert "outcome result" in column(res, "type")
    assert len(res.rows) >= 30


@pytest.mark.parametrize(("text", "expected"), [
    ("KDR", "kgi:protein/KDR"), ("VEGFR2", "kgi:protein/KDR"),
    ("NCT00863746", "kgi:study/mission"), ("MISSION", "kgi:study/mission")])
def test_find_by_label_synonym_or_identifier(ox, text: str, expected: str):
    nodes = column(run(ox, "find", text=text), "node")
    assert "https://w3id.org/dti-kg/id/" + expected.split(":", 1)[1] in nodes


def test_study_by_nct(ox):
    res = run(ox, "study-by-nct", nct="NCT00300885")
    assert {r["study"].value for r in res.rows} == {"https://w3id.org/dti-kg/id/study/escape"}
    assert run(ox, "study-by-nct", nct="NCT99999999").rows == []


def test_hazard_ratios(ox, graph):
    assert len(run(ox, "hazard-ratios").rows) == hazard_ratio_count(graph)


def test_syntax_error_names_line_and_column(ox, rl):
    for engine in (ox, rl):
        with pytest.raises(QueryError, match=r"syntax error at line 2, column \d+"):
            engine.query("SELECT ?x\nWHERE { ?x ?p ?o")


@pytest.mark.parametrize("query", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/x>", "CLEAR ALL", "DROP GRAPH <urn:g>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"])
def test_updates_and_service_are_refused(ox, rl, query: str):
    for engine in (ox, rl):
        with pytest.raises(QueryRefused):
            engine.query(query)


def test_keywords_inside_strings_are_not_refused(ox):
    res = ox.query('SELECT ?x WHERE { BIND("DELETE this SERVICE" AS ?x) }')
    assert res.rows[0]["x"].value == "DELETE this SERVICE"


def test_formats(ox, graph):
    res = run(ox, "hazard-ratios")
    rows = list(csv.reader(io.StringIO(render_select(res, "csv"))))
    assert rows[0][0] == "comparison" and len(rows) == hazard_ratio_count(graph) + 1
    data = json.loads(render_select(res, "json"))
    assert data["head"]["vars"][0] == "comparison"
    assert data["results"]["bindings"][0]["estimate"]["datatype"].endswith("#decimal")
    assert render_select(res, "tsv").startswith("?comparison\t")
    assert "<sparql" in render_select(res, "xml")


def test_limit_cuts_with_a_marker(ox):
    res = ox.query(LIBRARY["hazard-ratios"].text, limit=3)
    assert len(res.rows) == 3 and res.truncated
    assert json.loads(render_select(res, "json"))["truncated"] is True
    assert "cut at the result-size limit" in render_select(res, "table")


def test_bad_parameter_values(ox):
    with pytest.raises(QueryError, match="not an IRI"):
        LIBRARY["drug-targets"].bind({"drug": "not an iri"})
    with pytest.raises(QueryError, match="has no parameter"):
        LIBRARY["drug-targets"].bind({"nope": "x"})
    text = LIBRARY["find"].bind({"text": 'x" } } DROP ALL #'})
    assert ox.query(text).rows == []  # escaped: stays a string


def test_cli_query(graph_file: Path):
    base = [sys.executable, "-m", "kg", "query", "--graph", str(graph_file)]
    proc = subprocess.run([*base, "--list"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "drug-targets" in proc.stdout and "params: drug" in proc.stdout
    proc = subprocess.run([*base, "--name", "find", "--param", "text=VEGFR2", "--format", "csv"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "KDR" in proc.stdout
    proc = subprocess.run([*base, "SELECT ?x WHERE {"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 2  # a syntax error: EXIT_INVALID
    assert proc.stderr.startswith("error: syntax error at line 1, column ")
    assert "Traceback" not in proc.stderr
    proc = subprocess.run([*base, "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <https://w3id.org/dti-kg/"
                           "ontology#Drug> ; ?p ?o }"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0 and "@prefix" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "kg", "query", "--graph", "/nope/graph.trig",
                           "SELECT * WHERE { ?s ?p ?o }"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 1 and "build the graph first" in proc.stderr
