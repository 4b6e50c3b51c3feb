"""Graded drug-indication evidence (CIViC's level, direction, significance) and summary edges.

An evidence item is evidence *for what was tested*, never for a drug that merely came along:

- a treatment comparison (arm versus arm) credits the drug that differs between the experimental
  and the reference regimen (``kg:drugUnderTest``); drugs in both arms are its backbone
  (``kg:backboneDrug``) and get no credit. A comparator that differs in more than one drug, and a
  single-arm combination, make the combination as a whole the ``kg:therapyUnderTest``;
- a prognostic or predictive comparison (groups defined by a marker) is no treatment effect and
  makes no item;
- a claim takes, for each study it cites, what that study tested (restricted to the claim's
  drugs) and the level of the typed statements it rests on (its ``rests_on`` records, or the
  study's results and comparisons in the claim's indication or a subtype of it), never more; a
  claim that rests on nothing typed is a ``kg:ReviewStatementLevel`` item;
- an approval claim is ``kg:RegulatoryApprovalLevel``; a background claim naming drugs and
  indications is a review statement for each drug.

Levels: a comparison or result in a subgroup (or a substudy) is ``kg:SubgroupLevel``; otherwise
the study design decides. Summary edges then follow Biolink: ``kg:treats`` only where an approval
is stated, ``kg:inClinicalTrialsFor`` for any clinical evidence, ``kg:studiedFor`` for
preclinical only; a combination tested as a whole gets them on its regimen node.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kg import model as m
from kg.builders import iris
from kg.builders.base import ENTITIES, BuildInput, Quad, builder, lit
from kg.builders.outcomes import direction, significance
from kg.builders.studies import population_context, regimen_label
from kg.builders.tables import table_phases
from kg.builders.terms import LINE, THERAPY_ROLE
from kg.ids import mint, slug
from kg.vocab import KG

LEVEL_RANK = (KG.RegulatoryApprovalLevel, KG.Phase3RandomisedLevel, KG.Phase2RandomisedLevel,
              KG.Phase2SingleArmLevel, KG.SubgroupLevel, KG.ReviewStatementLevel,
              KG.PreclinicalLevel)
EFFICACY_CLAIMS = {"activity", "conclusion"}
CLAIM_DIRECTION = {"benefit": KG.SupportsBenefit, "no-benefit": KG.NoBenefit, "harm": KG.Harm}
COMPARISON_DIRECTION = {"favours-experimental": KG.SupportsBenefit,
                        "favours-reference": KG.Harm, "no-difference": KG.NoBenefit}


@dataclass(frozen=True)
class Therapy:
    """What a comparison or an arm tested.

    ``drugs`` are the drugs credited: exactly one, or none when a combination is tested as a
    whole (then ``subject``, the regimen under test, has several drugs).
    """

    subject: tuple[str, ...]
    drugs: tuple[str, ...]
    regimen: tuple[str, ...]
    reference: tuple[str, ...] | None
    backbone: tuple[str, ...]
    role: str


def tested(regimen: tuple[str, ...], reference: tuple[str, ...] | None) -> Therapy | None:
    """What an experimental regimen tests against a reference regimen (None: single arm).

    The difference between the two regimens is under test; what both share is the backbone.
    None when nothing differs on the experimental side (the comparison tests no drug).
    """
    active = tuple(x for x in regimen if x != "placebo")
    if reference is None:
        if not active:
            return None
        if len(active) == 1:
            return Therapy(active, active, regimen, None, (), "monotherapy")
        return Therapy(active, (), regimen, None, (), "combination")
    ref = {x for x in reference if x != "placebo"}
    added = tuple(x for x in active if x not in ref)
    backbone = tuple(x for x in active if x in ref)
    if not added:
        return None
    if len(added) > 1:
        return Therapy(added, (), regimen, reference, backbone, "combination")
    if ref - set(active):
        return Therapy(added, added, regimen, reference, backbone, "substitution")
    return Therapy(added, added, regimen, reference, backbone,
                   "add-on" if backbone else "monotherapy")


@dataclass(frozen=True)
class Item:
    """One graded evidence item before it becomes triples."""

    key: str
    doc: str
    therapy: Therapy
    indication: str
    level: URIRef
    direction: URIRef | None
    significant: bool | None
    summarises: URIRef
    level_from: tuple[URIRef, ...] = ()
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
    if not phases and not s.design.single_arm:
        return KG.ReviewStatementLevel  # the source names no phase and no design to grade
    return KG.Phase2SingleArmLevel


def best(levels: Iterable[URIRef]) -> URIRef | None:
    """The strongest of some levels (CIViC order), None for none."""
    ranked = sorted(levels, key=LEVEL_RANK.index)
    return ranked[0] if ranked else None


class Grader:
    """Levels and therapies of the corpus's studies, computed once for every item."""

    def __init__(self, inp: BuildInput) -> None:
        """Index studies, their table-stated phases and the disease hierarchy."""
        self.inp = inp
        self.phases = table_phases(inp)
        self.studies = inp.corpus.studies  # each study once, over every document
        self.diseases = inp.corpus.entities.diseases
        self.non_drugs = set(inp.corpus.entities.interventions)

    def drugs(self, regimen: tuple[str, ...]) -> tuple[str, ...]:
        """A regimen's drugs and placebo: drug-indication evidence credits no non-drug part."""
        return tuple(x for x in regimen if x not in self.non_drugs)

    def covers(self, general: str, specific: str) -> bool:
        """Whether ``specific`` is ``general`` or one of its subtypes (at any depth)."""
        todo, seen = [specific], set()
        while todo:
            d = todo.pop()
            if d == general:
                return True
            seen.add(d)
            todo.extend(p for p in self.diseases[d].subtype_of if p not in seen)
        return False

    def in_subgroup(self, s: m.Study, pop_id: str | None) -> bool:
        """Whether a population is a subgroup or lies inside one."""
        pops = {p.id: p for p in s.populations}
        while pop_id is not None and pop_id in pops:
            if pops[pop_id].kind == "subgroup":
                return True
            pop_id = pops[pop_id].parent
        return False

    def statement_level(self, s: m.Study, pop_id: str | None) -> URIRef:
        """Level of one typed statement: its study's design, or subgroup if it is in one."""
        if s.kind == "preclinical":
            return KG.PreclinicalLevel
        if self.in_subgroup(s, pop_id):
            return KG.SubgroupLevel
        return study_level(s, self.phases.get(s.id, set()))

    def statement_indications(self, s: m.Study, pop_id: str | None) -> tuple[str, ...]:
        """The indication a statement is about: its population's histology, else the study's."""
        pops = {p.id: p for p in s.populations}
        while pop_id is not None and pop_id in pops:
            if pops[pop_id].histology:
                return (pops[pop_id].histology,)  # type: ignore[return-value]
            pop_id = pops[pop_id].parent
        return s.conditions

    def statements(self, s: m.Study) -> Iterator[tuple[URIRef, str | None]]:
        """(node, population) of every typed outcome result and comparison of a study.

        Prevalence and toxicity results say nothing about efficacy, so no level rests on them.
        """
        kinds = {e.id: e.type for e in s.endpoints}
        for r in s.results:
            if kinds.get(r.endpoint) in {"biomarker-prevalence", "toxicity"}:
                continue
            yield iris.study_part(s.id, "result", r.id), r.population
        for c in s.comparisons:
            pop = c.population or (c.groups[0] if c.groups else None)
            yield iris.study_part(s.id, "comparison", c.id), pop

    def therapies(self, s: m.Study) -> list[Therapy]:
        """What a study tested: its treatment comparisons, or else each arm on its own."""
        arms = {a.id: a for a in s.arms}
        out: list[Therapy] = []
        for c in s.comparisons:
            if c.kind == "treatment-effect" and c.experimental in arms and c.reference in arms:
                t = tested(self.drugs(arms[c.experimental].regimen),
                           self.drugs(arms[c.reference].regimen))
                if t is not None and t not in out:
                    out.append(t)
        if out:
            return out
        for a in s.arms:
            t = tested(self.drugs(a.regimen), None)
            if t is not None and "placebo" not in a.regimen and t not in out:
                out.append(t)
        return out


