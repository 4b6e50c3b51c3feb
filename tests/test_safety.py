"""Safety as evidence (issue 23): adverse events per arm, dose changes, deaths, harm comparisons.

The made-up fixture ``tests/fixtures/safety`` (Trial S: examplinib against placebo with a per-arm
safety table) must build, validate, answer the ``adverse-events`` query with exactly the rows its
typed records imply, and be counted as outcome results by a tool that resolves classes through
the ontology.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

import kg
from kg import model as m
from kg.assemble import BuildResult
from kg.builders import iris
from kg.builders.safety import safety_direction
from kg.ids import mint
from kg.pipeline import check_build
from kg.sources.loader import load_corpus
from kg.sources.safety import grade_bounds
from kg.vocab import KG
from tests.conftest import SAFETY


@pytest.fixture(scope="module")
def safety_out(tmp_path_factory: pytest.TempPathFactory, safety: BuildResult) -> Path:
    """The fixture's output folder (RDF files and tables)."""
    from kg.cli import write_outputs

    out = tmp_path_factory.mktemp("safety-out")
    write_outputs(safety, out, html=False)
    return out


@pytest.fixture(scope="module")
def study() -> m.Study:
    """Trial S as typed records."""
    corpus, _ = load_corpus(SAFETY)
    return corpus.studies["trial-s"]


def node(kind: str, rid: str) -> URIRef:
    return iris.study_part("trial-s", kind, rid)


def short(rid: str) -> str:
    """A safety result as query answers print it."""
    return f"study.trial-s.adverse-event:{rid}"


def test_the_fixture_builds_and_validates():
    checked = check_build(SAFETY)
    assert checked.violations == []


@pytest.mark.parametrize(("grade", "bounds"), [
    ("any", (1, 5)), ("3", (3, 3)), ("1-2", (1, 2)), ("3-4", (3, 4)), (">=3", (3, 5)),
    ("5", (5, 5)), ("6", None), ("4-3", None), ("0", None), ("severe", None)])
def test_grades_are_ctcae_grades_or_ranges(grade: str, bounds: tuple[int, int] | None):
    assert grade_bounds(grade) == bounds


def test_an_adverse_event_is_an_outcome_result_to_a_tool_that_reads_the_ontology(
        safety_graph: Graph):
    """What an external scorer counts: percentages in an arm and counts, in kg:OutcomeResult."""
    rows = safety_graph.query("""
        PREFIX kg: <https://w3id.org/dti-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?r ?pct ?n ?arm WHERE {
          ?r a/rdfs:subClassOf* kg:OutcomeResult ; kg:arm ?arm .
          OPTIONAL { ?r kg:value ?pct ; kg:unit kg:Percent }
          OPTIONAL { ?r kg:count ?n } }""")
    found = {(str(r.r), r.pct.toPython() if r.pct is not None else None,
              r.n.toPython() if r.n is not None else None) for r in rows}
    assert (str(node("adverse-event", "hfsr-g34-examplinib")), Decimal("15.0"), 9) in found
    assert (str(node("adverse-event", "hypertension-g3-placebo")), Decimal("1.7"), 1) in found
    assert (str(node("adverse-event", "death-examplinib")), None, 1) in found
    assert len(found) == 13


def test_an_adverse_event_result_carries_term_grade_relatedness_arm_and_rate(
        safety_graph: Graph):
    r = node("adverse-event", "hfsr-g3-related-examplinib")
    g = safety_graph
    assert (r, RDF.type, KG.AdverseEventResult) in g
    assert (r, KG.eventTerm, Literal("hand-foot skin reaction")) in g
    assert (r, KG.adverseEvent, mint("adverse-event", "hand-foot-skin-reaction")) in g
    assert (r, KG.gradeLow, Literal(3)) in g and (r, KG.gradeHigh, Literal(3)) in g
    assert (r, KG.relatedness, KG.TreatmentRelated) in g
    assert (r, KG.arm, node("arm", "examplinib")) in g
    assert (r, KG.count, Literal(9)) in g and (r, KG.denominator, Literal(60)) in g
    assert (iris.study("trial-s"), KG.hasSafetyResult, r) in g
    assert g.value(r, KG.hasEvidence) is not None
    table_row = node("adverse-event", "hfsr-any-examplinib")
    assert (table_row, KG.timeFrame, Literal("until 30 days after the last dose")) in g
    assert (table_row, KG.gradeRange, Literal("any")) in g


