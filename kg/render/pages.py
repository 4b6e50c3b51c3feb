"""Write the HTML views and the GraphML projection.

The views: overview, one page per study, target and indication, contradictions, the report with
its forest plot, and the index with search.

Networks are assembled with pyvis (nodes, edges, options) and rendered through this package's
own autoescaping templates, which load vis-network from ``output/lib/`` (copied from the pyvis
package): pages open from disk with no network at all, unlike pyvis's ``local``/``in_line`` modes.
All data reaches the page as JSON inside a ``<script type="application/json">`` block with
``<``, ``>`` and ``&`` escaped, and is put into the page with ``textContent`` only.
"""

from __future__ import annotations

import html
import json
import math
import shutil
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import networkx as nx
import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph
from rdflib.namespace import RDF

from kg.render import projection as proj
from kg.render.downloads import downloads_block
from kg.render.projection import label_of
from kg.vocab import KG

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STYLE = yaml.safe_load((HERE / "style.yaml").read_text(encoding="utf-8"))
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
LEVEL_ORDER = [KG.RegulatoryApprovalLevel, KG.Phase3RandomisedLevel, KG.Phase2RandomisedLevel,
               KG.Phase2SingleArmLevel, KG.SubgroupLevel, KG.ReviewStatementLevel,
               KG.PreclinicalLevel]


def script_json(obj: object) -> Markup:
    """JSON safe inside a script element (no ``</script>`` or HTML breakout possible)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True)
    for a, b in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(a, b)
    return Markup(text)  # noqa: S704 - escaped above for the script context


def short(label: str, limit: int = 42) -> str:
    """A node caption: labels stay readable in the drawing; the panel shows them in full."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def physics_options(n: int) -> dict:
    """Physics that settles quickly, then the page switches it off (kg.js)."""
    big = n > 300
    return {
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -120, "springLength": 140,
                                         "avoidOverlap": 0.6},
                    "stabilization": {"enabled": True, "iterations": 150 if big else 400,
                                      "updateInterval": 50}},
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "edges": {"smooth": False if big else {"type": "continuous"}, "arrows": "to",
                  "font": {"size": 10, "align": "middle"}, "color": {"color": "#999"}},
        "nodes": {"font": {"size": 13}},
        "interaction": {"hover": True, "tooltipDelay": 150},
    }


def network_data(p: nx.MultiDiGraph, root: str, self_page: str) -> dict:
    """Nodes, edges and options of a projection, assembled with pyvis."""
    net = Network(directed=True)
    for node, attrs in p.nodes(data=True):
        style = STYLE.get(attrs["kind"], STYLE["other"])
        net.add_node(node, label=short(attrs.get("caption", attrs["label"])),
                     title=attrs["label"],
                     color=style["color"], shape=style["shape"],
                     size=10 + 3 * min(int(attrs.get("evidence", 0)), 10), kind=attrs["kind"])
    crowded = p.number_of_edges() > 40  # edge captions go into hover titles when crowded
    for s, o, attrs in p.edges(data=True):
        text = attrs.get("label", "")
        if crowded:
            net.add_edge(s, o, title=text)
        else:
            net.add_edge(s, o, label=text, title=text)
    info = {n: asdict(a["info"]) for n, a in p.nodes(data=True) if "info" in a}
    return {"nodes": net.nodes, "edges": net.edges, "options": physics_options(len(net.nodes)),
            "info": info, "root": root, "self": self_page}


