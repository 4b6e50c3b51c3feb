"""Outcome results and comparisons (effect estimates): every number as typed data.

Significance and direction are taken from the source when it states them; otherwise they are
derived from the p-value (p < 0.05) or from a hazard ratio's confidence interval, and the
``kg:significanceBasis`` / ``kg:directionBasis`` literal says which.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kg import model as m
from kg.builders import iris
from kg.builders.base import BuildInput, Quad, builder, dec, lit
from kg.builders.studies import derivations, endpoint_label, short_name
from kg.builders.terms import COMPARISON_KIND, DIRECTION, MEASURE, P_QUALIFIER, UNIT, UNIT_SYMBOL
from kg.vocab import KG

ALPHA = Decimal("0.05")


def significance(c: m.Comparison) -> tuple[bool, str] | None:
    """Whether a comparison is significant, and on what basis; None if nothing tells."""
    if c.significant is not None:
        return c.significant, "stated"
    if c.p_value is not None:
        if c.p_qualifier in {"<", "<="}:
            return (c.p_value <= ALPHA, "p < 0.05") if c.p_value <= ALPHA else None
        return c.p_value < ALPHA, "p < 0.05"
    if c.measure in MEASURE and c.ci_low is not None and c.ci_high is not None:  # ratios all
        return not (c.ci_low <= 1 <= c.ci_high), "confidence interval excludes 1"
    return None


def direction(c: m.Comparison) -> tuple[str, str] | None:
    """Which arm a treatment comparison favours, and on what basis; None if nothing tells.

    Only treatment effects have an experimental and a reference side: a prognostic or
    predictive comparison has no direction in this sense (see ``favoured``).
    """
    if c.kind != "treatment-effect":
        return None
    if c.direction is not None:
        return c.direction, "stated"
    sig = significance(c)
    if c.measure == "hazard-ratio" and c.estimate is not None and sig is not None:
        if not sig[0]:
            return "no-difference", "not significant"
        return ("favours-experimental" if c.estimate < 1 else "favours-reference",
                "hazard ratio below or above 1")
    return None


def favoured(c: m.Comparison) -> tuple[str | None, str] | None:
    """For a prognostic or predictive comparison: the group that did better (None: neither).

    Stated by the source, or read from a significant hazard ratio (below 1: the first group).
    """
    if c.kind == "treatment-effect":
        return None
    if c.favoured is not None:
        return c.favoured, "stated"
    if c.direction == "no-difference":
        return None, "stated"
    sig = significance(c)
    if c.measure == "hazard-ratio" and c.estimate is not None and sig and len(c.groups) == 2:
        if not sig[0]:
            return None, "not significant"
        return (c.groups[0] if c.estimate < 1 else c.groups[1]), "hazard ratio below or above 1"
    return None


def _group_label(s: m.Study, key: str | None) -> str:
    for group in (*s.arms, *s.populations):
        if group.id == key:
            return group.label
    return ""


def _group(s: m.Study, key: str) -> URIRef:
    kind = "arm" if key in {a.id for a in s.arms} else "population"
    return iris.study_part(s.id, kind, key)


def _ci(node: URIRef, r: m.Result | m.Comparison, g: str) -> Iterator[Quad]:
    """A confidence interval: low, high and (when stated) its level."""
    if r.ci_low is not None and r.ci_high is not None:
        yield Quad(node, KG.ciLow, dec(r.ci_low), g)
        yield Quad(node, KG.ciHigh, dec(r.ci_high), g)
        if r.ci_level is not None:
            yield Quad(node, KG.ciLevel, dec(r.ci_level), g)


def _result(inp: BuildInput, s: m.Study, r: m.Result, g: str) -> Iterator[Quad]:
    node = iris.study_part(s.id, "result", r.id)
    endpoint = next(e for e in s.endpoints if e.id == r.endpoint)
    yield Quad(iris.study(s.id), KG.hasResult, node, g)
    yield Quad(node, RDF.type, KG.OutcomeResult, g)
    yield Quad(node, KG.endpoint, iris.study_part(s.id, "endpoint", r.endpoint), g)
    yield Quad(node, KG.statistic, lit(r.statistic), g)
    where = " / ".join(x for x in (_group_label(s, r.arm), _group_label(s, r.population)) if x)
    shown = []
    if r.value is not None and r.unit is not None:
        shown.append(f"{r.value}{'' if r.unit == 'percent' else ' '}{UNIT_SYMBOL[r.unit]}")
    if r.count is not None:
        shown.append(f"{r.count}" + (f"/{r.denominator}" if r.denominator is not None else ""))
    if r.ci_low is not None:
        shown.append(f"CI {r.ci_low}-{r.ci_high}")
    label = (f"{short_name(s)}: {r.statistic} {endpoint_label(endpoint)}, {where}: "
             f"{', '.join(shown)}")
    yield Quad(node, RDFS.label, lit(label), g)
    if r.arm:
        yield Quad(node, KG.arm, iris.study_part(s.id, "arm", r.arm), g)
    if r.population:
        yield Quad(node, KG.population, iris.study_part(s.id, "population", r.population), g)
    if r.value is not None:
        yield Quad(node, KG.value, dec(r.value), g)
    if r.unit:
        yield Quad(node, KG.unit, UNIT[r.unit], g)
    if r.count is not None:
        yield Quad(node, KG.count, lit(r.count), g)
    if r.denominator is not None:
        yield Quad(node, KG.denominator, lit(r.denominator), g)
    yield from _ci(node, r, g)
    if endpoint.marker:
        yield Quad(node, KG.marker, iris.biomarker(endpoint.marker), g)
    yield from derivations(s, r, node, g)
    yield from inp.evidence(g, r, node)


def _comparison(inp: BuildInput, s: m.Study, c: m.Comparison, g: str) -> Iterator[Quad]:
    node = iris.study_part(s.id, "comparison", c.id)
    yield Quad(iris.study(s.id), KG.hasComparison, node, g)
    yield Quad(node, RDF.type, KG.EffectEstimate if c.estimate is not None else KG.Comparison, g)
    parts = []
    if c.endpoint:
        endpoint = next(e for e in s.endpoints if e.id == c.endpoint)
        parts.append(endpoint_label(endpoint))
        yield Quad(node, KG.endpoint, iris.study_part(s.id, "endpoint", c.endpoint), g)
    sides = (c.experimental, c.reference) if c.kind == "treatment-effect" else c.groups
    if len(sides) == 2 and all(sides):
        parts.append(f"{_group_label(s, sides[0])} vs {_group_label(s, sides[1])}")
    if c.population and c.population not in sides:
        parts.append(f"in {_group_label(s, c.population)}")
    if c.measure and c.estimate is not None:
        text = f"HR {c.estimate}" if c.measure == "hazard-ratio" else f"{c.measure} {c.estimate}"
        if c.ci_low is not None:
            text += f" ({c.ci_low}-{c.ci_high})"
        parts.append(text)
    if c.p_value is not None:
        sign = {"=": "=", "<": "<", "<=": "≤", "unstated": ""}[c.p_qualifier or "="]
        parts.append(f"p{sign}{c.p_value}" if sign else f"p {c.p_value}")
    yield Quad(node, RDFS.label, lit(f"{short_name(s)}: {', '.join(parts) or 'comparison'}"), g)
    yield Quad(node, KG.comparisonKind, COMPARISON_KIND[c.kind], g)
    if len(c.groups) == 2:
        yield Quad(node, KG.firstGroup, _group(s, c.groups[0]), g)
        yield Quad(node, KG.secondGroup, _group(s, c.groups[1]), g)
    fav = favoured(c)
    if fav is not None:
        if fav[0] is None:
            yield Quad(node, KG.direction, KG.NoDifference, g)
        else:
            yield Quad(node, KG.favouredGroup, _group(s, fav[0]), g)
        yield Quad(node, KG.directionBasis, lit(fav[1]), g)
    if c.experimental:
        yield Quad(node, KG.experimentalGroup, _group(s, c.experimental), g)
    if c.reference:
        yield Quad(node, KG.referenceGroup, _group(s, c.reference), g)
    if c.population:
        yield Quad(node, KG.population, iris.study_part(s.id, "population", c.population), g)
    if c.measure:
        yield Quad(node, KG.measure, MEASURE[c.measure], g)
    if c.estimate is not None:
        yield Quad(node, KG.estimate, dec(c.estimate), g)
    yield from _ci(node, c, g)
    if c.p_value is not None and c.p_qualifier is not None:
        yield Quad(node, KG.pValue, dec(c.p_value), g)
        yield Quad(node, KG.pValueQualifier, P_QUALIFIER[c.p_qualifier], g)
    if c.method:
        yield Quad(node, KG.method, lit(c.method), g)
    sig = significance(c)
    if sig is not None:
        yield Quad(node, KG.significant, lit(sig[0]), g)
        yield Quad(node, KG.significanceBasis, lit(sig[1]), g)
    drc = direction(c)
    if drc is not None:
        yield Quad(node, KG.direction, DIRECTION[drc[0]], g)
        yield Quad(node, KG.directionBasis, lit(drc[1]), g)
    yield from inp.evidence(g, c, node)


@builder("outcomes", "outcome results and comparisons with values, CIs, p-values, direction")
def iter_outcomes(inp: BuildInput) -> Iterator[Quad]:
    """Every result and comparison of every study."""
    for f in inp.corpus.files:
        for entry in f.studies:
            s = inp.corpus.studies[entry.id]  # arms, populations, endpoints of every document
            for r in entry.results:
                yield from _result(inp, s, r, f.document.id)
            for c in entry.comparisons:
                yield from _comparison(inp, s, c, f.document.id)
