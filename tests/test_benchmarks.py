"""A small run of the benchmark code so it cannot rot (benchmarks are not timed tests)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.run import markdown
from benchmarks.stages import Timer, build_stages, time_queries
from benchmarks.synthetic import generate
from kg.sources.loader import load_corpus


def test_synthetic_corpus_loads_and_scales(tmp_path: Path):
    one = load_corpus(generate(1, tmp_path / "one"))[0]
    ten = load_corpus(generate(10, tmp_path / "ten"))[0]
    studies = [sum(len(f.studies) for f in c.files) for c in (one, ten)]
    assert studies == [3, 30]
    assert len(ten.files) == 3  # ten studies a document


def test_stage_and_query_measurements_run(tmp_path: Path):
    src = generate(1, tmp_path / "src")
    t = Timer()
    facts = build_stages(src, tmp_path / "work", t)
    assert facts["violations"] == 0 and facts["triples"] > 1500
    assert set(t.seconds) >= {"load and validate evidence", "locate quotes", "builders",
                              "SHACL validation", "write Turtle", "HTML views"}
    q = time_queries(tmp_path / "work" / "graph.trig", runs=1, rdflib_timeout=20)
    assert set(q["load"]) == {"oxigraph", "rdflib"}
    assert all("median" in row["oxigraph"] for row in q["queries"].values())
    res = {"machine": "test", "profile": "smoke", "date": "today",
           "real_build": {"median_s": 1.0, "runs": 1},
           "sizes": [{"scale": 1, "stages": t.seconds, "query": q, **facts}],
           "browser": {"skipped": "not measured here"}}
    text = markdown(res)
    assert "| builders |" in text and "drug-targets" in text
