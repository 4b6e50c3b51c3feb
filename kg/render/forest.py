"""Forest plots: every hazard ratio as a row of an SVG plot (log scale), with its numbers.

The report draws all of them, a study page only its own.
"""

from __future__ import annotations

import html
import math

from rdflib import Graph, URIRef

from kg.render.facets import attrs, study_facets, with_endpoint
from kg.render.projection import kept, label_of
from kg.vocab import KG


def short(label: str, limit: int = 42) -> str:
    """A node caption: labels stay readable in the drawing; the panel shows them in full."""
    return label if len(label) <= limit else label[: limit - 1] + "…"



def hazard_ratios(g: Graph) -> list[dict]:
    """Every hazard ratio with what the forest plots and their tables show.

    ``kind`` is ``treatment`` for arm-versus-arm effects and ``biomarker`` for comparisons of
    marker- or histology-defined groups, whose two groups stand in ``experimental`` and
    ``reference`` only as first and second group (neither is experimental).
    """
    rows = [kept(g, "hazard-ratios", str(c), lambda c=c: _row(g, c))
            for c in sorted(g.subjects(KG.measure, KG.HazardRatio))]
    return sorted(rows, key=lambda r: (r["study"], r["endpoint"], r["population"]))


def _row(g: Graph, c: URIRef) -> dict:
    """One hazard ratio's row."""
    study = next(g.subjects(KG.hasComparison, c))
    ep = g.value(c, KG.endpoint)
    q = g.value(c, KG.pValueQualifier)
    treatment = g.value(c, KG.comparisonKind) in (KG.TreatmentEffect, None)
    first = KG.experimentalGroup if treatment else KG.firstGroup
    second = KG.referenceGroup if treatment else KG.secondGroup
    favoured = g.value(c, KG.favouredGroup)
    return {
        "iri": str(c), "study": label_of(g, study), "study_iri": str(study),
        "facets": with_endpoint(g, study_facets(g, study), c),
        "kind": "treatment" if treatment else "biomarker",
        "favours": label_of(g, favoured).split(": ")[-1] if favoured is not None else "",
        "acronym": str(g.value(study, KG.acronym) or ""),
        "refs": ",".join(sorted(str(r) for r in g.objects(study, KG.referenceNumber))),
        "endpoint": label_of(g, g.value(ep, KG.endpointType)) if ep else "",
        "population": label_of(g, g.value(c, KG.population)) if g.value(c, KG.population)
        else "", "experimental": label_of(g, g.value(c, first)),
        "reference": label_of(g, g.value(c, second)),
        "estimate": float(g.value(c, KG.estimate)),
        "text": {k: str(g.value(c, prop)) for k, prop in (("estimate", KG.estimate),
                 ("low", KG.ciLow), ("high", KG.ciHigh)) if g.value(c, prop) is not None},
        "low": float(g.value(c, KG.ciLow)) if g.value(c, KG.ciLow) is not None else None,
        "high": float(g.value(c, KG.ciHigh)) if g.value(c, KG.ciHigh) is not None else None,
        "p": (f"p{label_of(g, q) if label_of(g, q) != 'unstated' else ' '}"
              f"{g.value(c, KG.pValue)}") if g.value(c, KG.pValue) is not None else "",
    }


AXIS_LABELS = {"treatment": ("← favours experimental", "favours reference →"),
               "biomarker": ("← lower hazard in first group", "lower hazard in second group →")}


def forest_svg(rows: list[dict], kind: str = "treatment") -> str:
    """A forest plot (log scale) of hazard ratios as SVG, one ``g.hr-row`` per estimate.

    Treatment effects and biomarker (prognostic) estimates get separate plots, each with axis
    labels that fit what a hazard ratio below 1 means for it.
    """
    left, plot, right, top, step = 470, 300, 200, 30, 24
    lo, hi = math.log(0.1), math.log(5)

    def x(v: float) -> float:
        v = min(max(v, 0.1), 5)
        return left + (math.log(v) - lo) / (hi - lo) * plot

    height = top + step * len(rows) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="forest" data-kind="{kind}" '
           f'width="{left + plot + right}" '
           f'height="{height}" font-family="system-ui, sans-serif" font-size="12">',
           f'<line x1="{x(1):.1f}" y1="{top - 10}" x2="{x(1):.1f}" y2="{height - 30}" '
           'stroke="#444" stroke-dasharray="4 3"/>']
    for i, r in enumerate(rows):
        y = top + step * i + 12
        name = r["acronym"] or f"[{r['refs']}]"
        who = (r["population"].split(": ")[-1] if r["population"] else
               f"{r['experimental'].split(': ')[-1]} vs {r['reference'].split(': ')[-1]}")
        caption = f"{name} {r['endpoint'] or 'endpoint not stated'} — {who}"
        out.append(f'<g class="hr-row" data-comparison="{html.escape(r["iri"])}"'
                   f'{attrs(r.get("facets"))}>')
        out.append(f'<title>{html.escape(r["experimental"])} vs {html.escape(r["reference"])}'
                   f'</title>')
        out.append(f'<text x="4" y="{y + 4}">{html.escape(short(caption, 70))}</text>')
        if r["low"] is not None and r["high"] is not None:
            out.append(f'<line x1="{x(r["low"]):.1f}" y1="{y}" x2="{x(r["high"]):.1f}" y2="{y}" '
                       'stroke="#1f4e79" stroke-width="2"/>')
        out.append(f'<rect x="{x(r["estimate"]) - 5:.1f}" y="{y - 5}" width="10" height="10" '
                   'fill="#1f4e79"/>')
        t = r["text"]
        ci = f" ({t['low']}–{t['high']})" if "low" in t else ""
        out.append(f'<text x="{left + plot + 8}" y="{y + 4}">{t["estimate"]}{ci} '
                   f'{html.escape(r["p"])}</text>')
        out.append("</g>")
    axis_y = height - 25
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{left + plot}" y2="{axis_y}" stroke="#444"/>')
    for tick in (0.1, 0.25, 0.5, 1, 2, 4):
        out.append(f'<line x1="{x(tick):.1f}" y1="{axis_y}" x2="{x(tick):.1f}" '
                   f'y2="{axis_y + 5}" stroke="#444"/><text x="{x(tick) - 8:.1f}" '
                   f'y="{axis_y + 18}">{tick:g}</text>')
    lower, higher = AXIS_LABELS[kind]
    out.append(f'<text x="{left}" y="{top - 14}">{lower}</text>'
               f'<text x="{x(1) + 6:.1f}" y="{top - 14}">{higher}</text>')
    out.append("</svg>")
    return "\n".join(out)
