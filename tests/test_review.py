"""The NSCLC review in the graph.

A representative fact from every study, Table 2, grading, summary edges, contradictions, and the
number audit.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.audit import audit
from kg.builders import iris
from kg.builders.base import dec as decimal_literal
from kg.sources.loader import load_corpus
from kg.vocab import KG


def part(study: str, kind: str, pid: str) -> URIRef:
    return iris.study_part(study, kind, pid)


def dec(v: str) -> Literal:
    return decimal_literal(Decimal(v))


def hr(graph: Graph, study: str, cid: str) -> tuple[str, str, str, str, URIRef]:
    node = part(study, "comparison", cid)
    return (str(graph.value(node, KG.estimate)), str(graph.value(node, KG.ciLow)),
            str(graph.value(node, KG.ciHigh)), str(graph.value(node, KG.pValue)),
            graph.value(node, KG.pValueQualifier))


# -- one representative fact per study ---------------------------------------------------------

def test_every_study_of_the_review_is_a_node(graph: Graph):
    expected = {"other-cancers-phase2", "phase3-hcc", "phase3-rcc", "blumenschein-2009",
                "blumenschein-2009-plasma-biomarkers", "e2501", "mission", "mission-kras-subset",
                "first-line-phase2-closed", "escape", "nexus", "vegfr-egfr-synergy", "lind-2010",
                "spigel-2011", "elderly-first-line", "erlotinib-synergy-preclinical", "battle",
                "kelly-2011", "dingemans-2013", "garassino-in-vitro", "ihle-kras-pathways",
                "veristrat-egfr-tki", "imaging-criteria", "ce-ct-substudy", "bevacizumab-trials"}
    for sid in expected:
        node = iris.study(sid)
        assert (node, KG.describedIn, iris.document("nsclc-review")) in graph, sid
        assert list(graph.objects(node, KG.hasEvidence)), sid


def test_blumenschein_7(graph: Graph):
    s = "blumenschein-2009"
    assert (iris.study(s), KG.referenceNumber, Literal(7)) in graph
    assert (part(s, "population", "treated"), KG.size, Literal(52)) in graph
    assert (part(s, "result", "sd-rate"), KG.value, dec("59")) in graph
    assert (part(s, "result", "os-median"), KG.value, dec("6.7")) in graph
    assert (part(s, "endpoint", "rr"), KG.isPrimary, Literal(True)) in graph


def test_plasma_biomarkers_7_25(graph: Graph):
    s = "blumenschein-2009-plasma-biomarkers"
    assert (iris.study(s), KG.partOf, iris.study("blumenschein-2009")) in graph
    f = part(s, "finding", "timp-1-baseline")
    assert (f, KG.marker, iris.biomarker("timp-1")) in graph
    assert (f, KG.associationDirection, KG.WorseOutcome) in graph
    assert (f, KG.measurementTime, Literal("baseline")) in graph
    assert (part(s, "finding", "vegf-increase"), KG.associationDirection, KG.BetterOutcome) in graph


def test_randomised_discontinuation_8(graph: Graph):
    s = "e2501"
    assert (iris.study(s), KG.randomisedDiscontinuation, Literal(True)) in graph
    assert (part(s, "population", "run-in"), KG.size, Literal(299)) in graph
    assert (part(s, "population", "randomised"), KG.size, Literal(81)) in graph
    assert hr(graph, s, "pfs-hr") == ("0.51", "0.30", "0.87", "0.014", KG.Equal)
    assert (part(s, "comparison", "os-hr"), KG.significant, Literal(False)) in graph
    assert (part(s, "comparison", "os-hr"), KG.significanceBasis, Literal("stated")) in graph


def test_mission_9(graph: Graph):
    s = iris.study("mission")
    assert (s, KG.acronym, Literal("MISSION")) in graph
    assert (s, KG.phase, KG.Phase3) in graph
    assert (s, KG.lineOfTherapy, KG.ThirdLine) in graph and (s, KG.lineOfTherapy,
                                                              KG.FourthLine) in graph
    assert (s, KG.xref, Literal("NCT:NCT00863746")) in graph
    assert hr(graph, "mission", "pfs-hr") == ("0.60", "0.51", "0.72", "0.0001", KG.LessThan)
    assert (part("mission", "comparison", "os-hr"), KG.direction, KG.NoDifference) in graph


def test_mission_kras_subset_11(graph: Graph):
    s = "mission-kras-subset"
    assert (iris.study(s), KG.partOf, iris.study("mission")) in graph
    assert (part(s, "population", "kras-samples"), KG.size, Literal(71)) in graph


def test_first_line_closed_10(graph: Graph):
    s = iris.study("first-line-phase2-closed")
    assert (s, KG.terminatedEarly, Literal(True)) in graph
    assert (s, KG.lineOfTherapy, KG.FirstLine) in graph
    assert (part("first-line-phase2-closed", "result", "rr-12"), KG.value, dec("12")) in graph


def test_escape_12_squamous_harm(graph: Graph):
    assert (part("escape", "population", "randomised"), KG.size, Literal(926)) in graph
    c = part("escape", "comparison", "os-squamous-hr")
    assert hr(graph, "escape", "os-squamous-hr")[:3] == ("1.85", "1.22", "2.81")
    assert (c, KG.population, part("escape", "population", "squamous")) in graph
    assert (c, KG.direction, KG.FavoursReference) in graph
    arm = part("escape", "arm", "sorafenib")
    regimen = graph.value(arm, KG.usesRegimen)
    assert {iris.drug("sorafenib"), iris.drug("carboplatin"), iris.drug("paclitaxel")} == set(
        graph.objects(regimen, KG.hasComponent))


def test_nexus_13(graph: Graph):
    assert (part("nexus", "population", "randomised"), KG.size, Literal(772)) in graph
    assert hr(graph, "nexus", "pfs-hr") == ("0.83", "0.71", "0.97", "0.008", KG.Equal)
    pfs = part("nexus", "result", "pfs-sorafenib")
    assert (pfs, KG.ciLow, dec("5.5")) in graph and (pfs, KG.ciHigh, dec("6.8")) in graph


def test_vegfr_egfr_synergy_14_15(graph: Graph):
    s = iris.study("vegfr-egfr-synergy")
    assert (s, RDF.type, KG.PreclinicalStudy) in graph
    assert {int(x) for x in graph.objects(s, KG.referenceNumber)} == {14, 15}


def test_lind_16(graph: Graph):
    pr = part("lind-2010", "result", "pr-count")
    assert (pr, KG.count, Literal(12)) in graph
    assert (pr, KG.denominator, Literal(50)) in graph
    assert (pr, KG.value, dec("24")) in graph
    assert (part("lind-2010", "result", "dcr"), KG.value, dec("74")) in graph


def test_spigel_17_egfr_wild_type(graph: Graph):
    s = "spigel-2011"
    wt = part(s, "population", "egfr-wild-type")
    assert (wt, KG.size, Literal(67)) in graph
    assert (wt, KG.definedByBiomarker, iris.biomarker("egfr-mutation")) in graph
    assert (wt, KG.biomarkerStatus, Literal("wild type")) in graph
    assert hr(graph, s, "os-wt-hr") == ("0.53", "0.29", "0.98", "0.019", KG.Equal)
    c = part(s, "comparison", "pfs-wt-hr")
    assert (c, KG.experimentalGroup, part(s, "arm", "sorafenib-erlotinib")) in graph
    assert (c, KG.referenceGroup, part(s, "arm", "placebo-erlotinib")) in graph


def test_elderly_18(graph: Graph):
    s = "elderly-first-line"
    assert (part(s, "population", "included"), KG.ageGroup, Literal("elderly")) in graph
    assert (part(s, "population", "included"), KG.size, Literal(60)) in graph
    assert (part(s, "result", "survival-erlotinib"), KG.value, dec("45")) in graph
    ep = part(s, "endpoint", "survival-1-year")
    assert (ep, KG.endpointType, KG.SurvivalRate) in graph
    assert (ep, KG.timePointUnit, KG.Year) in graph


def test_preclinical_synergy_19(graph: Graph):
    arm = part("erlotinib-synergy-preclinical", "arm", "sorafenib-erlotinib")
    assert (arm, KG.usesRegimen, iris.regimen(("sorafenib", "erlotinib"))) in graph


def test_battle_20(graph: Graph):
    s = "battle"
    assert (iris.study(s), KG.adaptive, Literal(True)) in graph
    dcr = part(s, "result", "dcr-kras-sorafenib")
    assert (dcr, KG.count, Literal(11)) in graph and (dcr, KG.denominator, Literal(14)) in graph
    assert (part(s, "result", "dcr-egfr"), KG.count, Literal(9)) in graph
    arms = {str(graph.value(a, RDFS.label)).split(": ")[-1]
            for a in graph.objects(iris.study(s), KG.hasArm)}
    assert arms == {"erlotinib", "vandetanib", "erlotinib + bexarotene", "sorafenib"}


def test_kelly_21_biomarkers_and_dce_mri(graph: Graph):
    s = "kelly-2011"
    assert (iris.study(s), KG.multicentre, Literal(False)) in graph
    assert (part(s, "population", "kras-mutant"), KG.size, Literal(11)) in graph
    assert (part(s, "finding", "bfgf-baseline"), KG.associationDirection,
            KG.BetterOutcome) in graph
    kep = part(s, "finding", "kep-change")
    assert (kep, RDF.type, KG.ImagingFinding) in graph
    assert (kep, KG.exploratory, Literal(True)) in graph


def test_dingemans_22_and_veristrat(graph: Graph):
    s = "dingemans-2013"
    assert (part(s, "result", "pd-count"), KG.value, dec("47.4")) in graph
    os_ = part(s, "result", "os-median")
    assert (os_, KG.ciLow, dec("3.6")) in graph and (os_, KG.ciHigh, dec("7.0")) in graph
    assert hr(graph, s, "pfs-veristrat-hr") == ("1.4", "1.0", "1.9", "0.029", KG.Equal)
    assert (part(s, "finding", "veristrat-predictive"), KG.marker,
            iris.biomarker("veristrat")) in graph


def test_kras_subtypes_23_24(graph: Graph):
    g12d = part("garassino-in-vitro", "finding", "g12d-sensitive")
    assert (g12d, KG.associationDirection, KG.BetterOutcome) in graph
    assert (part("garassino-in-vitro", "finding", "g12c-resistant"), KG.associationDirection,
            KG.WorseOutcome) in graph
    assert (iris.study("ihle-kras-pathways"), KG.referenceNumber, Literal(24)) in graph


def test_veristrat_egfr_tki_26_28(graph: Graph):
    s = iris.study("veristrat-egfr-tki")
    assert {int(x) for x in graph.objects(s, KG.referenceNumber)} == {26, 27, 28}


def test_imaging_29_30(graph: Graph):
    assert (iris.study("imaging-criteria"), KG.referenceNumber, Literal(29)) in graph
    assert (part("ce-ct-substudy", "population", "imaged"), KG.size, Literal(23)) in graph
    assert (part("ce-ct-substudy", "finding", "blood-flow-pfs"), KG.associatedEndpoint,
            KG.ProgressionFreeSurvival) in graph


def test_bevacizumab_31_32(graph: Graph):
    assert (iris.drug("bevacizumab"), KG.inClinicalTrialsFor, iris.disease("nsclc")) in graph


# -- Table 2 -------------------------------------------------------------------------------------

def test_table_2_rows_link_to_studies_and_cross_check(graph: Graph):
    from kg.ids import mint

    table = mint("document", "nsclc-review", "table", "table-2")
    rows = list(graph.objects(table, KG.hasRow))
    assert len(rows) == 4
    studies = {graph.value(r, KG.describesStudy) for r in rows}
    assert studies == {iris.study(s) for s in ("battle", "kelly-2011", "mission",
                                              "dingemans-2013")}
    checks = {str(graph.value(c, RDFS.label)): bool(graph.value(c, KG.agrees))
              for c in graph.subjects(RDF.type, KG.CrossCheck)}
    assert checks["table-2 N '703' agrees with the prose (N = 703)"] is True
    assert checks["table-2 N '341' disagrees with the prose (N = 158)"] is False
    # the table's own statements become data where the prose is silent
    assert (iris.study("battle"), KG.phase, KG.Phase2) in graph
    assert (part("battle", "result", "table-2-kras-mutation"), KG.value, dec("20")) in graph


# -- grading, summary edges ----------------------------------------------------------------------

def test_treats_only_where_approval_is_stated(graph: Graph):
    treats = set(graph.subject_objects(KG.treats))
    assert treats == {(iris.drug("sorafenib"), iris.disease("hcc")),
                      (iris.drug("sorafenib"), iris.disease("rcc"))}
    assert (iris.drug("sorafenib"), KG.inClinicalTrialsFor, iris.disease("nsclc")) in graph


def test_every_drug_indication_pair_of_a_clinical_study_is_graded(graph: Graph):
    items = list(graph.subjects(RDF.type, KG.DrugIndicationEvidence))
    graded = {(d, graph.value(i, KG.aboutIndication)) for i in items
              for d in graph.objects(i, KG.therapyUnderTest)}
    for drug, disease in graph.subject_objects(KG.inClinicalTrialsFor):
        assert (drug, disease) in graded, (drug, disease)
    for i in items:
        assert graph.value(i, KG.evidenceLevel) is not None
        assert graph.value(i, KG.summarises) is not None


def test_squamous_harm_is_graded_as_subgroup_harm(graph: Graph):
    from kg.ids import mint

    item = mint("evidence-item", "escape--os-squamous-hr--squamous-nsclc")
    assert (item, KG.evidenceDirection, KG.Harm) in graph
    assert (item, KG.evidenceLevel, KG.SubgroupLevel) in graph
    assert (item, KG.significanceLevel, Literal(True)) in graph
    assert (item, KG.histology, iris.disease("squamous-nsclc")) in graph


def test_egfr_wild_type_benefit_has_biomarker_context(graph: Graph):
    from kg.ids import mint

    item = mint("evidence-item", "spigel-2011--pfs-wt-hr--nsclc")
    assert (item, KG.evidenceDirection, KG.SupportsBenefit) in graph
    assert (item, KG.definedByBiomarker, iris.biomarker("egfr-mutation")) in graph
    assert (item, KG.biomarkerStatus, Literal("wild type")) in graph
    assert (item, KG.lineOfTherapy, KG.Pretreated) in graph


# -- contradictions ------------------------------------------------------------------------------

@pytest.mark.parametrize(("cid", "members"), [
    ("nexus-chemotherapy-partner", {part("nexus", "arm", "sorafenib"),
                                    part("nexus", "arm", "sorafenib-as-restated")}),
    ("kras-benefit", {iris.claim("review-battle-kras-may-benefit"),
                      iris.claim("review-mission-kras-no-benefit")}),
    ("predictive-biomarker", {iris.claim("review-no-predictive-biomarker"),
                              part("dingemans-2013", "finding", "veristrat-predictive")}),
    ("table-2-battle-n", {part("battle", "population", "treated")}),
])
def test_contradictions_keep_both_sides(graph: Graph, cid: str, members: set[URIRef]):
    node = iris.contradiction(cid)
    assert (node, RDF.type, KG.Contradiction) in graph
    linked = set(graph.objects(node, KG.conflictingStatement))
    assert members <= linked
    for member in linked:
        assert list(graph.predicate_objects(member)), "a conflicting statement was dropped"


def test_both_regimens_of_nexus_stay_in_the_graph(graph: Graph):
    a = graph.value(part("nexus", "arm", "sorafenib"), KG.usesRegimen)
    b = graph.value(part("nexus", "arm", "sorafenib-as-restated"), KG.usesRegimen)
    assert iris.drug("gemcitabine") in set(graph.objects(a, KG.hasComponent))
    assert iris.drug("paclitaxel") in set(graph.objects(b, KG.hasComponent))


# -- audit -----------------------------------------------------------------------------------------

def test_audit_has_no_unexplained_number(graph: Graph):
    corpus, texts = load_corpus()
    occurrences = audit(graph, corpus, texts)
    assert len(occurrences) > 250
    unexplained = [str(o) for o in occurrences if o.status == "unexplained"]
    assert unexplained == []
    covered = {(o.doc, o.number) for o in occurrences if o.status == "covered"}
    assert ("nsclc-review", "0.0001") in covered and ("santoro-2013", "0.033") in covered


def test_audit_flags_a_number_the_graph_lacks(real):
    corpus, texts = load_corpus()
    g = real.union()
    res = part("mission", "result", "pfs-placebo")
    g.remove((res, KG.value, None))
    unexplained = [o for o in audit(g, corpus, texts) if o.status == "unexplained"]
    assert [o.number for o in unexplained] == ["1.4"]
