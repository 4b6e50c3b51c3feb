"""Explicit facts the built graph must hold, one builder at a time, so a failure names the fact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.builders import iris
from kg.builders.base import dec as decimal_literal
from kg.ids import expand_curie
from kg.paths import SOURCES_DIR
from kg.vocab import KG, OA

SORAFENIB = iris.drug("sorafenib")
STUDY = iris.study("santoro-2013-sts")
TARGET_IDS = {  # symbol: (HGNC, NCBIGene, UniProtKB) from kg/sources/identifiers.yaml
    "RAF1": ("HGNC:9829", "NCBIGene:5894", "UniProtKB:P04049"),
    "BRAF": ("HGNC:1097", "NCBIGene:673", "UniProtKB:P15056"),
    "FLT1": ("HGNC:3763", "NCBIGene:2321", "UniProtKB:P17948"),
    "KDR": ("HGNC:6307", "NCBIGene:3791", "UniProtKB:P35968"),
    "FLT4": ("HGNC:3767", "NCBIGene:2324", "UniProtKB:P35916"),
    "PDGFRB": ("HGNC:8804", "NCBIGene:5159", "UniProtKB:P09619"),
    "KIT": ("HGNC:6342", "NCBIGene:3815", "UniProtKB:P10721"),
    "FLT3": ("HGNC:3765", "NCBIGene:2322", "UniProtKB:P36888"),
    "RET": ("HGNC:9967", "NCBIGene:5979", "UniProtKB:P07949"),
}


def part(kind: str, pid: str) -> URIRef:
    return iris.study_part("santoro-2013-sts", kind, pid)


def dec(v: str) -> Literal:
    return decimal_literal(Decimal(v))


# -- entities ---------------------------------------------------------------------------------

def test_drug_has_verified_identifiers(graph: Graph):
    assert (SORAFENIB, RDF.type, KG.Drug) in graph
    assert (SORAFENIB, KG.xref, Literal("CHEBI:50924")) in graph
    assert (SORAFENIB, SKOS.exactMatch, expand_curie("CHEBI:50924")) in graph
    assert (SORAFENIB, KG.weakXref, Literal("CHEBI:50928")) in graph  # verified_weak only
    xrefs = {str(o) for o in graph.objects(SORAFENIB, KG.xref | KG.weakXref)}
    assert not any("UNVERIFIED" in x for x in xrefs)
    assert "RXNORM:UNVERIFIED" not in xrefs


def test_curated_mapping_records_where_it_was_verified(graph: Graph):
    mapping = iris.mapping("drug", "sorafenib", "CHEBI:50924")
    assert (SORAFENIB, KG.hasMapping, mapping) in graph
    assert (mapping, KG.mappingStatus, KG.Verified) in graph
    assert "drugbank_mappings.tsv" in str(graph.value(mapping, KG.mappingEvidence))


def test_disease_hierarchy(graph: Graph):
    sts = iris.disease("sts")
    assert (iris.disease("leiomyosarcoma"), KG.subtypeOf, sts) in graph
    assert (iris.disease("angiosarcoma"), KG.subtypeOf, sts) in graph
    nsclc = iris.disease("nsclc")
    assert (iris.disease("squamous-nsclc"), KG.subtypeOf, nsclc) in graph
    assert (iris.disease("nonsquamous-nsclc"), KG.subtypeOf, nsclc) in graph
    assert (iris.disease("leiomyosarcoma"), KG.xref, Literal("MONDO:0005058")) in graph


# -- targets ----------------------------------------------------------------------------------

@pytest.mark.parametrize("symbol", sorted(TARGET_IDS))
def test_sorafenib_targets_with_identifiers_and_evidence(graph: Graph, symbol: str):
    protein, gene = iris.protein(symbol), iris.gene(symbol)
    hgnc, ncbi, uniprot = TARGET_IDS[symbol]
    assert (SORAFENIB, KG.targets, protein) in graph
    node = iris.interaction("sorafenib", symbol)
    assert (node, KG.drug, SORAFENIB) in graph
    assert (node, KG.target, protein) in graph
    assert (node, KG.actionType, KG.Inhibitor) in graph
    assert (protein, KG.encodedBy, gene) in graph
    assert (protein, KG.xref, Literal(uniprot)) in graph
    assert (gene, KG.xref, Literal(hgnc)) in graph
    assert (gene, KG.xref, Literal(ncbi)) in graph
    spans = list(graph.objects(node, KG.hasEvidence))
    assert spans, f"no evidence for sorafenib -> {symbol}"


def test_raf_family_and_members(graph: Graph):
    raf = iris.family("RAF")
    assert (SORAFENIB, KG.targets, raf) in graph
    assert (raf, KG.hasMember, iris.protein("RAF1")) in graph
    assert (raf, KG.hasMember, iris.protein("BRAF")) in graph
    node = iris.interaction("sorafenib", "RAF")
    (span,) = graph.objects(node, KG.hasEvidence)
    assert "target of RAF protein" in str(graph.value(span, RDFS.label))


def test_vegfr_synonyms_are_searchable(graph: Graph):
    assert (iris.protein("KDR"), SKOS.altLabel, Literal("VEGFR2")) in graph
    assert (iris.protein("PDGFRB"), SKOS.altLabel, Literal("PDGFRβ")) in graph


# -- documents and evidence -------------------------------------------------------------------

def test_every_span_offset_reproduces_its_quote(graph: Graph, real):
    texts = {}
    for doc in graph.subjects(RDF.type, KG.Document):
        path = SOURCES_DIR / str(graph.value(doc, KG.sourceFile))
        texts[doc] = path.read_text(encoding="utf-8")
    spans = list(graph.subjects(RDF.type, KG.EvidenceSpan))
    assert len(spans) > 20
    for span in spans:
        doc = graph.value(span, OA.hasSource)
        sels = list(graph.objects(span, OA.hasSelector))
        pos = next(s for s in sels if (s, RDF.type, OA.TextPositionSelector) in graph)
        quote = next(s for s in sels if (s, RDF.type, OA.TextQuoteSelector) in graph)
        start, end = int(graph.value(pos, OA.start)), int(graph.value(pos, OA.end))
        assert texts[doc][start:end] == str(graph.value(quote, OA.exact))
        for sentence in graph.objects(span, KG.inSentence):
            s0, s1 = int(graph.value(sentence, KG.startOffset)), int(
                graph.value(sentence, KG.endOffset))
            assert s0 < end and start < s1, "span does not overlap its sentence"
            assert texts[doc][s0:s1] == str(graph.value(sentence, KG.text))


def test_both_documents_with_bibliography(graph: Graph):
    santoro = iris.document("santoro-2013")
    assert (santoro, KG.journal, Literal("Annals of Oncology")) in graph
    assert (santoro, KG.pages, Literal("1093-1098")) in graph
    assert (santoro, KG.xref, Literal("DOI:10.1093/annonc/mds607")) in graph
    assert (iris.document("nsclc-review"), RDF.type, KG.Document) in graph


# -- the sarcoma trial, complete --------------------------------------------------------------

def test_sarcoma_study_design(graph: Graph):
    assert (STUDY, RDF.type, KG.ClinicalTrial) in graph
    assert (STUDY, KG.phase, KG.Phase2) in graph
    assert (STUDY, KG.randomised, Literal(False)) in graph
    assert (STUDY, KG.blinding, KG.OpenLabel) in graph
    assert (STUDY, KG.multicentre, Literal(True)) in graph
    assert (STUDY, KG.studiesCondition, iris.disease("sts")) in graph
    assert (STUDY, KG.lineOfTherapy, KG.Pretreated) in graph
    assert (STUDY, KG.priorTherapy, Literal("anthracycline-based chemotherapy")) in graph
    assert (STUDY, KG.enrolmentStart, Literal("2006-11", datatype=XSD.gYearMonth)) in graph
    assert (STUDY, KG.enrolmentEnd, Literal("2010-01", datatype=XSD.gYearMonth)) in graph


def test_sarcoma_arm_dosing(graph: Graph):
    arm = part("arm", "sorafenib")
    assert (STUDY, KG.hasArm, arm) in graph
    assert (arm, KG.usesRegimen, iris.regimen(("sorafenib",))) in graph
    (dosing,) = graph.objects(arm, KG.hasDosing)
    assert (dosing, KG.doseValue, dec("400")) in graph
    assert (dosing, KG.doseUnit, KG.Milligram) in graph
    assert (dosing, KG.dailyFrequency, Literal(2)) in graph
    assert (dosing, KG.durationValue, dec("28")) in graph


@pytest.mark.parametrize(("pid", "kind", "size"), [
    ("enrolled", KG.Enrolled, 101), ("leiomyosarcoma", KG.Subgroup, 36),
    ("angiosarcoma", KG.Subgroup, 19), ("other-histologies", KG.Subgroup, 46),
    ("per-protocol", KG.PerProtocol, 76), ("itt", KG.IntentionToTreat, 100)])
def test_sarcoma_populations(graph: Graph, pid: str, kind: URIRef, size: int):
    pop = part("population", pid)
    assert (STUDY, KG.hasPopulation, pop) in graph
    assert (pop, KG.populationKind, kind) in graph
    assert (pop, KG.size, Literal(size)) in graph


def test_sarcoma_primary_endpoint(graph: Graph):
    ep = part("endpoint", "pfs-rate-6-months")
    assert (ep, KG.endpointType, KG.ProgressionFreeSurvivalRate) in graph
    assert (ep, KG.isPrimary, Literal(True)) in graph
    assert (ep, KG.timePointValue, dec("6")) in graph
    assert (ep, KG.timePointUnit, KG.Month) in graph


@pytest.mark.parametrize(("rid", "population", "value"), [
    ("pp-pfs-rate-all", "per-protocol", "34.5"),
    ("pp-pfs-rate-leiomyosarcoma", "per-protocol-leiomyosarcoma", "38.4"),
    ("pp-pfs-rate-angiosarcoma", "per-protocol-angiosarcoma", "56.3"),
    ("itt-pfs-rate-all", "itt", "27.1"),
    ("itt-pfs-rate-leiomyosarcoma", "itt-leiomyosarcoma", "35"),
    ("itt-pfs-rate-angiosarcoma", "itt-angiosarcoma", "35.5")])
def test_sarcoma_pfs_rates(graph: Graph, rid: str, population: str, value: str):
    res = part("result", rid)
    assert (res, KG.endpoint, part("endpoint", "pfs-rate-6-months")) in graph
    assert (res, KG.population, part("population", population)) in graph
    assert (res, KG.value, dec(value)) in graph
    assert (res, KG.unit, KG.Percent) in graph


def test_sarcoma_responses_keep_count_denominator_and_percent(graph: Graph):
    pr = part("result", "pp-partial-response")
    assert (pr, KG.count, Literal(11)) in graph
    assert (pr, KG.denominator, Literal(76)) in graph
    assert (pr, KG.value, dec("14.5")) in graph
    sd = part("result", "pp-stable-disease")
    assert (sd, KG.count, Literal(25)) in graph
    assert (sd, KG.value, dec("32.9")) in graph


def test_sarcoma_histology_comparison(graph: Graph):
    c = part("comparison", "pfs-leiomyosarcoma-vs-other")
    assert (c, RDF.type, KG.Comparison) in graph
    assert (c, KG.pValue, dec("0.033")) in graph
    assert (c, KG.pValueQualifier, KG.QualifierUnstated) in graph
    # histology-defined groups on one treatment: prognostic, no experimental side
    assert (c, KG.comparisonKind, KG.PrognosticComparison) in graph
    assert (c, KG.firstGroup, part("population", "leiomyosarcoma")) in graph
    assert (c, KG.secondGroup, part("population", "other-histologies")) in graph
    assert (c, KG.favouredGroup, part("population", "leiomyosarcoma")) in graph
    assert (c, KG.directionBasis, Literal("stated")) in graph
    assert graph.value(c, KG.direction) is None
    assert graph.value(c, KG.experimentalGroup) is None
    other = part("population", "other-histologies")
    assert set(graph.objects(other, KG.complementOf)) == {
        part("population", "leiomyosarcoma"), part("population", "angiosarcoma")}
    assert (c, KG.significant, Literal(True)) in graph
    assert (c, KG.significanceBasis, Literal("p < 0.05")) in graph


def test_sarcoma_claims(graph: Graph):
    tol = iris.claim("santoro-2013-tolerability")
    assert (tol, KG.claimKind, KG.TolerabilityClaim) in graph
    assert (tol, KG.aboutStudy, STUDY) in graph
    concl = iris.claim("santoro-2013-conclusion-leiomyosarcoma")
    assert (concl, KG.aboutIndication, iris.disease("leiomyosarcoma")) in graph


def test_every_number_in_the_sarcoma_abstract_is_in_the_graph(graph: Graph):
    """Each number of the abstract's Results/Methods appears as a typed value of the graph."""
    values = {str(o) for o in graph.objects() if isinstance(o, Literal)
              and o.datatype in (XSD.decimal, XSD.integer, XSD.gYearMonth)}
    for number in ["400", "28", "6", "101", "36", "19", "46", "76", "100", "11", "14.5", "25",
                   "32.9", "34.5", "38.4", "56.3", "27.1", "35", "35.5", "0.033", "2006-11",
                   "2010-01"]:
        assert number in values or f"{number}.0" in values, number


# -- generic: the made-up second drug ---------------------------------------------------------

def test_mini_corpus_builds_a_second_drug(mini):
    g = mini.union()
    drug = iris.drug("examplinib")
    assert (drug, RDF.type, KG.Drug) in g
    assert (drug, KG.targets, iris.protein("EGFR")) in g
    assert (iris.gene("EGFR"), KG.xref, Literal("HGNC:3236")) in g
    assert not list(g.objects(drug, KG.xref))  # no identifiers invented for a made-up drug
    pfs = iris.study_part("examplinib-phase2", "result", "pfs-median")
    assert (pfs, KG.ciLow, dec("3.1")) in g
    assert (pfs, KG.ciHigh, dec("5.0")) in g
    assert not any("sorafenib" in str(t) for triple in g for t in triple)
