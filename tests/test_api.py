"""The Python API (kg/api.py) on a graph built by the test session.

kg.open(), named queries with names for parameters, typed results, data frames, networkx.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg import paths
from kg.api import QueryResult, python_value
from kg.query.engine import QueryError, Term
from kg.query.names import Named, Names


@pytest.fixture(scope="module")
def g(built_output: Path) -> kg.KnowledgeGraph:
    return kg.open(built_output)


def test_import_kg_loads_no_engine_or_api():
    code = ("import sys, kg; print(sorted(m for m in ('kg.api', 'rdflib', 'pyoxigraph', "
            "'networkx', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_open_takes_a_folder_a_file_or_the_default(built_output, monkeypatch):
    by_file = kg.open(built_output / "graph.trig")
    monkeypatch.setattr(paths, "OUTPUT_DIR", built_output)
    by_default = kg.open()
    assert by_default.source == by_file.source == str(built_output / "graph.trig")
    assert len(by_default.query("drug-targets")) == len(by_file.query("drug-targets")) == 10


def test_open_a_missing_graph_says_how_to_build_it(tmp_path):
    with pytest.raises(QueryError, match="build the graph first"):
        kg.open(tmp_path)


def test_rows_are_dicts_of_python_values(g):
    res = g.query("hazard-ratios")
    assert len(res) == len(list(res)) >= 11
    assert res.variables[:3] == ["comparison", "study", "indication"]
    row = next(r for r in res if r["comparison"] == "study.mission.comparison:pfs-hr")
    assert row["estimate"] == 0.6 and isinstance(row["estimate"], float)
    assert (row["ciLow"], row["ciHigh"], row["pValue"]) == (0.51, 0.72, 0.0001)
    escape = next(r for r in res if r["comparison"] == "study.escape.comparison:os-squamous-hr")
    assert escape["pValue"] is None and set(escape) == set(res.variables)  # unbound: None
    assert res[0] == next(iter(res))
    spans = g.query("evidence-for")
    assert isinstance(spans[0]["start"], int) and spans[0]["end"] > spans[0]["start"]
    flags = {r["randomised"] for r in g.query("drug-studies")}
    assert flags <= {True, False, None} and True in flags


def test_python_value_rules():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert python_value(Term("uri", "https://w3id.org/dti-kg/id/drug/sorafenib")) \
        == "drug:sorafenib"
    assert python_value(Term("literal", "0.60", xsd + "decimal")) == 0.6
    assert python_value(Term("literal", "7", xsd + "nonNegativeInteger")) == 7
    assert python_value(Term("literal", "false", xsd + "boolean")) is False
    assert python_value(Term("literal", "2013", xsd + "gYear")) == "2013"
    assert python_value(Term("literal", "n/a", xsd + "integer")) == "n/a"
    assert python_value(None) is None


@pytest.mark.parametrize(("query", "param", "name", "curie"), [
    ("drug-targets", "drug", "Sorafenib", "drug:sorafenib"),
    ("drug-targets", "drug", "Nexavar", "drug:sorafenib"),
    ("drug-studies", "drug", "erlotinib", "drug:erlotinib"),
    ("indication-studies", "disease", "NSCLC", "disease:nsclc"),
    ("document-statements", "document", "DOI:10.1093/annonc/mds607", "document:santoro-2013"),
])
def test_a_parameter_by_name_gives_what_its_curie_gives(g, query, param, name, curie):
    by_name = g.query(query, **{param: name})
    by_curie = g.query(query, **{param: curie})
    assert by_name.result.comparable() == by_curie.result.comparable()
    assert len(by_name) > 0


@pytest.mark.parametrize(("kind", "name", "curie"), [
    ("target", "VEGFR2", "protein:KDR"), ("target", "HGNC:6307", "protein:KDR"),
    ("study", "MISSION", "study:mission"), ("study", "NCT00863746", "study:mission"),
    ("disease", "non-small-cell lung cancer", "disease:nsclc"),
])
def test_resolve_by_synonym_acronym_or_identifier(g, kind, name, curie):
    assert g.resolve(kind, name) == curie


def test_an_unknown_name_lists_close_matches(g):
    with pytest.raises(QueryError, match=r"no drug named 'sorafinib'; close matches: "
                                         r"sorafenib \(drug:sorafenib\)"):
        g.query("drug-targets", drug="sorafinib")
    with pytest.raises(QueryError, match="kgi:drug/KDR is not a drug in this graph"):
        g.query("drug-targets", drug="kgi:drug/KDR")
    with pytest.raises(QueryError, match=r"no target named 'vegfr'; close matches: .*KDR"):
        g.resolve("target", "vegfr")


def test_an_ambiguous_name_lists_every_candidate():
    kg_ = "https://w3id.org/dti-kg/ontology#"
    names = Names([Named("https://w3id.org/dti-kg/id/drug/a", kg_ + "Drug", "AB-1", "drug a"),
                   Named("https://w3id.org/dti-kg/id/drug/b", kg_ + "Drug", "ab-1", "drug b")])
    with pytest.raises(QueryError, match=r"'AB-1' names 2 nodes: drug a \(drug:a\); "
                                         r"drug b \(drug:b\)"):
        names.resolve("drug", "AB-1")


def test_sparql_text_and_misuse(g):
    res = g.query("PREFIX kg: <https://w3id.org/dti-kg/ontology#> "
                  "SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:Drug }")
    assert res.variables == ["n"] and res[0]["n"] == 10
    assert g.query("ASK { ?s ?p ?o }").boolean is True
    with pytest.raises(QueryError, match="did you mean drug-targets"):
        g.query("drug-target")
    with pytest.raises(QueryError, match="apply to named queries only"):
        g.query("SELECT * WHERE { ?s ?p ?o }", drug="sorafenib")
    with pytest.raises(QueryError, match="has no parameter 'drugg'"):
        g.query("drug-targets", drugg="sorafenib")


def test_to_pandas_has_numeric_dtypes(g):
    df = g.query("hazard-ratios").to_pandas()
    assert list(df.columns) == g.query("hazard-ratios").variables
    assert str(df["estimate"].dtype) == "float64" and df["pValue"].isna().sum() >= 1
    assert abs(df["estimate"].min() - min(r["estimate"] for r in g.query("hazard-ratios"))) < 1e-12
    studies = g.query("drug-studies").to_pandas()
    assert str(studies["maxN"].dtype) == "Int64" and str(studies["randomised"].dtype) == "boolean"


@pytest.mark.parametrize(("module", "method"), [("pandas", "to_pandas"), ("polars", "to_polars")])
def test_a_missing_optional_dependency_says_how_to_install_it(g, monkeypatch, module, method):
    monkeypatch.setitem(sys.modules, module, None)  # import now fails as if not installed
    with pytest.raises(ImportError, match=f"{method}\\(\\) needs {module}.*pip install {module}"):
        getattr(g.query("drug-targets"), method)()


def test_repr_is_the_cli_table(g):
    from kg.query.formats import render_select

    res = g.query("drug-targets")
    text = repr(res)
    assert text == render_select(res.result, "table", 100)
    assert text.splitlines()[-1].startswith("(10 rows")
    assert "protein:KDR" in text
    assert isinstance(g.query("drug-targets"), QueryResult)


def test_networkx_projection_is_typed(g):
    net = g.networkx()
    kinds = {d["kind"] for _, d in net.nodes(data=True)}
    assert {"drug", "protein", "disease", "study"} <= kinds
    sorafenib = net.nodes["drug:sorafenib"]
    assert sorafenib["label"] == "sorafenib" and "Nexavar" in sorafenib["synonyms"]
    assert isinstance(net.nodes["study:mission"]["reference_number"], int)
    assert net.has_edge("drug:sorafenib", "protein:KDR")
    items = g.query("PREFIX kg: <https://w3id.org/dti-kg/ontology#> "
                    "SELECT (COUNT(*) AS ?n) WHERE { ?i a kg:DrugIndicationEvidence }")[0]["n"]
    evidence = [d for *_, d in net.edges(data=True) if d["relation"] == "evidence"]
    assert len(evidence) == items > 0
    # every hazard ratio on an edge is the comparison's, as the hazard-ratios query gives it
    hrs = {r["comparison"]: r for r in g.query("hazard-ratios")}
    on_edges = [d for d in evidence if d.get("measure") == "hazard ratio"]
    assert len(on_edges) >= 5
    for d in on_edges:
        row = hrs[d["comparison"]]
        assert (d["estimate"], d.get("ci_low"), d.get("ci_high"), d.get("p_value")) == (
            row["estimate"], row["ciLow"], row["ciHigh"], row["pValue"])
