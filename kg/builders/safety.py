"""Safety as evidence: adverse-event results per arm, dose changes, deaths, harm comparisons.

An adverse-event result is a ``kg:AdverseEventResult``, a subclass of ``kg:OutcomeResult``, so
a tool that resolves classes through the ontology counts its percentage (``kg:value`` with
``kg:unit kg:Percent``), ``kg:count`` and ``kg:denominator`` in its ``kg:arm`` like any other
result; the event term (as printed, and as a shared ``kg:AdverseEventTerm`` node), grade bounds,
relatedness and time frame are its own. Dose reductions, interruptions and discontinuations are
``kg:DoseModificationResult``; deaths on treatment ``kg:DeathOnTreatmentResult``.

A harm comparison gets a ``kg:safetyDirection`` (more, fewer or similar events with the
experimental arm), and the drug it tests gets a graded evidence item carrying that safety
direction, never an efficacy ``kg:evidenceDirection``. Claims point to the typed statements they
rest on with ``kg:restsOn``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kg import model as m
from kg.builders import iris
from kg.builders.base import BuildInput, Quad, builder, dec, lit
from kg.builders.entities import iter_xrefs
from kg.builders.studies import derivations, short_name
from kg.builders.summaries import Grader, Item, _item_quads, tested
from kg.builders.terms import P_QUALIFIER
from kg.ids import mint, slug
from kg.sources.safety import MODIFICATIONS, grade_bounds
from kg.vocab import KG

ALPHA = Decimal("0.05")
MODIFICATION = {"dose-reduction": KG.DoseReduction, "dose-interruption": KG.DoseInterruption,
                "discontinuation": KG.DiscontinuationDueToAdverseEvent}
KIND_LABEL = {"dose-reduction": "dose reduction", "dose-interruption": "dose interruption",
              "discontinuation": "discontinuation due to adverse events",
              "death": "death on treatment"}
RELATEDNESS = {"treatment-related": KG.TreatmentRelated, "any-cause": KG.AnyCause}
HARM_MEASURE = {"risk-ratio": KG.RiskRatio, "odds-ratio": KG.OddsRatio,
                "rate-difference": KG.RateDifference}
SAFETY_DIRECTION = {"more-events": KG.MoreEvents, "fewer-events": KG.FewerEvents,
                    "similar-events": KG.SimilarEvents}
DERIVED_PROPERTY = {"percent": KG.value, "count": KG.count, "denominator": KG.denominator}
PART = {m.SafetyResult: "adverse-event", m.HarmComparison: "harm-comparison"}


def event_term(text: str) -> URIRef:
    """The node of an adverse event as printed (one per printed name over all documents)."""
    return mint("adverse-event", slug(text))


def grade_text(grade: str | None) -> str:
    """A grade as shown: 'any grade', 'grade 3', 'grade 3-4', 'grade ≥3'."""
    if grade is None:
        return ""
    if grade == "any":
        return "any grade"
    return f"grade {grade.replace('>=', '≥')}"


def what(r: m.SafetyResult | m.HarmComparison) -> str:
    """What a safety record counts, in words: event, grade and relatedness."""
    kind = getattr(r, "kind", "adverse-event")
    head = KIND_LABEL.get(kind, "")
    if r.event:
        head = f"{head} ({r.event})" if head else r.event
    parts = [head, grade_text(r.grade)]
    if r.relatedness:
        parts.append(r.relatedness.replace("-", " "))
    return ", ".join(p for p in parts if p)


def rate_text(r: m.SafetyResult) -> str:
    """'9/60 (15%)', '14 (23%)' or '5%'."""
    count = "" if r.count is None else str(r.count) + (
        f"/{r.denominator}" if r.denominator is not None else "")
    if r.percent is None:
        return count
    return f"{count} ({r.percent}%)" if count else f"{r.percent}%"


def safety_direction(c: m.HarmComparison) -> tuple[str, str] | None:
    """Which arm had more events, and on what basis; None when nothing tells.

    Stated by the source, else read from a ratio (or a difference) whose CI excludes no effect,
    or whose p-value is below 0.05; a CI that includes it, or p at or above 0.05, is 'similar'.
    """
    if c.safety_direction is not None:
        return c.safety_direction, "stated"
    if c.estimate is None:
        return None
    null = Decimal(0) if c.measure == "rate-difference" else Decimal(1)
    more = "more-events" if c.estimate > null else "fewer-events"
    if c.ci_low is not None and c.ci_high is not None:
        if c.ci_low <= null <= c.ci_high:
            return "similar-events", "confidence interval includes no effect"
        return more, "confidence interval excludes no effect"
    if c.p_value is not None and c.p_qualifier in {"=", "<", "<="}:
        if c.p_value < ALPHA or (c.p_qualifier != "=" and c.p_value <= ALPHA):
            return more, "p < 0.05"
        if c.p_qualifier == "=":
            return "similar-events", "p ≥ 0.05"
    return None


def _label(s: m.Study, key: str | None) -> str:
    return next((g.label for g in (*s.arms, *s.populations) if g.id == key), "")


def _result(inp: BuildInput, s: m.Study, r: m.SafetyResult, g: str) -> Iterator[Quad]:
    node = iris.study_part(s.id, "adverse-event", r.id)
    yield Quad(iris.study(s.id), KG.hasSafetyResult, node, g)
    yield Quad(node, RDF.type, KG.AdverseEventResult, g)
    if r.kind in MODIFICATIONS:
        yield Quad(node, RDF.type, KG.DoseModificationResult, g)
        yield Quad(node, KG.modificationKind, MODIFICATION[r.kind], g)
    if r.kind == "death":
        yield Quad(node, RDF.type, KG.DeathOnTreatmentResult, g)
    where = " / ".join(x for x in (_label(s, r.arm), _label(s, r.population)) if x)
    yield Quad(node, RDFS.label, lit(f"{short_name(s)}: {what(r)}, {where}: {rate_text(r)}"), g)
    if r.event:
        term = event_term(r.event)
        yield Quad(node, KG.eventTerm, lit(r.event), g)
        yield Quad(node, KG.adverseEvent, term, g)
        yield Quad(term, RDF.type, KG.AdverseEventTerm, g)
        yield Quad(term, RDFS.label, lit(r.event), g)
        if r.term is not None:
            yield from iter_xrefs(term, "adverse-event", r.term,
                                  inp.corpus.entities.adverse_event_terms.get(r.term, ()))
    # a death on treatment is a grade 5 event by definition (CTCAE)
    yield from _grade(node, r.grade or ("5" if r.kind == "death" else None), g)
    if r.relatedness:
        yield Quad(node, KG.relatedness, RELATEDNESS[r.relatedness], g)
    if r.arm:
        yield Quad(node, KG.arm, iris.study_part(s.id, "arm", r.arm), g)
    if r.population:
        yield Quad(node, KG.population, iris.study_part(s.id, "population", r.population), g)
    if r.endpoint:
        yield Quad(node, KG.endpoint, iris.study_part(s.id, "endpoint", r.endpoint), g)
    if r.count is not None:
        yield Quad(node, KG.count, lit(r.count), g)
    if r.denominator is not None:
        yield Quad(node, KG.denominator, lit(r.denominator), g)
    if r.percent is not None:
        yield Quad(node, KG.value, dec(r.percent), g)
        yield Quad(node, KG.unit, KG.Percent, g)
    if r.time_frame:
        yield Quad(node, KG.timeFrame, lit(r.time_frame), g)
    yield from derivations(s, r, node, g, DERIVED_PROPERTY)
    yield from inp.evidence(g, r, node)


def _grade(node: URIRef, grade: str | None, g: str) -> Iterator[Quad]:
    bounds = grade_bounds(grade)
    if grade is None or bounds is None:
        return
    yield Quad(node, KG.gradeRange, lit(grade), g)
    yield Quad(node, KG.gradeLow, lit(bounds[0]), g)
    yield Quad(node, KG.gradeHigh, lit(bounds[1]), g)


def _comparison(inp: BuildInput, s: m.Study, c: m.HarmComparison, g: str) -> Iterator[Quad]:
    node = iris.study_part(s.id, "harm-comparison", c.id)
    yield Quad(iris.study(s.id), KG.hasHarmComparison, node, g)
    yield Quad(node, RDF.type, KG.HarmComparison, g)
    yield Quad(node, KG.comparisonKind, KG.TreatmentEffect, g)
    parts = [what(c) or "adverse events",
             f"{_label(s, c.experimental)} vs {_label(s, c.reference)}"]
    if c.measure and c.estimate is not None:
        text = f"{c.measure.replace('-', ' ')} {c.estimate}"
        if c.ci_low is not None:
            text += f" ({c.ci_low}-{c.ci_high})"
        parts.append(text)
    if c.p_value is not None:
        sign = {"=": "=", "<": "<", "<=": "≤", "unstated": " "}[c.p_qualifier or "="]
        parts.append(f"p{sign}{c.p_value}")
    yield Quad(node, RDFS.label, lit(f"{short_name(s)}: {', '.join(parts)}"), g)
    yield Quad(node, KG.experimentalGroup, iris.study_part(s.id, "arm", c.experimental), g)
    yield Quad(node, KG.referenceGroup, iris.study_part(s.id, "arm", c.reference), g)
    if c.event:
        yield Quad(node, KG.eventTerm, lit(c.event), g)
        yield Quad(node, KG.adverseEvent, event_term(c.event), g)
        yield Quad(event_term(c.event), RDF.type, KG.AdverseEventTerm, g)
        yield Quad(event_term(c.event), RDFS.label, lit(c.event), g)
    yield from _grade(node, c.grade, g)
    if c.relatedness:
        yield Quad(node, KG.relatedness, RELATEDNESS[c.relatedness], g)
    if c.population:
        yield Quad(node, KG.population, iris.study_part(s.id, "population", c.population), g)
    for rid in c.results:
        yield Quad(node, KG.comparesResult, iris.study_part(s.id, "adverse-event", rid), g)
    if c.measure:
        yield Quad(node, KG.measure, HARM_MEASURE[c.measure], g)
    if c.estimate is not None:
        yield Quad(node, KG.estimate, dec(c.estimate), g)
    if c.ci_low is not None and c.ci_high is not None:
        yield Quad(node, KG.ciLow, dec(c.ci_low), g)
        yield Quad(node, KG.ciHigh, dec(c.ci_high), g)
        if c.ci_level is not None:
            yield Quad(node, KG.ciLevel, dec(c.ci_level), g)
    if c.p_value is not None and c.p_qualifier is not None:
        yield Quad(node, KG.pValue, dec(c.p_value), g)
        yield Quad(node, KG.pValueQualifier, P_QUALIFIER[c.p_qualifier], g)
    drc = safety_direction(c)
    if drc is not None:
        yield Quad(node, KG.safetyDirection, SAFETY_DIRECTION[drc[0]], g)
        yield Quad(node, KG.safetyDirectionBasis, lit(drc[1]), g)
    yield from inp.evidence(g, c, node)


def iter_safety_items(inp: BuildInput) -> Iterator[tuple[Item, URIRef]]:
    """A graded evidence item per harm comparison and indication, with its safety direction.

    The item credits what the comparison tested (the drug that differs between the arms) at the
    level of its study design (subgroup when made in a subgroup), like an efficacy item, but it
    carries no efficacy direction.
    """
    g = Grader(inp)
    for f in inp.corpus.files:
        for entry in f.studies:
            s = g.studies[entry.id]
            arms = {a.id: a for a in s.arms}
            pops = {p.id: p for p in s.populations}
            for c in entry.harm_comparisons:
                therapy = tested(arms[c.experimental].regimen, arms[c.reference].regimen)
                drc = safety_direction(c)
                if therapy is None or drc is None:
                    continue
                node = iris.study_part(s.id, "harm-comparison", c.id)
                level = g.statement_level(s, c.population)
                pop = pops.get(c.population) if c.population else None
                for ind in g.statement_indications(s, c.population):
                    item = Item(f"{s.id}--{c.id}--{ind}--safety", f.document.id, therapy, ind,
                                level, None, None, node, (node,), s, pop)
                    yield item, SAFETY_DIRECTION[drc[0]]


def _rests_on(inp: BuildInput, c: m.Claim, g: str) -> Iterator[Quad]:
    """``kg:restsOn`` from a claim to each typed statement its curator names."""
    for full in c.rests_on:
        sid, rid = full.split("/", 1)
        s = inp.corpus.studies[sid]
        for kind, records in (("result", s.results), ("comparison", s.comparisons),
                              ("adverse-event", s.adverse_events),
                              ("harm-comparison", s.harm_comparisons)):
            if any(r.id == rid for r in records):
                yield Quad(iris.claim(c.id), KG.restsOn, iris.study_part(sid, kind, rid), g)
                break


@builder("safety", "adverse-event results per arm, dose changes, deaths, harm comparisons and "
                   "their safety-graded evidence items")
def iter_safety(inp: BuildInput) -> Iterator[Quad]:
    """Every safety record of every study, the claims resting on statements, safety items."""
    for f in inp.corpus.files:
        for entry in f.studies:
            s = inp.corpus.studies[entry.id]
            for r in entry.adverse_events:
                yield from _result(inp, s, r, f.document.id)
            for c in entry.harm_comparisons:
                yield from _comparison(inp, s, c, f.document.id)
        for claim in f.claims:
            yield from _rests_on(inp, claim, f.document.id)
    for item, drc in iter_safety_items(inp):
        yield from _item_quads(inp, item)
        yield Quad(mint("evidence-item", item.key), KG.safetyDirection, drc, item.doc)