def _comparison_items(g: Grader, doc: str, entry: m.Study) -> Iterator[Item]:
    s = g.studies[entry.id]
    arms = {a.id: a for a in s.arms}
    pops = {p.id: p for p in s.populations}
    for c in entry.comparisons:
        if c.kind != "treatment-effect" or c.experimental not in arms or c.reference not in arms:
            continue  # marker-defined groups are no treatment effect
        therapy = tested(g.drugs(arms[c.experimental].regimen), g.drugs(arms[c.reference].regimen))
        if therapy is None:
            continue
        node = iris.study_part(s.id, "comparison", c.id)
        pop = pops.get(c.population) if c.population else None
        level = g.statement_level(s, c.population)
        drc = direction(c)
        sig = significance(c)
        for ind in g.statement_indications(s, c.population):
            yield Item(f"{s.id}--{c.id}--{ind}", doc, therapy, ind, level,
                       COMPARISON_DIRECTION[drc[0]] if drc else None, sig[0] if sig else None,
                       node, (node,), s, pop)


def _claim_basis(g: Grader, c: m.Claim, s: m.Study, ind: str
                 ) -> tuple[URIRef | None, tuple[URIRef, ...], m.Population | None]:
    """The level a claim about ``ind`` takes from study ``s``.

    Returns the level, the statements that set it, and their population when they share one.
    """
    pops = {p.id: p for p in s.populations}
    rests = [r for r in c.rests_on if r.split("/", 1)[0] == s.id]
    found: list[tuple[URIRef, URIRef, str | None]] = []
    for node, pop in g.statements(s):
        named = f"{s.id}/{str(node).rsplit('/', 1)[-1]}"
        if rests and named not in rests:
            continue
        if rests or any(g.covers(ind, j) for j in g.statement_indications(s, pop)):
            found.append((g.statement_level(s, pop), node, pop))
    top = best(level for level, _, _ in found)
    if top is None:
        return None, (), None
    nodes = tuple(sorted({n for level, n, _ in found if level == top}))
    shared = {pop for level, _, pop in found if level == top}
    pop = pops.get(shared.pop()) if len(shared) == 1 and None not in shared else None
    return top, nodes, pop


