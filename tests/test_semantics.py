"""Evidence a researcher can trust: what each graded item credits, at what level, and why.

Each rule is pinned twice: on the made-up ``fixtures/addon`` corpus (an add-on trial on a
chemotherapy backbone with a subgroup, a single-arm combination with a prognostic marker
comparison, a claim resting on the subgroup) and on the shipped corpus.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.assemble import BuildResult, build
from kg.builders import iris
from kg.ids import mint
from kg.paths import SOURCES_DIR
from kg.render.pages import hazard_ratios, write_report
from kg.render.projection import caption
from kg.sources.loader import InputError, load_corpus
from kg.vocab import KG
from tests.conftest import FIXTURES

ADDON = FIXTURES / "addon"


@pytest.fixture(scope="module")
def addon() -> Graph:
    return build(ADDON).union()


def item(key: str) -> URIRef:
    return mint("evidence-item", key)


def regimen(*drugs: str) -> URIRef:
    return iris.regimen(tuple(drugs))


# -- who gets the credit ----------------------------------------------------------------------


def backbone_violations(g: Graph) -> list[str]:
    """Items crediting a drug that both arms of the summarised comparison received."""
    out = []
    for it, drug in g.subject_objects(KG.drugUnderTest):
        ref = g.value(it, KG.referenceRegimen)
        if ref is not None and (ref, KG.hasComponent, drug) in g:
            out.append(f"{it} credits {drug}, which the reference arm also received")
        c = g.value(it, KG.summarises)
        arms = [g.value(c, KG.experimentalGroup), g.value(c, KG.referenceGroup)]
        if all(arms) and all((g.value(a, KG.usesRegimen), KG.hasComponent, drug) in g
                             for a in arms):
            out.append(f"{it} credits {drug}, given in both arms of {c}")
    return out


@pytest.mark.parametrize("corpus", ["addon", "shipped"])
def test_no_drug_given_in_both_compared_arms_is_credited(corpus: str, addon: Graph,
                                                         graph: Graph):
    g = addon if corpus == "addon" else graph
    assert list(g.subjects(KG.drugUnderTest, None)), "the corpus has no credited drug at all"
    assert backbone_violations(g) == []


def test_the_backbone_check_can_fail(addon: Graph):
    g = Graph()
    for t in addon:
        g.add(t)
    g.add((item("trial-a--os-hr--nsclc"), KG.drugUnderTest, iris.drug("carboplatin")))
    assert backbone_violations(g)


def test_add_on_trial_credits_only_the_added_drug(addon: Graph):
    it = item("trial-a--os-hr--nsclc")
    assert set(addon.objects(it, KG.drugUnderTest)) == {iris.drug("examplinib")}
    assert (it, KG.therapyUnderTest, iris.drug("examplinib")) in addon
    assert set(addon.objects(it, KG.backboneDrug)) == {iris.drug("carboplatin"),
                                                       iris.drug("paclitaxel")}
    assert (it, KG.testedAs, KG.AddOnToBackbone) in addon
    assert (it, KG.regimen, regimen("examplinib", "carboplatin", "paclitaxel")) in addon
    assert (it, KG.referenceRegimen, regimen("placebo", "carboplatin", "paclitaxel")) in addon
    for backbone in ("carboplatin", "paclitaxel"):
        assert not list(addon.subjects(KG.drugUnderTest, iris.drug(backbone)))
        assert not list(addon.objects(iris.drug(backbone), KG.inClinicalTrialsFor))


def test_single_arm_combination_is_evidence_for_the_regimen(addon: Graph):
    combo = regimen("examplinib", "erlotinib")
    items = set(addon.subjects(KG.therapyUnderTest, combo))
    assert items
    for it in items:
        assert (it, KG.testedAs, KG.CombinationRegimen) in addon
        assert addon.value(it, KG.drugUnderTest) is None
    assert (combo, KG.inClinicalTrialsFor, iris.disease("nsclc")) in addon
    assert (combo, RDF.type, KG.Regimen) in addon
    assert not list(addon.objects(iris.drug("erlotinib"), KG.inClinicalTrialsFor))


def test_shipped_escape_credits_sorafenib_not_chemotherapy(graph: Graph):
    it = item("escape--os-squamous-hr--squamous-nsclc")
    assert set(graph.objects(it, KG.drugUnderTest)) == {iris.drug("sorafenib")}
    assert set(graph.objects(it, KG.backboneDrug)) == {iris.drug("carboplatin"),
                                                       iris.drug("paclitaxel")}
    for chemo in ("carboplatin", "paclitaxel", "cisplatin", "gemcitabine"):
        assert not list(graph.subjects(KG.therapyUnderTest, iris.drug(chemo))), chemo
    # sorafenib + erlotinib against placebo + erlotinib tests sorafenib, not erlotinib
    spigel = item("spigel-2011--pfs-wt-hr--nsclc")
    assert set(graph.objects(spigel, KG.drugUnderTest)) == {iris.drug("sorafenib")}
    assert (spigel, KG.backboneDrug, iris.drug("erlotinib")) in graph


# -- levels follow the statements -------------------------------------------------------------


def test_claim_citing_a_subgroup_is_subgroup_evidence(addon: Graph):
    it = item("squamous-harm--trial-a--squamous-nsclc--examplinib")
    assert (it, KG.evidenceLevel, KG.SubgroupLevel) in addon
    assert (it, KG.evidenceDirection, KG.Harm) in addon
    assert (it, KG.levelFrom, iris.study_part("trial-a", "comparison", "os-squamous-hr")) in addon
    assert (it, KG.population, iris.study_part("trial-a", "population", "squamous")) in addon
    # the whole-population comparison of the same trial stays phase III
    assert (item("trial-a--os-hr--nsclc"), KG.evidenceLevel, KG.Phase3RandomisedLevel) in addon


def test_shipped_squamous_claim_is_subgroup_harm(graph: Graph):
    claim = iris.claim("review-squamous-detrimental")
    items = set(graph.subjects(KG.summarises, claim))
    assert items
    for it in items:
        assert (it, KG.evidenceLevel, KG.SubgroupLevel) in graph
        assert (it, KG.evidenceDirection, KG.Harm) in graph
    levels = {graph.value(it, KG.evidenceLevel)
              for it in graph.subjects(KG.aboutIndication, iris.disease("squamous-nsclc"))
              if (it, RDF.type, KG.DrugIndicationEvidence) in graph}
    assert levels == {KG.SubgroupLevel}


RANK = [KG.RegulatoryApprovalLevel, KG.Phase3RandomisedLevel, KG.Phase2RandomisedLevel,
        KG.Phase2SingleArmLevel, KG.SubgroupLevel, KG.ReviewStatementLevel, KG.PreclinicalLevel]


@pytest.mark.parametrize("corpus", ["addon", "shipped"])
def test_a_claim_never_ranks_above_the_statements_it_rests_on(corpus: str, addon: Graph,
                                                             graph: Graph):
    g = addon if corpus == "addon" else graph
    claims = 0
    for it in g.subjects(RDF.type, KG.DrugIndicationEvidence):
        if (g.value(it, KG.summarises), RDF.type, KG.Claim) not in g:
            continue
        claims += 1
        level = g.value(it, KG.evidenceLevel)
        basis = list(g.objects(it, KG.levelFrom))
        if level == KG.RegulatoryApprovalLevel:
            continue
        if not basis:
            assert level == KG.ReviewStatementLevel, it
            continue
        items = [i for b in basis for i in g.subjects(KG.summarises, b)]
        levels = [g.value(i, KG.evidenceLevel) for i in items]
        if levels:  # the statements' own items are never weaker than the claim's
            assert RANK.index(level) >= min(RANK.index(x) for x in levels), it
    assert claims


# -- comparisons carry their kind -------------------------------------------------------------


def test_prognostic_comparison_names_groups_not_arms(addon: Graph):
    c = iris.study_part("trial-b", "comparison", "pfs-kras")
    assert (c, KG.comparisonKind, KG.PrognosticComparison) in addon
    assert (c, KG.firstGroup, iris.study_part("trial-b", "population", "kras-mutant")) in addon
    # HR 2.10 (p=0.01) for the first group: the second group did better
    assert (c, KG.favouredGroup, iris.study_part("trial-b", "population", "other")) in addon
    assert (c, KG.directionBasis, Literal("hazard ratio below or above 1")) in addon
    assert addon.value(c, KG.direction) is None
    assert addon.value(c, KG.experimentalGroup) is None
    assert not list(addon.subjects(KG.summarises, c))


@pytest.mark.parametrize("corpus", ["addon", "shipped"])
def test_no_marker_comparison_favours_an_experimental_side(corpus: str, addon: Graph,
                                                           graph: Graph):
    g = addon if corpus == "addon" else graph
    comparisons = set(g.objects(None, KG.hasComparison))
    assert comparisons
    for c in comparisons:
        kind = g.value(c, KG.comparisonKind)
        assert kind is not None, c
        for prop in (KG.experimentalGroup, KG.referenceGroup):
            group = g.value(c, prop)
            if group is not None:
                assert (group, RDF.type, KG.Arm) in g, (c, group)
        if kind != KG.TreatmentEffect:
            assert g.value(c, KG.direction) in (None, KG.NoDifference), c


def test_shipped_marker_comparisons_are_prognostic(graph: Graph):
    for sid, cid in (("dingemans-2013", "pfs-veristrat-hr"),
                     ("dingemans-2013", "veristrat-prognostic-hr"),
                     ("battle", "dcr-kras-vs-egfr"), ("santoro-2013-sts",
                                                     "pfs-leiomyosarcoma-vs-other"),
                     ("kelly-2011", "benefit-kras-mutant"), ("kelly-2011", "benefit-egfr-mutant")):
        c = iris.study_part(sid, "comparison", cid)
        assert (c, KG.comparisonKind, KG.PrognosticComparison) in graph, cid
    good = iris.study_part("dingemans-2013", "population", "veristrat-good")
    c = iris.study_part("dingemans-2013", "comparison", "pfs-veristrat-hr")
    assert (c, KG.favouredGroup, good) in graph


def forest_rows(html: str, kind: str) -> list[str]:
    svg = re.search(rf'<svg[^>]*data-kind="{kind}".*?</svg>', html, re.S)
    assert svg, kind
    return re.findall(r'data-comparison="([^"]+)"', svg.group())


@pytest.mark.parametrize("corpus", ["addon", "shipped"])
def test_report_keeps_marker_estimates_out_of_the_treatment_forest_plot(
        corpus: str, addon: Graph, graph: Graph, tmp_path: Path):
    g = addon if corpus == "addon" else graph
    path = tmp_path / "report.html"
    write_report(g, path)
    html = path.read_text()
    treatment = set(forest_rows(html, "treatment"))
    marker = set(forest_rows(html, "biomarker"))
    kinds = {r["iri"]: r["kind"] for r in hazard_ratios(g)}
    assert treatment == {i for i, k in kinds.items() if k == "treatment"}
    assert marker == {i for i, k in kinds.items() if k == "biomarker"}
    assert treatment and marker
    for iri in marker:
        assert (URIRef(iri), KG.comparisonKind, KG.TreatmentEffect) not in g
    assert "lower hazard in first group" in html and "favours experimental" in html


# -- numbers bound to their quotes ------------------------------------------------------------


def test_a_number_that_disagrees_with_its_quote_fails_the_build(tmp_path: Path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    path = sources / "evidence" / "nsclc-review.yaml"
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "value: 6.7")
    lines[at] = lines[at].replace("6.7", "7.6")
    path.write_text("".join(lines))
    with pytest.raises(InputError) as exc:
        load_corpus(sources)
    assert exc.value.problems == [
        f"{path}:{at + 1}: value: 7.6 is not printed in the record's quote(s); quote the words "
        "that state it, or declare it under 'derived:'"]


def test_derived_number_is_said_in_the_graph(mini: BuildResult):
    g = mini.union()
    res = iris.study_part("examplinib-phase2", "result", "pr-rate")
    d = g.value(res, KG.hasDerivation)
    assert (d, KG.derivedAttribute, KG.denominator) in g
    assert (d, KG.derivationMethod, KG.TakenFromPopulationSize) in g
    assert (d, KG.derivedFrom, iris.study_part("examplinib-phase2", "population", "enrolled")) \
        in g


# -- finer typing -----------------------------------------------------------------------------


def test_prevalence_results_name_marker_and_population(graph: Graph):
    prevalence = [r for r in graph.subjects(RDF.type, KG.OutcomeResult)
                  if graph.value(graph.value(r, KG.endpoint), KG.endpointType)
                  == KG.BiomarkerPrevalence]
    assert len(prevalence) >= 6
    for r in prevalence:
        assert graph.value(r, KG.marker) is not None, r
        assert graph.value(r, KG.population) is not None, r
    mission = iris.study_part("mission", "result", "table-2-kras-mutation")
    assert (mission, KG.population,
            iris.study_part("mission-kras-subset", "population", "kras-samples")) in graph
    assert (mission, KG.marker, iris.biomarker("kras-mutation")) in graph


def test_measurement_times_are_typed(graph: Graph):
    f = iris.study_part("blumenschein-2009-plasma-biomarkers", "finding", "vegf-increase")
    times = {(graph.value(t, KG.timeValue), graph.value(t, KG.timeUnit), graph.value(t, KG.cycle))
             for t in graph.objects(f, KG.measuredAt) if t != KG.Baseline}
    assert times == {(Literal(Decimal("15.0")), KG.Day, None),
                     (Literal(Decimal("1.0")), KG.Day, Literal(3))}
    assert (f, KG.measuredAt, KG.Baseline) in graph
    ce = iris.study_part("ce-ct-substudy", "finding", "blood-flow-responders")
    weeks = {graph.value(t, KG.timeValue).toPython() for t in graph.objects(ce, KG.measuredAt)}
    assert weeks == {Decimal(3), Decimal(6)}


def test_battle_egfr_result_is_on_the_sorafenib_arm(graph: Graph):
    r = iris.study_part("battle", "result", "dcr-egfr")
    assert (r, KG.arm, iris.study_part("battle", "arm", "sorafenib")) in graph


def test_no_empty_or_ambiguous_labels(graph: Graph):
    for node, label in graph.subject_objects(RDFS.label):
        text = str(label).strip()
        assert text and not text.endswith(":"), node
    studies = set(graph.subjects(KG.describedIn, None))
    captions = {}
    for s in studies:
        c = caption(graph, s, "study", str(graph.value(s, RDFS.label)))
        assert c not in captions, (c, s, captions.get(c))
        captions[c] = s
    comparisons = set(graph.objects(None, KG.hasComparison))
    labels = [str(graph.value(c, RDFS.label)) for c in comparisons]
    assert all(": " in x and x.split(": ", 1)[1] for x in labels)
