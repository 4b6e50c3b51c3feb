"""Graded drug-indication evidence (CIViC's level, direction, significance) and summary edges.

Evidence items come from three kinds of statement, each kept as the item's ``kg:summarises``:

- an arm-versus-arm comparison: level from the study design (a subgroup comparison is
  ``kg:SubgroupLevel``), direction and significance from the comparison, indication from the
  subgroup's histology or the study's conditions, biomarker context from the subgroup;
- a claim about efficacy (activity or conclusion) naming studies: level from each study,
  direction from the claim (negated: no benefit; about a harm: harm);
- an approval claim: ``kg:RegulatoryApprovalLevel``; a background claim:
  ``kg:ReviewStatementLevel``.

A clinical study with no such statement still gets an item for each drug and condition, with
level only. Summary edges then follow Biolink: ``kg:treats`` only where an approval is stated,
``kg:inClinicalTrialsFor`` for any clinical evidence, ``kg:studiedFor`` for preclinical only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg import model as m
from kg.builders import iris
from kg.builders.base import BuildInput, Quad, builder
from kg.builders.outcomes import direction, significance
from kg.builders.studies import population_context
from kg.builders.tables import table_phases
from kg.builders.terms import LINE
from kg.ids import mint
from kg.vocab import KG

LEVEL_RANK = (KG.RegulatoryApprovalLevel, KG.Phase3RandomisedLevel, KG.Phase2RandomisedLevel,
              KG.Phase2SingleArmLevel, KG.SubgroupLevel, KG.ReviewStatementLevel,
              KG.PreclinicalLevel)
EFFICACY_CLAIMS = {"activity", "conclusion"}


@dataclass(frozen=True)
class Item:
    """One graded evidence item before it becomes triples."""

    key: str
    doc: str
    drugs: tuple[str, ...]
    regimen: tuple[str, ...]
    indication: str
    level: URIRef
    direction: URIRef | None
    significant: bool | None
    summarises: URIRef
    study: m.Study | None = None
    population: m.Population | None = None


def study_level(s: m.Study, extra_phases: set[str]) -> URIRef:
    """Evidence level of a study's main result from its design."""
    phases = set(s.design.phases) | extra_phases
    if s.kind == "preclinical":
        return KG.PreclinicalLevel
    if s.kind == "substudy":
        return KG.SubgroupLevel
    if "3" in phases and s.design.randomised:
        return KG.Phase3RandomisedLevel
    if s.design.randomised:
        return KG.Phase2RandomisedLevel
    return KG.Phase2SingleArmLevel