def test_dose_changes_and_deaths_are_their_own_kinds(safety_graph: Graph):
    g = safety_graph
    reduction = node("adverse-event", "dose-reduction-examplinib")
    assert (reduction, RDF.type, KG.DoseModificationResult) in g
    assert (reduction, KG.modificationKind, KG.DoseReduction) in g
    stop = node("adverse-event", "discontinuation-examplinib")
    assert (stop, KG.modificationKind, KG.DiscontinuationDueToAdverseEvent) in g
    death = node("adverse-event", "death-examplinib")
    assert (death, RDF.type, KG.DeathOnTreatmentResult) in g
    assert (death, KG.gradeLow, Literal(5)) in g  # a death on treatment is grade 5
    assert (death, KG.eventTerm, Literal("bleeding event")) in g


def test_a_harm_comparison_has_a_safety_direction_and_its_own_evidence_item(safety_graph: Graph):
    g = safety_graph
    c = node("harm-comparison", "diarrhoea-or")
    assert (c, RDF.type, KG.HarmComparison) in g
    assert (c, KG.measure, KG.OddsRatio) in g
    assert (c, KG.safetyDirection, KG.MoreEvents) in g
    assert (c, KG.comparesResult, node("adverse-event", "diarrhoea-any-placebo")) in g
    assert (c, KG.direction, None) not in g  # efficacy direction is not harm
    item = mint("evidence-item", "trial-s--diarrhoea-or--nsclc--safety")
    assert (item, KG.safetyDirection, KG.MoreEvents) in g
    assert (item, KG.summarises, c) in g
    assert (item, KG.drugUnderTest, iris.drug("examplinib")) in g
    assert (item, KG.evidenceLevel, KG.Phase2RandomisedLevel) in g
    assert (item, KG.evidenceDirection, None) not in g


@pytest.mark.parametrize(("fields", "expected"), [
    ({"safety_direction": "similar-events", "estimate": Decimal("3")}, ("similar-events",
                                                                         "stated")),
    ({"measure": "risk-ratio", "estimate": Decimal("2.0"), "ci_low": Decimal("1.2"),
      "ci_high": Decimal("3.1")}, ("more-events", "confidence interval excludes no effect")),
    ({"measure": "odds-ratio", "estimate": Decimal("0.5"), "ci_low": Decimal("0.2"),
      "ci_high": Decimal("1.1")}, ("similar-events", "confidence interval includes no effect")),
    ({"measure": "rate-difference", "estimate": Decimal("-8"), "ci_low": Decimal("-12"),
      "ci_high": Decimal("-3")}, ("fewer-events", "confidence interval excludes no effect")),
    ({"measure": "risk-ratio", "estimate": Decimal("1.9"), "p_value": Decimal("0.2"),
      "p_qualifier": "="}, ("similar-events", "p ≥ 0.05")),
    ({"measure": "risk-ratio"}, None)])
def test_safety_direction_is_stated_or_read_from_the_estimate(fields: dict, expected: object):
    c = m.HarmComparison("c", ("q",), m.Loc("f", 1), experimental="a", reference="b", **fields)
    assert safety_direction(c) == expected


def test_a_tolerability_claim_rests_on_the_safety_records(safety_graph: Graph):
    claim = iris.claim("well-tolerated")
    rests = set(safety_graph.objects(claim, KG.restsOn))
    assert rests == {node("adverse-event", "discontinuation-examplinib"),
                     node("adverse-event", "dose-reduction-examplinib"),
                     node("adverse-event", "death-examplinib")}


def expected_rows(s: m.Study, drug: str | None = None) -> set[tuple]:
    """The adverse-events query's rows, derived from the typed records alone (no SPARQL)."""
    arms = {a.id: a for a in s.arms}
    pops = {p.id: p for p in s.populations}
    refs = {c.reference for c in s.harm_comparisons}
    refs |= {c.reference for c in s.comparisons if c.reference}
    refs |= {a.id for a in s.arms if "placebo" in a.regimen}

    def arm_of(r: m.SafetyResult) -> str | None:
        return r.arm or (pops[r.population].arm if r.population else None)

    def key(r: m.SafetyResult) -> tuple:
        return (r.kind, r.event, r.grade or ("5" if r.kind == "death" else None), r.relatedness)

    out = set()
    for r in s.adverse_events:
        arm = arm_of(r)
        if drug is not None and (arm is None or drug not in arms[arm].regimen):
            continue
        matches = [o for o in s.adverse_events if key(o) == key(r) and arm_of(o) in refs
                   and arm_of(o) != arm]
        for o in matches or [None]:
            out.add((short(r.id), arms[arm].label if arm else None,
                     r.event, r.count, r.denominator, r.percent,
                     arms[arm_of(o)].label if o else None, o.count if o else None,
                     o.percent if o else None, None))
    for c in s.harm_comparisons:  # a row each: experimental against reference arm
        if drug is not None and drug not in arms[c.experimental].regimen:
            continue
        out.add((f"study.trial-s.harm-comparison:{c.id}", arms[c.experimental].label, c.event,
                 None, None, None, arms[c.reference].label, None, None,
                 (c.safety_direction or "").replace("-", " ")))
    return out


