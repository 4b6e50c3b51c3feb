"""Dot plots of adverse-event rates per arm: one plot per study, drawn as SVG like the forests.

Trial reports print safety as a table of rates per arm; a dot plot puts the arms of each event
and grade on one line, so a difference between arms is seen at a glance. Each row carries the
same filter facets as the forest plots' rows, and each dot links to the quote that prints its
number on the study's own page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.render.abstract import part, quote_anchor
from kg.render.facets import Facets, attrs, study_facets, with_endpoint
from kg.render.projection import label_of, page_of
from kg.vocab import KG, OA

ARM_COLOURS = ("#1f4e79", "#c0392b", "#2e8b57", "#8e44ad", "#b9770e")
SCALES = {10: 2, 20: 5, 25: 5, 50: 10, 100: 20}  # axis end (the first the rates fit): tick step


@dataclass(frozen=True)
class Dot:
    """One arm's rate in one row, with the quote on the study page that prints it."""

    arm: str
    rate: Decimal  # percent
    text: str  # as the page prints it: '15% (9/60)'
    href: str  # study page and quote anchor
    result: str  # IRI of the safety record


@dataclass
class AeRow:
    """One event term, grade and relatedness (or a dose change) of a study, all arms."""

    caption: str
    facets: Facets
    dots: list[Dot] = field(default_factory=list)


@dataclass
class StudyRates:
    """One study's dot plot: its arms (reference arm named) and rows."""

    iri: str
    title: str
    page: str
    arms: list[str]
    reference: str | None
    rows: list[AeRow]
    without_rate: int  # safety records that print a count but no rate (not drawn)


def _rate(g: Graph, r: URIRef) -> Decimal | None:
    """The printed percentage, else count over denominator; None when neither is printed."""
    pct = g.value(r, KG.value)
    if pct is not None:
        return Decimal(str(pct)).normalize()
    count, den = g.value(r, KG.count), g.value(r, KG.denominator)
    if count is not None and den is not None and int(den) > 0:
        return (Decimal(int(count)) * 100 / Decimal(int(den))).quantize(Decimal("0.1"))
    return None


def _arm_of(g: Graph, r: URIRef) -> URIRef | None:
    arm = g.value(r, KG.arm)
    pop = g.value(r, KG.population)
    return arm if arm is not None else (g.value(pop, KG.inArm) if pop is not None else None)


def reference_arm(g: Graph, study: URIRef) -> URIRef | None:
    """The study's reference arm: the reference of its comparisons, or its placebo arm."""
    arms = set(g.objects(study, KG.hasArm))
    for prop in (KG.hasHarmComparison, KG.hasComparison):
        refs = sorted({a for c in g.objects(study, prop) for a in g.objects(c, KG.referenceGroup)
                       if a in arms})
        if len(refs) == 1:
            return refs[0]
    placebo = sorted(a for a in arms for reg in g.objects(a, KG.usesRegimen)
                     for d in g.objects(reg, KG.hasComponent)
                     if str(d).endswith("/intervention/placebo"))
    return placebo[0] if len(placebo) == 1 else None


def _caption(g: Graph, r: URIRef) -> tuple[tuple, str]:
    """The row a record belongs to (sort key) and its caption: event, grade, relatedness."""
    kind = (part(label_of(g, g.value(r, KG.modificationKind)))
            if g.value(r, KG.modificationKind) is not None else
            "death on treatment" if (r, RDF.type, KG.DeathOnTreatmentResult) in g else "")
    event = str(g.value(r, KG.eventTerm) or "")
    grade = str(g.value(r, KG.gradeRange) or "").replace(">=", "≥")
    related = label_of(g, g.value(r, KG.relatedness)) if g.value(r, KG.relatedness) else ""
    words = [w for w in (kind, event, ("any grade" if grade == "any" else
                                       f"grade {grade}" if grade else ""), related) if w]
    low = int(g.value(r, KG.gradeLow) or 0)
    return (bool(kind), kind, event.lower(), low, grade, related), ", ".join(words)


def _printing(g: Graph, r: URIRef, numbers: list[str]) -> URIRef | None:
    """The record's evidence span whose quote prints its number (else its first span)."""
    spans = sorted(g.objects(r, KG.hasEvidence), key=str)
    texts = {span: " ".join(str(g.value(sel, OA.exact) or "") for sel in
                            g.objects(span, OA.hasSelector)) for span in spans}
    for number in numbers:
        pattern = re.compile(rf"(?<![\d.]){re.escape(number)}(?![\d])")
        for span in spans:
            if pattern.search(texts[span]):
                return span
    return spans[0] if spans else None