def _drugs(regimen: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(x for x in regimen if x != "placebo")


def _comparison_items(inp: BuildInput, doc: str, s: m.Study, phases: set[str]) -> Iterator[Item]:
    arms = {a.id: a for a in s.arms}
    pops = {p.id: p for p in s.populations}
    for c in s.comparisons:
        if c.experimental not in arms or c.reference not in arms:
            continue  # population-versus-population comparisons are not treatment effects
        regimen = arms[c.experimental].regimen
        pop = pops.get(c.population) if c.population else None
        subgroup = pop is not None and pop.kind == "subgroup"
        level = KG.SubgroupLevel if subgroup else study_level(s, phases)
        drc = direction(c)
        sig = significance(c)
        dir_node = None
        if drc is not None:
            dir_node = {"favours-experimental": KG.SupportsBenefit,
                        "favours-reference": KG.Harm,
                        "no-difference": KG.NoBenefit}[drc[0]]
        indications = (pop.histology,) if subgroup and pop and pop.histology else s.conditions
        for ind in indications:
            yield Item(f"{s.id}--{c.id}--{ind}", doc, _drugs(regimen), regimen, ind, level,
                       dir_node, sig[0] if sig else None,
                       iris.study_part(s.id, "comparison", c.id), s, pop)


def _claim_items(inp: BuildInput, doc: str, c: m.Claim, studies: dict[str, m.Study],
                 phases: dict[str, set[str]]) -> Iterator[Item]:
    node = iris.claim(c.id)
    if c.kind == "approval":
        for ind in c.indications:
            yield Item(f"{c.id}--{ind}", doc, c.drugs, c.drugs, ind, KG.RegulatoryApprovalLevel,
                       KG.SupportsBenefit, None, node)
        return
    if c.kind == "background" and c.drugs and c.indications and not c.negated:
        for ind in c.indications:
            yield Item(f"{c.id}--{ind}", doc, c.drugs, c.drugs, ind, KG.ReviewStatementLevel,
                       KG.SupportsBenefit, None, node)
        return
    if c.kind not in EFFICACY_CLAIMS or not c.drugs:
        return
    harm = "detrimental" in c.label or "harm" in c.label
    dir_node = KG.Harm if harm else (KG.NoBenefit if c.negated else KG.SupportsBenefit)
    for sid in c.studies or ("",):
        s = studies.get(sid)
        level = study_level(s, phases.get(sid, set())) if s else KG.ReviewStatementLevel
        for ind in c.indications or (s.conditions if s else ()):
            yield Item(f"{c.id}--{sid or 'review'}--{ind}", doc, c.drugs, c.drugs, ind, level,
                       dir_node, None, node, s)


def iter_items(inp: BuildInput) -> list[Item]:
    """All evidence items of the corpus, in a stable order."""
    phases = table_phases(inp)
    studies = {s.id: s for f in inp.corpus.files for s in f.studies}
    items: list[Item] = []
    for f in inp.corpus.files:
        doc = f.document.id
        for s in f.studies:
            items.extend(_comparison_items(inp, doc, s, phases.get(s.id, set())))
        for c in f.claims:
            items.extend(_claim_items(inp, doc, c, studies, phases))
    covered = {(i.study.id if i.study else "", ind) for i in items for ind in (i.indication,)}
    for f in inp.corpus.files:
        for s in f.studies:
            for a in s.arms:
                drugs = _drugs(a.regimen)
                for ind in s.conditions:
                    if drugs and (s.id, ind) not in covered:
                        items.append(Item(f"{s.id}--{a.id}--{ind}", f.document.id, drugs,
                                          a.regimen, ind, study_level(s, phases.get(s.id, set())),
                                          None, None, iris.study_part(s.id, "arm", a.id), s))
    return items


def _item_quads(inp: BuildInput, it: Item) -> Iterator[Quad]:
    ent = inp.corpus.entities
    g = it.doc
    node = mint("evidence-item", it.key)
    names = " + ".join(ent.drugs[d].label for d in it.drugs)
    yield Quad(node, RDF.type, KG.DrugIndicationEvidence, g)
    yield Quad(node, RDFS.label, Literal(f"{names} in {ent.diseases[it.indication].label}"), g)
    for d in it.drugs:
        yield Quad(node, KG.drug, iris.drug(d), g)
    yield Quad(node, KG.regimen, iris.regimen(it.regimen), g)
    yield Quad(node, KG.aboutIndication, iris.disease(it.indication), g)
    yield Quad(node, KG.evidenceLevel, it.level, g)
    if it.direction is not None:
        yield Quad(node, KG.evidenceDirection, it.direction, g)
    if it.significant is not None:
        yield Quad(node, KG.significanceLevel, Literal(it.significant), g)
    yield Quad(node, KG.summarises, it.summarises, g)
    if it.study is not None:
        yield Quad(node, KG.aboutStudy, iris.study(it.study.id), g)
        for line in it.study.lines:
            yield Quad(node, KG.lineOfTherapy, LINE[line], g)
    if it.population is not None:
        p = it.population
        yield Quad(node, KG.population, iris.study_part(it.study.id, "population", p.id), g)
        yield from population_context(node, p, g)


@builder("summaries", "graded drug-indication evidence items and Biolink-style summary edges")
def iter_summaries(inp: BuildInput) -> Iterator[Quad]:
    """Evidence items, then one summary edge per drug and indication."""
    items = iter_items(inp)
    pairs: dict[tuple[str, str], set[URIRef]] = {}
    for it in items:
        yield from _item_quads(inp, it)
        for d in it.drugs:
            pairs.setdefault((d, it.indication), set()).add(it.level)
    for (drug, ind), levels in sorted(pairs.items()):
        if KG.RegulatoryApprovalLevel in levels:
            yield Quad(iris.drug(drug), KG.treats, iris.disease(ind), "summaries")
        if levels - {KG.RegulatoryApprovalLevel, KG.PreclinicalLevel}:
            yield Quad(iris.drug(drug), KG.inClinicalTrialsFor, iris.disease(ind), "summaries")
        elif KG.PreclinicalLevel in levels:
            yield Quad(iris.drug(drug), KG.studiedFor, iris.disease(ind), "summaries")
