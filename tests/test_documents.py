"""One study, many documents: a second report attaches to the study another document defines.

The fixture ``fixtures/second-report`` is a made-up follow-up report of MISSION (a shipped
study) written for these tests: it names the trial by registry id, restates arms, population and
endpoints, adds a population, and reports numbers that agree, agree within rounding, and
disagree with the review.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.assemble import BuildResult
from kg.builders import iris
from kg.builders.crossdoc import compare
from kg.ids import graph_iri
from kg.paths import SOURCES_DIR
from kg.query.engine import OxigraphEngine
from kg.query.library import load_library
from kg.sources.loader import InputError, load_corpus
from kg.vocab import KG, OA
from tests.conftest import with_second_report


def mission(kind: str, rid: str) -> URIRef:
    return iris.study_part("mission", kind, rid)


def test_the_second_report_attaches_to_the_existing_study(two: BuildResult):
    g = two.union()
    study = iris.study("mission")
    assert set(g.objects(study, KG.describedIn)) == {iris.document("nsclc-review"),
                                                    iris.document("mission-followup")}
    assert len(set(g.objects(study, RDF.type))) == 1 and len(set(g.objects(study,
                                                                           KG.acronym))) == 1
    # restated parts are one node, with evidence in both documents
    sources = {g.value(span, OA.hasSource) for span in g.objects(mission("arm", "sorafenib"),
                                                                 KG.hasEvidence)}
    assert sources == {iris.document("nsclc-review"), iris.document("mission-followup")}
    assert len(set(g.objects(mission("population", "randomised"), KG.size))) == 1
    # the new population and the new statements are added to the one study
    assert (study, KG.hasPopulation, mission("population", "per-protocol-followup")) in g
    assert (study, KG.hasComparison, mission("comparison", "pfs-hr-followup")) in g


def test_each_documents_statements_stay_in_its_own_named_graph(two: BuildResult):
    followup = two.dataset.graph(graph_iri("mission-followup"))
    review = two.dataset.graph(graph_iri("nsclc-review"))
    hr = mission("comparison", "pfs-hr-followup")
    assert (hr, KG.estimate, None) in followup and (hr, KG.estimate, None) not in review
    assert (mission("comparison", "pfs-hr"), KG.estimate, None) in review
    # the study's label and design are stated once, by the document that defines it
    assert (iris.study("mission"), KG.phase, None) not in followup


def test_named_queries_list_the_study_once(two: BuildResult, tmp_path: Path):
    from kg.cli import write_outputs

    write_outputs(two, tmp_path, html=False)
    engine = OxigraphEngine(tmp_path / "graph.trig")
    library = load_library()
    res = engine.query(library["study-by-nct"].bind({"nct": "NCT00863746"}))
    assert res.rows and len({r["study"].value for r in res.rows}) == 1
    studies = engine.query(library["drug-studies"].bind({}))
    mission_rows = [r for r in studies.rows if r["label"].value.startswith("MISSION")]
    assert len(mission_rows) == 1
    assert len(studies.rows) == len({r["study"].value for r in studies.rows})


def checks(g: Graph) -> dict[tuple[str, str], tuple[bool, bool]]:
    out = {}
    for c in g.subjects(RDF.type, KG.CrossDocumentCheck):
        attr = str(g.value(c, KG.checkedAttribute))
        stmts = sorted(str(s).rsplit("/", 1)[1] for s in g.objects(c, KG.checkedStatement))
        out[("|".join(stmts), attr)] = (g.value(c, KG.agrees).toPython(),
                                        g.value(c, KG.withinRounding).toPython())
    return out


def test_cross_document_checks_record_agreement_and_flag_the_planted_disagreement(
        two: BuildResult):
    g = two.union()
    found = checks(g)
    assert found[("pfs-hr|pfs-hr-followup", "kg:estimate")] == (False, False)
    assert found[("pfs-hr|pfs-hr-followup", "kg:ciLow")] == (True, False)
    assert found[("os-hr|os-hr-followup", "kg:estimate")] == (True, False)
    assert found[("pfs-placebo|pfs-placebo-followup", "kg:value")] == (True, True)
    assert found[("os-sorafenib|os-sorafenib-followup", "kg:value")] == (True, False)
    contradictions = [c for c in g.subjects(KG.detectedBy, Literal("cross-document check"))]
    assert len(contradictions) == 1
    c = contradictions[0]
    assert set(g.objects(c, KG.conflictingStatement)) == {mission("comparison", "pfs-hr"),
                                                          mission("comparison", "pfs-hr-followup")}
    note = str(g.value(c, KG.conflictNote))
    assert "0.60" in note and "0.61" in note and "beyond the rounding" in note


def test_cross_document_checks_only_pair_statements_of_different_documents(graph: Graph,
                                                                             two: BuildResult):
    for g in (graph, two.union()):
        for check in g.subjects(RDF.type, KG.CrossDocumentCheck):
            docs = [{g.value(span, OA.hasSource) for span in g.objects(s, KG.hasEvidence)}
                    for s in g.objects(check, KG.checkedStatement)]
            assert len(docs) == 2 and not docs[0] & docs[1], check


@pytest.mark.parametrize(("a", "b", "verdict"), [
    ("0.60", "0.61", (False, False)), ("14.5", "14.47", (True, True)),
    ("0.6", "0.60", (True, False)), ("12", "12.4", (True, True)), ("12", "12.5", (False, False)),
    ("10.7", "10.8", (False, False)),
])
def test_compare_respects_printed_precision(a: str, b: str, verdict: tuple[bool, bool]):
    from decimal import Decimal

    assert compare(Decimal(a), Decimal(b)) == verdict


def test_extension_by_acronym_and_restatement_conflicts(tmp_path: Path):
    sources = with_second_report(tmp_path)
    defined = load_corpus(SOURCES_DIR)[0].studies["mission"]
    arm_line = next(a for a in defined.arms if a.id == "sorafenib").loc.line
    pop_line = next(p for p in defined.populations if p.id == "randomised").loc.line
    path = sources / "evidence" / "mission-followup.yaml"
    text = path.read_text().replace("extends: {nct: NCT00863746}", "extends: {acronym: mission}")
    path.write_text(text)
    corpus, _ = load_corpus(sources)
    assert corpus.studies["mission"].results[-1].id.endswith("-followup")
    path.write_text(text.replace("regimen: [sorafenib], quote", "regimen: [sorafenib, erlotinib], "
                                 "quote", 1).replace("size: 703", "size: 700"))
    with pytest.raises(InputError) as exc:
        load_corpus(sources)
    assert [p.split(": ", 1)[1] for p in exc.value.problems] == [
        "id: 'mission/sorafenib' restates the part first stated at "
        f"{sources}/evidence/nsclc-review.yaml:{arm_line} with a different regimen (sorafenib + "
        "erlotinib vs sorafenib); give this document's part its own id",
        "id: 'mission/randomised' restates the part first stated at "
        f"{sources}/evidence/nsclc-review.yaml:{pop_line} with a different size (700 vs 703); give "
        "this document's part its own id",
        "size: 700 is not printed in the record's quote(s); quote the words that state it, or "
        "declare it under 'derived:'"]