def study_rates(g: Graph, study: URIRef) -> StudyRates | None:
    """A study's rows of per-arm rates; None when it has no safety record with a rate."""
    page = page_of(study, "study") or ""
    ref = reference_arm(g, study)
    base = study_facets(g, study)
    rows: dict[tuple, AeRow] = {}
    arms: set[URIRef] = set()
    missing = 0
    for r in sorted(g.objects(study, KG.hasSafetyResult)):
        rate, arm = _rate(g, r), _arm_of(g, r)
        if rate is None or arm is None:
            missing += 1
            continue
        key, caption = _caption(g, r)
        row = rows.setdefault(key, AeRow(caption, with_endpoint(g, base, r)))
        count, den, pct = g.value(r, KG.count), g.value(r, KG.denominator), g.value(r, KG.value)
        share = f" ({count}/{den})" if count is not None and den is not None else ""
        shown = (f"{format(rate, 'f')}%{share}" if pct is not None else
                 f"{count}/{den} = {format(rate.normalize(), 'f')}%")  # computed, said so
        span = _printing(g, r, [format(Decimal(str(x)).normalize(), "f")
                                for x in (pct, count) if x is not None])
        row.dots.append(Dot(part(label_of(g, arm)), rate, shown,
                            f"{page}#{quote_anchor(span)}" if span is not None else page, str(r)))
        arms.add(arm)
    if not rows:
        return None
    names = sorted({part(label_of(g, a)) for a in arms},
                   key=lambda n: (ref is not None and n == part(label_of(g, ref)), n))
    return StudyRates(str(study), label_of(g, study), page, names,
                      part(label_of(g, ref)) if ref is not None and ref in arms else None,
                      [rows[k] for k in sorted(rows)], missing)


def all_study_rates(g: Graph) -> list[StudyRates]:
    """Every study with safety records that print a rate, by title."""
    found = (study_rates(g, s) for s in sorted(set(g.subjects(KG.hasSafetyResult, None))))
    return sorted((s for s in found if s is not None), key=lambda s: s.title)


def dotplot_svg(s: StudyRates) -> str:
    """One study's dot plot: a ``g.ae-row`` per row, an ``a.ae-dot`` per arm's rate.

    The reference arm's dots are hollow; every other arm has its own filled colour.
    """
    left, plot, right, top, step = 360, 360, 300, 46, 22
    largest = max(d.rate for r in s.rows for d in r.dots)
    end = next((x for x in SCALES if largest <= x), 100)
    ticks = range(0, end + 1, SCALES[end])

    def x(v: Decimal) -> float:
        return left + float(min(v, Decimal(end))) / end * plot

    colour = {a: ("#ffffff" if a == s.reference else ARM_COLOURS[i % len(ARM_COLOURS)])
              for i, a in enumerate(s.arms)}
    height = top + step * len(s.rows) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="dotplot" '
           f'data-study="{html.escape(s.iri)}" width="{left + plot + right}" height="{height}" '
           'font-family="system-ui, sans-serif" font-size="12">']
    lx = 4.0
    for a in s.arms:  # the legend: one swatch per arm, the reference arm named as such
        name = f"{a} (reference arm)" if a == s.reference else a
        out.append(f'<circle cx="{lx + 6:.1f}" cy="14" r="5" fill="{colour[a]}" '
                   'stroke="#333" stroke-width="1.5"/>'
                   f'<text x="{lx + 15:.1f}" y="18">{html.escape(name)}</text>')
        lx += 30 + 7 * len(name)
    for i, row in enumerate(s.rows):
        y = top + step * i + 10
        out.append(f'<g class="ae-row"{attrs(row.facets)}>')
        out.append(f'<text x="4" y="{y + 4}">{html.escape(_short(row.caption, 54))}'
                   f'<title>{html.escape(row.caption)}</title></text>')
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + plot}" y2="{y}" stroke="#e4e4e4"/>')
        for d in sorted(row.dots, key=lambda d: d.arm == s.reference, reverse=True):
            ref = "true" if d.arm == s.reference else "false"
            out.append(f'<a class="ae-dot" href="{html.escape(d.href)}" '
                       f'data-arm="{html.escape(d.arm)}" data-reference="{ref}" '
                       f'data-result="{html.escape(d.result)}" data-rate="{d.rate}">'
                       f'<title>{html.escape(d.arm)}: {html.escape(d.text)}</title>'
                       f'<circle cx="{x(d.rate):.1f}" cy="{y}" r="5" fill="{colour[d.arm]}" '
                       'stroke="#333" stroke-width="1.5"/></a>')
        rates = " · ".join(f"{d.arm} {d.text}" for d in sorted(
            row.dots, key=lambda d: s.arms.index(d.arm)))
        out.append(f'<text x="{left + plot + 10}" y="{y + 4}">{html.escape(_short(rates, 44))}'
                   f'<title>{html.escape(rates)}</title></text></g>')
    axis_y = height - 25
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + plot}" y2="{axis_y}" stroke="#444"/>')
    for tick in ticks:
        out.append(f'<line x1="{x(Decimal(tick)):.1f}" y1="{axis_y}" x2="{x(Decimal(tick)):.1f}" '
                   f'y2="{axis_y + 5}" stroke="#444"/><text x="{x(Decimal(tick)) - 8:.1f}" '
                   f'y="{axis_y + 18}">{tick}%</text>')
    out.append("</svg>")
    return "\n".join(out)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dotplots_html(g: Graph) -> tuple[str, int]:
    """The report's section: a heading, note and dot plot per study; and the number of dots."""
    studies = all_study_rates(g)
    out, dots = [], 0
    for s in studies:
        dots += sum(len(r.dots) for r in s.rows)
        note = (f" {s.without_rate} record(s) that print a count but no rate are in its "
                "safety table." if s.without_rate else "")
        out.append(f'<h3><a href="{html.escape(s.page)}">{html.escape(s.title)}</a></h3>'
                   f'<p class="hint">Percent of each arm with the event; hollow dots are the '
                   f'reference arm. A dot opens the quote that prints it.{html.escape(note)}</p>'
                   + dotplot_svg(s))
    if not studies:
        out.append('<p class="hint">No study in the graph prints adverse-event rates per arm.</p>')
    return "\n".join(out), dots