def legend(p: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    """The kinds present in a projection, in style-file order."""
    kinds = {k for _, k in p.nodes(data="kind")}
    return [(k, v) for k, v in STYLE.items() if k in kinds]


def write_graph_page(p: nx.MultiDiGraph, path: Path, title: str, subtitle: str) -> None:
    """One interactive network page."""
    root = "../" if path.parent.name == "views" else ""
    self_page = f"views/{path.name}" if root else path.name
    page = ENV.get_template("graph.html").render(
        title=title, subtitle=subtitle, lib=f"{root}lib/", root=root, legend=legend(p),
        data_json=script_json(network_data(p, root, self_page)))
    path.write_text(page, encoding="utf-8")


def write_lib(out: Path) -> None:
    """Copy vis-network (from the pyvis package) and this package's JS and CSS into lib/."""
    import pyvis

    lib = out / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    vis = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    shutil.copyfile(vis / "vis-network.min.js", lib / "vis-network.min.js")
    shutil.copyfile(vis / "vis-network.css", lib / "vis-network.css")
    for name in ("kg.js", "kg.css", "search.js"):
        shutil.copyfile(TEMPLATES / name, lib / name)


# ------------------------------------------------------------------ report


def hazard_ratios(g: Graph) -> list[dict]:
    """Every hazard ratio with what the forest plots and their tables show.

    ``kind`` is ``treatment`` for arm-versus-arm effects and ``biomarker`` for comparisons of
    marker- or histology-defined groups, whose two groups stand in ``experimental`` and
    ``reference`` only as first and second group (neither is experimental).
    """
    rows = []
    for c in sorted(g.subjects(KG.measure, KG.HazardRatio)):
        study = next(g.subjects(KG.hasComparison, c))
        ep = g.value(c, KG.endpoint)
        q = g.value(c, KG.pValueQualifier)
        treatment = g.value(c, KG.comparisonKind) in (KG.TreatmentEffect, None)
        first = KG.experimentalGroup if treatment else KG.firstGroup
        second = KG.referenceGroup if treatment else KG.secondGroup
        favoured = g.value(c, KG.favouredGroup)
        rows.append({
            "iri": str(c), "study": label_of(g, study),
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
        })
    return sorted(rows, key=lambda r: (r["study"], r["endpoint"], r["population"]))


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
        out.append(f'<g class="hr-row" data-comparison="{html.escape(r["iri"])}">')
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


def _table(headers: list[str], rows: list[list[str]], cls: str = "data") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f'<table class="{cls}"><tr>{head}</tr>{body}</table>'


STUDY_CLASSES = (KG.ClinicalTrial, KG.PreclinicalStudy, KG.SubstudyAnalysis)


def studies_table(g: Graph) -> str:
    """Every study with design, size, line and arms."""
    rows = []
    for s in sorted({s for c in STUDY_CLASSES for s in g.subjects(RDF.type, c)}):
        sizes = [int(n) for p in g.objects(s, KG.hasPopulation) for n in g.objects(p, KG.size)]
        design = [name for prop, name in ((KG.randomised, "randomised"),
                                          (KG.singleArm, "single-arm"),
                                          (KG.placeboControlled, "placebo-controlled"),
                                          (KG.adaptive, "adaptive"),
                                          (KG.terminatedEarly, "terminated early"))
                  if g.value(s, prop) is not None and g.value(s, prop).toPython()]
        phases = ", ".join(sorted(label_of(g, x) for x in g.objects(s, KG.phase)))
        rows.append([label_of(g, s), phases,
                     ", ".join(design), str(max(sizes)) if sizes else "",
                     ", ".join(sorted(label_of(g, x) for x in g.objects(s, KG.lineOfTherapy))),
                     " | ".join(sorted(label_of(g, g.value(a, KG.usesRegimen))
                                       for a in g.objects(s, KG.hasArm)))])
    return _table(["study", "phase", "design", "largest N", "line", "arms"], rows)


def outcomes_table(g: Graph) -> str:
    """Every outcome result with its value, unit, count and CI."""
    rows = []
    for r in sorted(g.subjects(RDF.type, KG.OutcomeResult)):
        study = next(g.subjects(KG.hasResult, r), None)
        ep = g.value(r, KG.endpoint)
        group = " / ".join(label_of(g, x).split(": ")[-1] for x in
                           (g.value(r, KG.arm), g.value(r, KG.population)) if x is not None)
        count = g.value(r, KG.count)
        den = g.value(r, KG.denominator)
        ci = (f"{g.value(r, KG.ciLow)}–{g.value(r, KG.ciHigh)}"
              if g.value(r, KG.ciLow) is not None else "")
        rows.append([label_of(g, study) if study else "",
                     label_of(g, g.value(ep, KG.endpointType)) if ep else "", group,
                     str(g.value(r, KG.value) or ""),
                     label_of(g, g.value(r, KG.unit)) if g.value(r, KG.unit) else "",
                     f"{count}/{den}" if count is not None and den is not None else
                     (str(count) if count is not None else ""), ci])
    return _table(["study", "endpoint", "arm / population", "value", "unit", "count", "CI"], rows)


def evidence_table(g: Graph) -> str:
    """What was tested in which indication: best level, directions, number of graded items.

    Rows are the therapy under test (a drug, or a combination tested as a whole); backbone
    drugs given in both compared arms never get a row from that comparison.
    """
    pairs: dict[tuple[str, str], dict] = {}
    for item in g.subjects(RDF.type, KG.DrugIndicationEvidence):
        ind = label_of(g, g.value(item, KG.aboutIndication))
        lev = g.value(item, KG.evidenceLevel)
        d = g.value(item, KG.evidenceDirection)
        therapy = label_of(g, g.value(item, KG.therapyUnderTest))
        e = pairs.setdefault((therapy, ind), {"best": 99, "dirs": set(), "n": 0, "as": set()})
        e["best"] = min(e["best"], LEVEL_ORDER.index(lev) if lev in LEVEL_ORDER else 98)
        if d is not None:
            e["dirs"].add(label_of(g, d))
        e["as"].add(label_of(g, g.value(item, KG.testedAs)))
        e["n"] += 1
    rows = [[therapy, ", ".join(sorted(e["as"])), ind, label_of(g, LEVEL_ORDER[e["best"]]),
             ", ".join(sorted(e["dirs"])), str(e["n"])]
            for (therapy, ind), e in sorted(pairs.items())]
    return _table(["therapy under test", "tested as", "indication", "best level", "directions",
                   "items"], rows)


def write_report(g: Graph, path: Path) -> int:
    """The report page; returns the number of forest-plot rows."""
    hrs = hazard_ratios(g)
    treatment = [r for r in hrs if r["kind"] == "treatment"]
    marker = [r for r in hrs if r["kind"] == "biomarker"]

    def hr_rows(rows: list[dict]) -> list[list[str]]:
        return [[r["study"], r["endpoint"], r["population"].split(": ")[-1],
                 r["experimental"].split(": ")[-1], r["reference"].split(": ")[-1],
                 r["text"]["estimate"],
                 f"{r['text']['low']}–{r['text']['high']}" if "low" in r["text"] else "", r["p"]]
                + ([r["favours"]] if r["kind"] == "biomarker" else []) for r in rows]

    body = Markup(  # noqa: S704 - every inserted value is escaped by _table/forest_svg
        f"<h2>Treatment effects: hazard ratios ({len(treatment)})</h2>"
        + forest_svg(treatment, "treatment")
        + _table(["study", "endpoint", "population", "experimental", "reference", "HR", "95% CI",
                  "p"], hr_rows(treatment))
        + f"<h2>Prognostic and biomarker estimates: hazard ratios ({len(marker)})</h2>"
        "<p>Groups defined by a marker or histology on the same treatment: which group did "
        "better, not what a treatment does.</p>"
        + forest_svg(marker, "biomarker")
        + _table(["study", "endpoint", "population", "first group", "second group", "HR",
                  "95% CI", "p", "better in"], hr_rows(marker))
        + "<h2>Drug–indication evidence</h2>" + evidence_table(g)
        + "<h2>Studies</h2>" + studies_table(g)
        + "<h2>Outcome results</h2>" + outcomes_table(g)
        + downloads_block())  # the evidence tables kg build writes into tables/
    page = ENV.get_template("page.html").render(
        title="Report", subtitle="Every hazard ratio, study, outcome and graded drug–indication "
        "pair in the graph", lib="lib/", root="", body=body, data_json=None, script=None)
    path.write_text(page, encoding="utf-8")
    return len(hrs)


# ------------------------------------------------------------------ index


def write_index(g: Graph, full: nx.MultiDiGraph, pages: list[tuple[str, str, str]],
                path: Path) -> None:
    """Entry page: counts by type, links to every view, and a search box."""
    counts: dict[str, int] = {}
    for _, kind in full.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    count_rows = [[STYLE.get(k, STYLE["other"])["label"], str(n)]
                  for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    links = {"study": [], "target": [], "indication": [], "other": []}
    for group, href, title in pages:
        links[group].append(f'<li><a href="{html.escape(href)}">{html.escape(title)}</a></li>')
    index = []
    for node, attrs in full.nodes(data=True):
        inf = attrs["info"]
        index.append({"id": node, "label": inf.label, "type": inf.type, "page": inf.page,
                      "synonyms": inf.synonyms, "ids": [c for c, _ in inf.ids]})
    body = Markup(  # noqa: S704 - all values escaped
        '<p><label>Find a drug, target, disease, study or identifier: '
        '<input id="search" type="search" size="40" placeholder="e.g. KDR, VEGFR2, NCT00863746, '
        'MISSION"></label></p><ul id="results"></ul>'
        '<h2>Views</h2><ul><li><a href="overview.html">Overview graph</a> (drugs, targets, '
        'indications, studies)</li><li><a href="report.html">Report</a> (forest plot, tables)'
        '</li><li><a href="views/contradictions.html">Contradictions</a></li></ul>'
        + f"<h2>What the graph holds ({len(g):,} triples)</h2>"
        + _table(["kind", "nodes"], count_rows, "data counts")
        + "".join(f"<h2>{html.escape(t)}</h2><ul>{''.join(items)}</ul>"
                  for t, items in (("Studies", links["study"]), ("Targets", links["target"]),
                                   ("Indications", links["indication"])) if items))
    page = ENV.get_template("page.html").render(
        title="Drug–target–indication evidence graph", subtitle="Open any view; everything "
        "works from disk, offline.", lib="lib/", root="", body=body,
        data_json=script_json({"index": sorted(index, key=lambda n: n["label"].lower())}),
        script="search.js")
    path.write_text(page, encoding="utf-8")


# ------------------------------------------------------------------ everything


def write_graphml(p: nx.MultiDiGraph, path: Path) -> None:
    """The full projection as GraphML (for Gephi and Cytoscape), scalar attributes only."""
    flat = nx.MultiDiGraph()
    for n, a in p.nodes(data=True):
        inf = a["info"]
        flat.add_node(n, label=a["label"], kind=a["kind"], type=inf.type,
                      evidence=int(a.get("evidence", 0)),
                      identifiers=" ".join(c for c, _ in inf.ids))
    for s, o, a in p.edges(data=True):
        flat.add_edge(s, o, label=a.get("label", ""))
    nx.write_graphml(flat, path)


def write_site(g: Graph, out: Path, progress: Callable[[str], None] | None = None
               ) -> dict[str, nx.MultiDiGraph]:
    """Write every page into ``out``; return the projections drawn (for checks and tests)."""
    say = progress or (lambda _m: None)
    write_lib(out)
    (out / "views").mkdir(exist_ok=True)
    drawn: dict[str, nx.MultiDiGraph] = {}
    pages: list[tuple[str, str, str]] = []

    def draw(key: str, p: nx.MultiDiGraph, file: str, title: str, subtitle: str,
             group: str = "other") -> None:
        write_graph_page(p, out / file, title, subtitle)
        drawn[file] = p
        pages.append((group, file, title))

    draw("overview", proj.overview(g), "overview.html", "Overview",
         "Drugs, their targets, indications and studies (outcome detail is on each study's page)")
    for s in sorted({s for c in STUDY_CLASSES for s in g.subjects(RDF.type, c)}):
        slug = str(s).rsplit("/", 1)[-1]
        draw(slug, proj.study_view(g, s), f"views/study-{slug}.html", label_of(g, s),
             "Arms, populations, endpoints, results, comparisons and findings", "study")
    targets = sorted({t for t in g.objects(None, KG.targets)})
    for t in targets:
        slug = str(t).rsplit("/", 1)[-1]
        draw(slug, proj.target_view(g, t), f"views/target-{slug}.html", label_of(g, t),
             "Drugs acting on this target, its gene and family, and what the sources say",
             "target")
    for d in sorted(g.subjects(RDF.type, KG.Disease)):
        slug = str(d).rsplit("/", 1)[-1]
        draw(slug, proj.indication_view(g, d), f"views/indication-{slug}.html", label_of(g, d),
             "The indication with its subtypes, the studies in it and the drugs tested",
             "indication")
    draw("contradictions", proj.contradictions_view(g), "views/contradictions.html",
         "Contradictions", "Statements that disagree, kept side by side with the reason")
    say(f"  {len(drawn)} graph pages")
    hr_rows = write_report(g, out / "report.html")
    say(f"  report with {hr_rows} hazard ratios")
    full = proj.full(g)
    write_index(g, full, pages, out / "index.html")
    write_graphml(full, out / "graph.graphml")
    drawn["graph.graphml"] = full
    return drawn


def synthetic_projection(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A made-up projection of ``n`` nodes shaped like ours, for the large-graph browser test."""
    import random

    rnd = random.Random(seed)  # noqa: S311 - layout test data, not security
    kinds = ["study", "arm", "population", "result", "comparison", "drug", "disease"]
    p = nx.MultiDiGraph(name=f"synthetic-{n}")
    for i in range(n):
        kind = kinds[i % len(kinds)]
        inf = proj.Info(kind, kind, f"{kind} {i}")
        p.add_node(f"urn:n{i}", label=f"{kind} {i}", kind=kind, info=inf, evidence=i % 5)
    for i in range(1, n):
        p.add_edge(f"urn:n{i}", f"urn:n{rnd.randrange(0, i)}", label="")
    return p

