"""KGX adverse events (issue 23): ``has_adverse_event`` edges with the rate, from the typed records.

The made-up safety fixture (Trial S: examplinib against placebo, a per-arm safety table) is
exported; every adverse-event result that names its event and arm must be one edge whose
predicate, categories and columns Biolink has, and whose numbers are the record's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import model as m
from kg.assemble import BuildResult
from kg.builders import iris
from kg.export.kgx import CURIE_COLUMNS, curie, write_kgx
from kg.pipeline import write_outputs
from kg.query.engine import OxigraphEngine
from kg.sources.loader import load_corpus
from tests.conftest import SAFETY
from tests.test_kgx import (
    KGX_IS_CURIE,
    ancestors,
    biolink_prefixes,
    class_name,
    is_category,
    is_predicate,
    is_slot,
    read_tsv,
    schema,
)


@pytest.fixture(scope="module")
def kgx(tmp_path_factory: pytest.TempPathFactory, safety: BuildResult) -> Path:
    """The safety fixture built and exported as KGX."""
    out = tmp_path_factory.mktemp("safety-kgx")
    (out / "graph").mkdir()
    write_outputs(safety, out / "graph", html=False)
    write_kgx(OxigraphEngine(out / "graph" / "graph.trig"), out / "kgx")
    return out / "kgx"


@pytest.fixture(scope="module")
def study() -> m.Study:
    corpus, _ = load_corpus(SAFETY)
    return corpus.studies["trial-s"]


@pytest.fixture(scope="module")
def nodes(kgx: Path) -> dict[str, dict[str, str]]:
    return {n["id"]: n for n in read_tsv(kgx / "nodes.tsv")}


@pytest.fixture(scope="module")
def events(kgx: Path) -> dict[str, dict[str, str]]:
    return {e["id"]: e for e in read_tsv(kgx / "edges.tsv")
            if e["predicate"] == "biolink:has_adverse_event"}


def plain(number: object) -> str:
    return "" if number is None else str(number)


def test_every_named_event_of_an_arm_is_one_edge_with_its_rate(study, nodes, events):
    named = [r for r in study.adverse_events if r.event and r.arm]
    unnamed = [r for r in study.adverse_events if not r.event]
    assert len(named) >= 10 and unnamed, "the fixture has both kinds"
    regimens = {a.id: a.regimen for a in study.arms}
    assert set(events) == {curie(str(iris.study_part(study.id, "adverse-event", r.id)))
                           for r in named}
    for r in named:
        e = events[curie(str(iris.study_part(study.id, "adverse-event", r.id)))]
        event = nodes[e["object"]]
        assert event["name"] == r.event and event["category"] == (
            "biolink:DiseaseOrPhenotypicFeature"), e["id"]
        assert not event["xref"], "no identifier is verified for a made-up event"
        assert (e["has_count"], e["has_total"]) == (plain(r.count), plain(r.denominator))
        assert e["has_percentage"] == plain(r.percent), e["id"]
        assert e["dti_kg_grade"] == (r.grade or ("5" if r.kind == "death" else "")), e["id"]
        assert e["dti_kg_arm"].endswith(next(a.label for a in study.arms if a.id == r.arm))
        assert e["has_supporting_studies"] == "study:trial-s"
        subject = nodes[e["subject"]]
        assert subject["name"] == " + ".join(regimens[r.arm]), e["id"]
        assert subject["category"] == ("biolink:Drug" if regimens[r.arm] == ("examplinib",)
                                       else "biolink:Treatment")
    related = events["study.trial-s.adverse-event:hfsr-g3-related-examplinib"]
    assert related["dti_kg_relatedness"] == "treatment-related"
    assert related["subject"] == "drug:examplinib" and related["has_percentage"] == ""


def test_predicate_categories_and_columns_are_biolinks(events, nodes):
    slots, classes = schema()["slots"], schema()["classes"]
    assert is_predicate("biolink:has_adverse_event")
    predicate = slots["has adverse event"]
    for e in events.values():
        assert is_category(e["category"], "association")
        usage = classes[class_name(e["category"])]["slot_usage"]["predicate"]
        assert usage["subproperty_of"] == "has adverse event"
        obj = class_name(nodes[e["object"]]["category"])
        assert predicate["range"] in ancestors("classes", obj)
        subject = ancestors("classes", class_name(nodes[e["subject"]]["category"]))
        assert any(predicate["domain"] in (classes[c].get("mixins") or []) for c in subject)
    for column in ("has_count", "has_total", "has_percentage"):
        assert is_slot(column)
        assert "aggregate statistic" in ancestors("slots", column.replace("_", " "))


def test_the_safety_export_passes_kgx_curie_rule_and_quotes_its_source(kgx, events):
    context = json.loads((kgx / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    text = (SAFETY / "texts" / "examplinib-safety.txt").read_text(encoding="utf-8")
    for e in read_tsv(kgx / "edges.tsv"):
        for column in CURIE_COLUMNS:
            for c in filter(None, e[column].split("|")):
                assert KGX_IS_CURIE.match(c), (e["id"], column, c)
                assert c.split(":")[0] in context or c.split(":")[0] in biolink_prefixes()
    for e in events.values():
        assert e["has_evidence"] and e["supporting_text"], e["id"]
        for quote, where in zip(e["supporting_text"].split("|"),
                                e["dti_kg_text_offsets"].split("|"), strict=True):
            start, end = map(int, where.split("-"))
            assert " ".join(text[start:end].split()) == quote
