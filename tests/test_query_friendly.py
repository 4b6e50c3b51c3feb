"""Friendlier queries: pasteable CURIEs, plain syntax errors, unknown-term warnings, filters."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.query.curies import KINDS, compact, expand
from kg.query.engine import OxigraphEngine, QuerySyntaxError, RdflibEngine, Result
from kg.query.formats import render_select
from kg.query.library import load_library
from kg.vocab import INSTANCE_IRI

LIBRARY = load_library()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, real) -> Path:
    from kg.cli import write_outputs

    folder = tmp_path_factory.mktemp("friendly")
    write_outputs(real, folder)
    return folder


@pytest.fixture(scope="module")
def ox(out: Path) -> OxigraphEngine:
    return OxigraphEngine(out / "graph.trig")


@pytest.fixture(scope="module")
def rl(out: Path) -> RdflibEngine:
    return RdflibEngine(out / "graph.trig")


def run(engine, name: str, **params: str) -> Result:
    return engine.query(LIBRARY[name].bind(params))


def resolve(engine, printed: list[str]) -> list[str]:
    """Paste printed short forms into one query and read back the IRIs it means."""
    res = engine.query("SELECT ?x WHERE { VALUES ?x { " + " ".join(printed) + " } }")
    return [row["x"].value for row in res.rows]


def test_every_curie_printed_by_every_named_query_resolves_back(ox, rl):
    checked = 0
    for name in LIBRARY:
        res = run(ox, name)
        text = render_select(res, "table", width=400)
        iris = sorted({t.value for row in res.rows for t in row.values() if t.kind == "uri"})
        if not iris:
            continue
        printed = [compact(i) for i in iris]
        for p in printed:
            assert p in text, (name, p)
            assert not re.match(r"kgi:\S*/", p), p
        assert resolve(ox, printed) == iris, name
        assert resolve(rl, printed) == iris, name
        checked += len(iris)
    assert checked > 100


def test_html_page_data_ids_resolve_back(ox, out: Path):
    pages = [out / "index.html", out / "overview.html", *sorted((out / "views").glob("*.html"))]
    data = "".join(p.read_text(encoding="utf-8") for p in pages)
    nodes = sorted(set(re.findall(r'"id": "(https://w3id\.org/dti-kg/id/[^"]+)"', data)))
    assert len(nodes) > 50
    assert resolve(ox, [compact(n) for n in nodes]) == nodes
    ids = set(re.findall(r'\["([A-Za-z.]+:[^"]+)", "(https?://[^"]+)"\]', data))
    assert len(ids) > 20
    for curie, url in sorted(ids):
        if "/" in curie.split(":", 1)[1]:  # a DOI: no prefixed name can hold it; <IRI> can
            assert compact(url) == f"<{url}>"
            assert resolve(ox, [compact(url)]) == [url]
        else:
            assert resolve(ox, [curie]) == [url], curie


def test_every_instance_iri_has_a_known_kind(out: Path):
    text = (out / "graph.trig").read_text(encoding="utf-8")
    kinds = {m.split("/")[0] for m in re.findall(r"<https://w3id\.org/dti-kg/id/([^>]+)>", text)}
    assert kinds <= KINDS, kinds - KINDS


@pytest.mark.parametrize(("iri", "short"), [
    (INSTANCE_IRI + "study/mission", "study:mission"),
    (INSTANCE_IRI + "study/mission/comparison/os-hr", "study.mission.comparison:os-hr"),
    (INSTANCE_IRI + "regimen/erlotinib+sorafenib",
     f"<{INSTANCE_IRI}regimen/erlotinib+sorafenib>"),
    ("https://w3id.org/dti-kg/ontology#HazardRatio", "kg:HazardRatio"),
    ("http://purl.obolibrary.org/obo/CHEBI_50924", "CHEBI:50924"),
    ("http://example.org/x", "<http://example.org/x>")])
def test_printing_rule(iri: str, short: str):
    assert compact(iri) == short
    assert expand(short) == iri


def test_the_old_form_is_still_read():
    assert expand("kgi:study/mission/arm/placebo") == INSTANCE_IRI + "study/mission/arm/placebo"


@pytest.mark.parametrize(("query", "line", "col", "words"), [
    ("SELECT ?x\nWHERE { ?x ?p ?o", 2, 17, "'}' to close the group"),
    ("SELEC * WHERE { ?s ?p ?o }", 1, 1, "a query form"),
    ("SELECT * WHERE { ?s ?p ?o . FILTER(?x = ) }", 1, None, "an expression"),
    ("SELECT * WHERE {\n  kgi:study/mission ?p ?o }", 2, 12, "write study:mission"),
    ("SELECT * WHERE { ?s rdsf:label ?o }", 1, 21, "did you mean rdf: or rdfs:"),
    ('SELECT * WHERE { ?s ?p "x }', 1, None, "the closing quote of the string"),
    ("SELECT ?x WHERE {", 1, None, "a term: a variable (?x)")])
def test_syntax_errors_in_plain_words_on_both_engines(ox, rl, query, line, col, words):
    for engine in (ox, rl):
        with pytest.raises(QuerySyntaxError) as err:
            engine.query(query)
        msg = str(err.value)
        assert err.value.line == line and (col is None or err.value.col == col), msg
        assert f"syntax error at line {line}, column {err.value.col}: found " in msg
        assert words in msg
        assert "\\u{" not in msg and "..=" not in msg  # no Unicode ranges
        caret = msg.splitlines()[2]
        assert caret.strip() == "^" and len(caret) == 2 + err.value.col


def test_unknown_terms_are_warned_with_the_closest(ox, rl):
    for engine in (ox, rl):
        res = engine.query("SELECT ?r WHERE { study:misson kg:hasOutcomeResult ?r }")
        assert res.rows == []
        assert any("kg:hasOutcomeResult is not a term of the ontology; closest: "
                   "kg:OutcomeResult, kg:hasResult" in w for w in res.warnings), res.warnings
        assert any("study:misson is not in the graph; closest: study:mission" in w
                   for w in res.warnings), res.warnings
        assert engine.query("SELECT ?r WHERE { study:mission kg:hasResult ?r }").warnings == []


def rows(res: Result) -> list[dict[str, str]]:
    return [{k: t.value for k, t in r.items()} for r in res.rows]


def test_hazard_ratio_filters_and_golden_facts(ox, rl):
    for engine in (ox, rl):
        res = rows(run(engine, "hazard-ratios", drug="drug:sorafenib", disease="disease:nsclc",
                       endpoint="kg:OverallSurvival"))
        mission = [r for r in res if r["study"] == "MISSION"]
        assert len(mission) == 1
        m = mission[0]
        assert (float(m["estimate"]), float(m["ciLow"]), float(m["ciHigh"]),
                float(m["pValue"])) == (0.99, 0.84, 1.17, 0.47)
        assert m["indication"] == "non-squamous non-small cell lung cancer"
        assert m["experimental"] == "sorafenib monotherapy" and m["reference"] == "placebo"
        assert {r["outcome"] for r in res} == {"overall survival"}
        everything = rows(run(engine, "hazard-ratios"))
        assert len(everything) > len(res) and len(everything) == 11
        squamous = rows(run(engine, "hazard-ratios", disease="disease:squamous-nsclc"))
        assert [(r["study"], r["estimate"]) for r in squamous] == [("ESCAPE", "1.85")]
        sarcoma = run(engine, "hazard-ratios", disease="disease:sts")
        assert sarcoma.rows == []
        kras = rows(run(engine, "hazard-ratios", biomarker="biomarker:veristrat"))
        assert kras and all("VeriStrat" in r["groups"] for r in kras)


def test_primary_endpoints_list_every_study_with_phase(ox, rl):
    for engine in (ox, rl):
        res = rows(run(engine, "primary-endpoints"))
        studies = engine.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t . VALUES ?t "
                               "{ kg:ClinicalTrial kg:PreclinicalStudy kg:SubstudyAnalysis } }")
        assert len({r["study"] for r in res}) == int(studies.rows[0]["n"].value) == 26
        mission = next(r for r in res if r["study"] == "MISSION")
        assert (mission["phase"], mission["endpoint"], mission["met"]) == (
            "phase III", "overall survival", "not met")
        assert any(r["endpoint"] == "not stated" for r in res)


def test_outcomes_and_results_by_biomarker(ox):
    res = rows(run(ox, "outcomes", study="study:mission"))
    os_sorafenib = [r for r in res if r["outcome"] == "overall survival"
                    and r["arm"] == "sorafenib monotherapy"]
    assert [(r["value"], r["unit"], r["population"]) for r in os_sorafenib] == [
        ("8.2", "month", "randomised patients (n=703)")]
    assert len(rows(run(ox, "outcomes"))) > len(res)
    kras = rows(run(ox, "subgroup-results", biomarker="biomarker:kras-mutation"))
    assert kras and {r["definedBy"] for r in kras} == {"KRAS mutation"}


def kg(*args: str, graph: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", "query", *args, "--graph", str(graph)],
                          capture_output=True, text=True, check=False)


def test_cli_named_query_width_head_and_errors(out: Path):
    graph = out / "graph.trig"
    done = kg("drug-targets", "--width", "200", graph=graph)
    assert done.returncode == 0 and "protein:KDR" in done.stdout, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 200
    narrow = kg("primary-endpoints", "--width", "90", graph=graph)
    assert narrow.returncode == 0 and "MISSION" in narrow.stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 90
    bad = kg("SELECT * WHERE { ?s ?p }", graph=graph)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "syntax error at line 1" in bad.stderr
    warn = kg("SELECT * WHERE { ?s kg:hasOutcomeResult ?o }", graph=graph)
    assert warn.returncode == 0 and "closest: kg:OutcomeResult" in warn.stderr
    # like `| head -1` on an output far larger than a pipe's buffer: the reader leaves early
    proc = subprocess.Popen([sys.executable, "-m", "kg", "query", "--graph", str(graph),
                             "SELECT * WHERE { ?s ?p ?o }"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith("-[ row 1 ]")
    proc.stdout.close()
    assert proc.wait(60) == 0
    assert proc.stderr.read() == ""


def test_server_runs_named_queries(out: Path):
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph",
                             str(out / "graph.trig"), "--port", "0", "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        with urllib.request.urlopen(url + "queries/hazard-ratios?disease=disease:squamous-nsclc",  # noqa: S310
                                    timeout=20) as resp:
            data = json.loads(resp.read())
        assert [b["study"]["value"] for b in data["results"]["bindings"]] == ["ESCAPE"]
        with urllib.request.urlopen(url + "queries/outcomes?study=study:mission&format=csv",  # noqa: S310
                                    timeout=20) as resp:
            assert resp.headers["Content-Type"].startswith("text/csv")
            assert "attachment" in resp.headers["Content-Disposition"]
            assert resp.read().decode().startswith("result,studyName,")
    finally:
        proc.terminate()
        proc.wait(10)


def test_cli_parameters_by_name_synonym_or_curie(out: Path):
    graph = out / "graph.trig"
    by_curie = kg("drug-targets", "--param", "drug=drug:sorafenib", "--format", "csv",
                  graph=graph)
    by_brand = kg("drug-targets", "--param", "drug=Nexavar", "--format", "csv", graph=graph)
    assert by_curie.returncode == by_brand.returncode == 0, by_brand.stderr
    assert by_brand.stdout == by_curie.stdout and "/protein/KDR," in by_brand.stdout
    typo = kg("drug-targets", "--param", "drug=sorafinib", graph=graph)
    assert typo.returncode == 1 and "close matches: sorafenib (drug:sorafenib)" in typo.stderr