def _claim_items(g: Grader, doc: str, c: m.Claim) -> Iterator[Item]:
    node = iris.claim(c.id)
    if c.kind == "approval" or (c.kind == "background" and c.indications and not c.negated):
        level = KG.RegulatoryApprovalLevel if c.kind == "approval" else KG.ReviewStatementLevel
        # an approval supports benefit; a background fact only where the curator says so
        drc = KG.SupportsBenefit if c.kind == "approval" else \
            CLAIM_DIRECTION.get(c.direction or "")
        for d in c.drugs:
            for ind in c.indications:
                yield Item(f"{c.id}--{d}--{ind}", doc, tested((d,), None), ind,  # type: ignore
                           level, drc, None, node)
        return
    if c.kind not in EFFICACY_CLAIMS or not c.drugs:
        return
    drc = CLAIM_DIRECTION[c.direction or ("no-benefit" if c.negated else "benefit")]
    if not c.studies:
        therapy = tested(c.drugs, None)
        for ind in c.indications:
            yield Item(f"{c.id}--review--{ind}", doc, therapy, ind,  # type: ignore[arg-type]
                       KG.ReviewStatementLevel, drc, None, node)
        return
    for sid in c.studies:
        s = g.studies[sid]
        therapies = [t for t in g.therapies(s) if set(t.subject) & set(c.drugs)]
        for ind in c.indications or s.conditions:
            level, nodes, pop = _claim_basis(g, c, s, ind)
            for t in therapies:
                yield Item(f"{c.id}--{sid}--{ind}--{slug('+'.join(t.subject))}", doc, t, ind,
                           level or KG.ReviewStatementLevel, drc, None, node, nodes, s, pop)


def iter_items(inp: BuildInput) -> list[Item]:
    """All evidence items of the corpus, in a stable order."""
    g = Grader(inp)
    items: list[Item] = []
    for f in inp.corpus.files:
        for s in f.studies:
            items.extend(_comparison_items(g, f.document.id, s))
        for c in f.claims:
            items.extend(_claim_items(g, f.document.id, c))
    covered = {(i.study.id, i.indication) for i in items if i.study is not None}
    for sid, s in g.studies.items():
        for ind in s.conditions:
            if (sid, ind) in covered:
                continue
            for t in g.therapies(s):
                items.append(Item(f"{sid}--{slug('+'.join(t.subject))}--{ind}",
                                  inp.corpus.owners[sid], t, ind,
                                  study_level(s, g.phases.get(sid, set())), None, None,
                                  iris.study(sid), (), s))
    return items