def rows_of(result: kg.api.QueryResult) -> set[tuple]:
    def dec(v: object) -> Decimal | None:
        return None if v is None else Decimal(str(v))
    return {(r["result"], r["arm"], r["eventTerm"], r["count"], r["denominator"],
             dec(r["percent"]), r["referenceArm"], r["referenceCount"],
             dec(r["referencePercent"]), r["safetyDirection"]) for r in result}


def test_adverse_events_query_returns_every_record_with_its_reference(
        safety_out: Path, study: m.Study):
    g = kg.open(safety_out)
    got = rows_of(g.query("adverse-events"))
    assert got == expected_rows(study)
    assert len(got) == len(study.adverse_events) + len(study.harm_comparisons)
    row = next(r for r in got if r[0] == short("hfsr-g34-examplinib"))
    assert row[6:] == ("placebo", 0, Decimal("0"), None)


def test_adverse_events_query_filters_by_drug_event_and_grade(safety_out: Path,
                                                                study: m.Study):
    g = kg.open(safety_out)
    assert rows_of(g.query("adverse-events", drug="examplinib")) == \
        expected_rows(study, drug="examplinib")
    grade4 = g.query("adverse-events", event="HAND-FOOT", grade=4)
    expected = {short(r.id) for r in study.adverse_events
                if r.event == "hand-foot skin reaction" and r.grade
                and grade_bounds(r.grade)[0] <= 4 <= grade_bounds(r.grade)[1]}  # type: ignore
    assert {r["result"] for r in grade4} == expected == {
        short("hfsr-any-examplinib"), short("hfsr-any-placebo"), short("hfsr-g34-examplinib"),
        short("hfsr-g34-placebo")}


def test_kg_query_adverse_events_by_drug_on_the_command_line(safety_out: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "query", "adverse-events", "--param", "drug=examplinib",
         "--graph", str(safety_out / "graph.trig"), "--format", "csv"],
        capture_output=True, text=True, check=True)
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("result,studyName,arm,population,kind,eventTerm,gradeRange")
    assert len(lines) == 1 + 8 + 1  # the examplinib arm's eight safety records, one comparison
    assert any("hand-foot skin reaction,3-4" in line and ",placebo,0,60,0" in line
               for line in lines)


def test_the_shipped_review_states_its_harm_comparison(graph: Graph):
    """'A slight increase in toxicities in sorafenib-treated patients': more events, no rates."""
    c = iris.study_part("spigel-2011", "harm-comparison", "toxicity-increase")
    assert (c, KG.safetyDirection, KG.MoreEvents) in graph
    assert (c, KG.experimentalGroup, iris.study_part("spigel-2011", "arm",
                                                     "sorafenib-erlotinib")) in graph
    assert (c, KG.estimate, None) not in graph  # the review prints no number for it
    assert (iris.claim("review-erlotinib-combination-toxicity"), KG.restsOn, c) in graph
    item = mint("evidence-item", "spigel-2011--toxicity-increase--nsclc--safety")
    assert (item, KG.safetyDirection, KG.MoreEvents) in graph
    assert (item, KG.drugUnderTest, iris.drug("sorafenib")) in graph
    assert (item, KG.backboneDrug, iris.drug("erlotinib")) in graph
    assert graph.value(item, RDFS.label) is not None


def test_the_adverse_events_table_has_a_row_per_safety_result_and_no_empty_column(
        safety_out: Path, study: m.Study):
    import csv

    from kg.export.tables import load_specs

    spec = next(s for s in load_specs() if s.name == "adverse-events")
    with (safety_out / "tables" / "adverse-events.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["result"] for r in rows] == sorted(str(node("adverse-event", r.id))
                                                 for r in study.adverse_events)
    for column in spec.columns:
        assert any(r[column.name] for r in rows), f"adverse-events.{column.name} is empty"
    death = next(r for r in rows if r["result"].endswith("/death-examplinib"))
    assert (death["kind"], death["event"], death["grade_low"], death["relatedness"]) == (
        "death on treatment", "bleeding event", "5", "treatment-related")
    hfsr = next(r for r in rows if r["result"].endswith("/hfsr-g34-examplinib"))
    assert (hfsr["count"], hfsr["denominator"], hfsr["percent"]) == ("9", "60", "15")
    assert hfsr["arm_label"].endswith("examplinib")