def therapy_node(t: Therapy) -> URIRef:
    """The drug credited, or the regimen under test when a combination is tested as a whole."""
    return iris.drug(t.drugs[0]) if t.drugs else iris.regimen(t.subject)


def _regimen_quads(components: tuple[str, ...], ent: m.Entities) -> Iterator[Quad]:
    """A regimen entity (also when no arm gives exactly these drugs)."""
    node = iris.regimen(components)
    yield Quad(node, RDF.type, KG.Regimen, ENTITIES)
    yield Quad(node, RDFS.label, lit(regimen_label(tuple(sorted(components)), ent)), ENTITIES)
    for item in components:
        yield Quad(node, KG.hasComponent, iris.intervention(item), ENTITIES)


def _item_quads(inp: BuildInput, it: Item) -> Iterator[Quad]:
    ent = inp.corpus.entities
    g, t = it.doc, it.therapy
    node = mint("evidence-item", it.key)
    name = regimen_label(t.subject, ent)
    replaced = tuple(x for x in t.reference or () if x != "placebo" and x not in t.backbone)
    if replaced:
        name += f" (instead of {regimen_label(replaced, ent)}"
        name += f", with {regimen_label(t.backbone, ent)})" if t.backbone else ")"
    elif t.backbone:
        name += f" (added to {regimen_label(t.backbone, ent)})"
    yield Quad(node, RDF.type, KG.DrugIndicationEvidence, g)
    yield Quad(node, RDFS.label, lit(f"{name} in {ent.diseases[it.indication].label}"), g)
    yield Quad(node, KG.therapyUnderTest, therapy_node(t), g)
    for d in t.drugs:
        yield Quad(node, KG.drugUnderTest, iris.drug(d), g)
    for d in t.backbone:
        yield Quad(node, KG.backboneDrug, iris.drug(d), g)
    yield Quad(node, KG.testedAs, THERAPY_ROLE[t.role], g)
    yield Quad(node, KG.regimen, iris.regimen(t.regimen), g)
    yield from _regimen_quads(t.regimen, ent)
    if not t.drugs:
        yield from _regimen_quads(t.subject, ent)
    if t.reference:  # a reference of no drug at all (observation, usual care) is no regimen node
        yield Quad(node, KG.referenceRegimen, iris.regimen(t.reference), g)
        yield from _regimen_quads(t.reference, ent)
    yield Quad(node, KG.aboutIndication, iris.disease(it.indication), g)
    yield Quad(node, KG.evidenceLevel, it.level, g)
    if it.direction is not None:
        yield Quad(node, KG.evidenceDirection, it.direction, g)
    if it.significant is not None:
        yield Quad(node, KG.significanceLevel, lit(it.significant), g)
    yield Quad(node, KG.summarises, it.summarises, g)
    for basis in it.level_from:
        yield Quad(node, KG.levelFrom, basis, g)
    if it.study is not None:
        yield Quad(node, KG.aboutStudy, iris.study(it.study.id), g)
        for line in it.study.lines:
            yield Quad(node, KG.lineOfTherapy, LINE[line], g)
    if it.population is not None and it.study is not None:
        p = it.population
        yield Quad(node, KG.population, iris.study_part(it.study.id, "population", p.id), g)
        yield from population_context(node, p, g)


@builder("summaries", "graded drug-indication evidence items and Biolink-style summary edges")
def iter_summaries(inp: BuildInput) -> Iterator[Quad]:
    """Evidence items, then one summary edge per therapy under test and indication."""
    items = iter_items(inp)
    pairs: dict[tuple[URIRef, str], set[URIRef]] = {}
    for it in items:
        yield from _item_quads(inp, it)
        pairs.setdefault((therapy_node(it.therapy), it.indication), set()).add(it.level)
    for (therapy, ind), levels in sorted(pairs.items()):
        if KG.RegulatoryApprovalLevel in levels:
            yield Quad(therapy, KG.treats, iris.disease(ind), "summaries")
        if levels - {KG.RegulatoryApprovalLevel, KG.PreclinicalLevel}:
            yield Quad(therapy, KG.inClinicalTrialsFor, iris.disease(ind), "summaries")
        elif KG.PreclinicalLevel in levels:
            yield Quad(therapy, KG.studiedFor, iris.disease(ind), "summaries")
