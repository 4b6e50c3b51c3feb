"""Write the HTML views and the GraphML projection.

Size: over 400 lines because it writes each kind of page in one short function; what a page shows
is computed elsewhere.

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
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.counts import count, summary
from kg.render import facets as fc
from kg.render import graphml
from kg.render import multigraph as nx  # networkx's MultiDiGraph without importing networkx
from kg.render import projection as proj
from kg.render.abstract import StudyAbstract, study_abstract
from kg.render.dotplot import dotplots_html
from kg.render.downloads import downloads_block
from kg.render.facets import Facets, study_facets, with_endpoint
from kg.render.forest import forest_svg, hazard_ratios, short
from kg.render.groups import aggregated_overview
from kg.render.layout import FONT, overview_positions, view
from kg.render.projection import label_of
from kg.render.search import search_index_json
from kg.render.templating import TEMPLATES, environment
from kg.vocab import KG

if TYPE_CHECKING:
    from kg.render.pagecache import PageCache

HERE = Path(__file__).resolve().parent
SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: 8 -> 0.5 ms a build
STYLE = yaml.load((HERE / "style.yaml").read_text(encoding="utf-8"), Loader=SAFE)  # noqa: S506
ENV = environment()  # the templates compiled ahead (kg.render.templating)
LEVEL_ORDER = [KG.RegulatoryApprovalLevel, KG.Phase3RandomisedLevel, KG.Phase2RandomisedLevel,
               KG.Phase2SingleArmLevel, KG.SubgroupLevel, KG.ReviewStatementLevel,
               KG.PreclinicalLevel]


def script_json(obj: object) -> Markup:
    """JSON safe inside a script element (no ``</script>`` or HTML breakout possible)."""
    return script_text(json.dumps(obj, ensure_ascii=False, sort_keys=True))


def script_text(text: str) -> Markup:
    """JSON text (as ``script_json`` makes it) made safe inside a script element."""
    for a, b in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(a, b)
    return Markup(text)  # noqa: S704 - escaped above for the script context


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


def fixed_options() -> dict:
    """A precomputed layout: no physics at all, shown at scale 1 so labels keep their size."""
    return {"physics": {"enabled": False}, "layout": {"improvedLayout": False},
            "edges": {"smooth": False, "arrows": "to", "color": {"color": "#bbb"}},
            "nodes": {"font": {"size": FONT}},
            "interaction": {"hover": True, "tooltipDelay": 150}}


class Network:
    """Nodes and edges as vis-network reads them, made as pyvis's ``Network(directed=True)``.

    The same dicts pyvis's ``add_node``/``add_edge`` make (a test compares them), without
    importing ``pyvis.network``, which loads IPython and jsonpickle: 50 ms of every build.
    """

    def __init__(self) -> None:
        """No nodes or edges yet."""
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self._ids: set[str | int] = set()

    def add_node(self, n_id: str | int, label: str | None = None, shape: str = "dot",
                 color: str = "#97c2fc", **options: object) -> None:
        """A node, once per id; with no label, its id is shown."""
        if n_id in self._ids:
            return
        node = dict(options) if "group" in options else {"color": color, **options}
        node.update(id=n_id, label=label or n_id, shape=shape)
        self.nodes.append(node)
        self._ids.add(n_id)

    def add_edge(self, source: str | int, to: str | int, **options: object) -> None:
        """A directed edge between two nodes added before."""
        if source not in self._ids or to not in self._ids:
            raise ValueError(f"edge {source!r} -> {to!r}: no such node")
        edge = {**options, "from": source, "to": to}
        edge.setdefault("arrows", "to")
        self.edges.append(edge)


def network_data(p: nx.MultiDiGraph, root: str, self_page: str,
                 positions: dict[str, tuple[float, float]] | None = None) -> dict:
    """Nodes, edges and options of a projection, assembled with pyvis.

    With ``positions`` the page draws the nodes exactly there, at scale 1, with no physics;
    captions are then drawn whole (they are short by construction), never cut.
    """
    net = Network()
    for node, attrs in p.nodes(data=True):
        style = STYLE.get(attrs["kind"], STYLE["other"])
        extra = {}
        caption = attrs.get("caption", attrs["label"])
        if positions is not None:
            extra = {"x": positions[node][0], "y": positions[node][1]}
        net.add_node(node, label=caption if positions is not None else short(caption),
                     title=attrs["label"], color=style["color"], shape=style["shape"],
                     size=(10 + min(int(attrs.get("evidence", 0)), 10) if positions is not None
                           else 10 + 3 * min(int(attrs.get("evidence", 0)), 10)),
                     kind=attrs["kind"], **extra)
    crowded = p.number_of_edges() > 40  # edge captions go into hover titles when crowded
    for s, o, attrs in p.edges(data=True):
        text = attrs.get("label", "")
        if crowded:
            net.add_edge(s, o, title=text)
        else:
            net.add_edge(s, o, label=text, title=text)
    # the panel's fields as they are (no deep copy: they go straight to JSON)
    info = {n: vars(a["info"]) for n, a in p.nodes(data=True) if "info" in a}
    options = physics_options(len(net.nodes)) if positions is None else fixed_options()
    data = {"nodes": net.nodes, "edges": net.edges, "options": options,
            "info": info, "root": root, "self": self_page,
            "view": view(p, positions) if positions is not None else None}
    groups = {n: a["members"] for n, a in p.nodes(data=True) if "members" in a}
    if groups:  # an aggregated overview: each group's studies, for the page to expand
        data["groups"] = groups
        data["study_style"] = {k: STYLE["study"][k] for k in ("color", "shape")}
    return data


def legend(p: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    """The kinds present in a projection, in style-file order."""
    kinds = {k for _, k in p.nodes(data="kind")}
    return [(k, v) for k, v in STYLE.items() if k in kinds]


def write_graph_page(p: nx.MultiDiGraph, path: Path, title: str, subtitle: str,
                     positions: dict[str, tuple[float, float]] | None = None) -> None:
    """One interactive network page."""
    root = "../" if path.parent.name == "views" else ""
    self_page = f"views/{path.name}" if root else path.name
    page = ENV.get_template("graph.html").render(
        title=title, subtitle=subtitle, lib=f"{root}lib/", root=root, legend=legend(p),
        data_json=script_json(network_data(p, root, self_page, positions)))
    path.write_text(page, encoding="utf-8")


def write_study_page(g: Graph, study: URIRef, p: nx.MultiDiGraph, path: Path,
                     hrs: list[dict]) -> StudyAbstract:
    """A study as a structured abstract, its own forest plot, and its graph as one panel."""
    a = study_abstract(g, study)
    number, where = {}, {}
    for quotes in a.documents.values():
        for q in quotes:
            number[q.anchor] = len(number) + 1
            where[q.anchor] = (f"{q.document}, characters {q.start}–{q.end}"
                               + (f", sentence {q.sentence}" if q.sentence else ""))
    mine = [r for r in hrs if r["study_iri"] == str(study)]
    forests = [(name, Markup(forest_svg(rows, kind)))  # noqa: S704 - forest_svg escapes
               for kind, name in (("treatment", "treatment effects"),
                                  ("biomarker", "prognostic and biomarker estimates"))
               if (rows := [r for r in mine if r["kind"] == kind])]
    subtitle = " · ".join(x for x in (label_of(g, g.value(study, KG.acronym))
                                      if g.value(study, KG.acronym) else "",
                                      "structured summary of what the sources report") if x)
    page = ENV.get_template("study.html").render(
        title=a.title, subtitle=subtitle, lib="../lib/", root="../", legend=legend(p), a=a,
        number=number, where=where, forests=forests,
        data_json=script_json(network_data(p, "../", f"views/{path.name}")))
    path.write_text(page, encoding="utf-8")
    return a


def write_lib(out: Path) -> None:
    """Copy vis-network (from the pyvis package) and this package's JS and CSS into lib/."""
    from importlib.util import find_spec

    lib = out / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    spec = find_spec("pyvis")  # found, not imported: pyvis's __init__ loads IPython
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyvis is not installed: it ships the vis-network files the pages load")
    vis = Path(next(iter(spec.submodule_search_locations))) / "lib" / "vis-9.1.2"
    shutil.copyfile(vis / "vis-network.min.js", lib / "vis-network.min.js")
    shutil.copyfile(vis / "vis-network.css", lib / "vis-network.css")
    for name in ("kg.js", "kg.css", "search.js", "tables.js"):
        shutil.copyfile(TEMPLATES / name, lib / name)


# ------------------------------------------------------------------ report


def _table(headers: list[str], rows: list[list[str]], cls: str = "data",
           facets: list[Facets] | None = None, name: str = "") -> str:
    """An HTML table (sortable and downloadable on the page); rows may carry filter facets."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(f"<tr{fc.attrs(facets[i]) if facets else ''}>"
                   + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for i, r in enumerate(rows))
    ident = f' id="{html.escape(name)}"' if name else ""
    return (f'<table class="{cls}"{ident}><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


STUDY_CLASSES = (KG.ClinicalTrial, KG.PreclinicalStudy, KG.SubstudyAnalysis)


def studies_table(g: Graph) -> str:
    """Every study with design, size, line and arms."""
    kept = [proj.kept(g, "studies-table", str(s), lambda s=s: _study_row(g, s))
            for s in sorted({s for c in STUDY_CLASSES for s in g.subjects(RDF.type, c)})]
    return _table(["study", "phase", "design", "largest N", "line", "arms"],
                  [row for _, row in kept], facets=[f for f, _ in kept], name="studies")


def _study_row(g: Graph, s: URIRef) -> tuple[dict, list[str]]:
    """A study's facets and row."""
    facets = study_facets(g, s)
    sizes = [int(n) for p in g.objects(s, KG.hasPopulation) for n in g.objects(p, KG.size)]
    design = [name for prop, name in ((KG.randomised, "randomised"),
                                      (KG.singleArm, "single-arm"),
                                      (KG.placeboControlled, "placebo-controlled"),
                                      (KG.adaptive, "adaptive"),
                                      (KG.terminatedEarly, "terminated early"))
              if g.value(s, prop) is not None and g.value(s, prop).toPython()]
    phases = ", ".join(sorted(label_of(g, x) for x in g.objects(s, KG.phase)))
    return facets, [label_of(g, s), phases,
                    ", ".join(design), str(max(sizes)) if sizes else "",
                    ", ".join(sorted(label_of(g, x) for x in g.objects(s, KG.lineOfTherapy))),
                    " | ".join(sorted(label_of(g, g.value(a, KG.usesRegimen))
                                      for a in g.objects(s, KG.hasArm)))]


def outcomes_table(g: Graph) -> str:
    """Every outcome result with its value, unit, count and CI."""
    kept = [proj.kept(g, "outcomes-table", str(r), lambda r=r: _outcome_row(g, r))
            for r in sorted(g.subjects(RDF.type, KG.OutcomeResult))]
    return _table(["study", "endpoint", "arm / population", "value", "unit", "count", "CI"],
                  [row for _, row in kept], facets=[f for f, _ in kept], name="outcomes")


def _outcome_row(g: Graph, r: URIRef) -> tuple[dict, list[str]]:
    """An outcome result's facets and row."""
    study = next(g.subjects(KG.hasResult, r), None)
    facets = with_endpoint(g, study_facets(g, study), r)
    ep = g.value(r, KG.endpoint)
    group = " / ".join(label_of(g, x).split(": ")[-1] for x in
                       (g.value(r, KG.arm), g.value(r, KG.population)) if x is not None)
    count = g.value(r, KG.count)
    den = g.value(r, KG.denominator)
    ci = (f"{g.value(r, KG.ciLow)}–{g.value(r, KG.ciHigh)}"
          if g.value(r, KG.ciLow) is not None else "")
    return facets, [label_of(g, study) if study else "",
                    label_of(g, g.value(ep, KG.endpointType)) if ep else "", group,
                    str(g.value(r, KG.value) or ""),
                    label_of(g, g.value(r, KG.unit)) if g.value(r, KG.unit) else "",
                    f"{count}/{den}" if count is not None and den is not None else
                    (str(count) if count is not None else ""), ci]


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
    facets = [{"indication": [r[2]], "drug": r[0].split(" + ")} for r in rows]
    return _table(["therapy under test", "tested as", "indication", "best level", "directions",
                   "items"], rows, facets=facets, name="evidence")


def write_report(g: Graph, path: Path) -> int:
    """The report page; returns the number of forest-plot rows."""
    hrs = hazard_ratios(g)
    treatment = [r for r in hrs if r["kind"] == "treatment"]
    marker = [r for r in hrs if r["kind"] == "biomarker"]
    dotplots, dots = dotplots_html(g)

    def hr_rows(rows: list[dict]) -> list[list[str]]:
        return [[r["study"], r["endpoint"], r["population"].split(": ")[-1],
                 r["experimental"].split(": ")[-1], r["reference"].split(": ")[-1],
                 r["text"]["estimate"],
                 f"{r['text']['low']}–{r['text']['high']}" if "low" in r["text"] else "", r["p"]]
                + ([r["favours"]] if r["kind"] == "biomarker" else []) for r in rows]

    body = Markup(  # noqa: S704 - every inserted value is escaped by _table/forest_svg
        '<div class="filters" id="filters"></div>'
        f"<h2>Treatment effects: hazard ratios ({len(treatment)})</h2>"
        + forest_svg(treatment, "treatment")
        + _table(["study", "endpoint", "population", "experimental", "reference", "HR", "95% CI",
                  "p"], hr_rows(treatment), facets=[r["facets"] for r in treatment],
                 name="treatment-hrs")
        + f"<h2>Prognostic and biomarker estimates: hazard ratios ({len(marker)})</h2>"
        "<p>Groups defined by a marker or histology on the same treatment: which group did "
        "better, not what a treatment does.</p>"
        + forest_svg(marker, "biomarker")
        + _table(["study", "endpoint", "population", "first group", "second group", "HR",
                  "95% CI", "p", "better in"], hr_rows(marker),
                 facets=[r["facets"] for r in marker], name="biomarker-hrs")
        + f"<h2>Adverse events: rates per arm ({dots} rates)</h2>" + dotplots
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


def write_index(g: Graph, full: nx.MultiDiGraph | proj.Projected, pages: list[tuple[str, str, str]],
                path: Path, memo: Any = None) -> None:
    """Entry page: counts by type, links to every view, and a search box.

    ``memo``: search entries kept from the last build (see ``search_index_json``).
    """
    counted = getattr(g, "counts", None) or count(g)  # the build's own count, when it has one
    nodes = full.nodes if isinstance(full, proj.Projected) else list(full.nodes(data=True))
    counts: dict[str, int] = {}
    for _, a in nodes:
        counts[a["kind"]] = counts.get(a["kind"], 0) + 1
    count_rows = [[STYLE.get(k, STYLE["other"])["label"], str(n)]
                  for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    links = {"study": [], "target": [], "indication": [], "other": []}
    for group, href, title in pages:
        links[group].append(f'<li><a href="{html.escape(href)}">{html.escape(title)}</a></li>')
    body = Markup(  # noqa: S704 - all values escaped
        '<p><label>Find a drug, target, disease, study, result or identifier: '
        '<input id="search" type="search" size="50" placeholder="e.g. MISSION, sorafenib PFS, '
        'KRAS DCR, PDGFR-beta, NCT00863746"></label></p><ul id="results"></ul>'
        '<h2>Views</h2><ul><li><a href="overview.html">Overview graph</a> (drugs, targets, '
        'indications, studies)</li><li><a href="report.html">Report</a> (forest plot, tables)'
        '</li><li><a href="views/contradictions.html">Contradictions</a></li></ul>'
        + f"<h2>What the graph holds</h2><p id=\"counts\">{html.escape(summary(counted))}.</p>"
        + _table(["kind", "nodes"], count_rows, "data counts")
        + "".join(f"<h2>{html.escape(t)} ({len(items)})</h2><ul class=\"paged\">"
                  f"{''.join(items)}</ul>"
                  for t, items in (("Studies", links["study"]), ("Targets", links["target"]),
                                   ("Indications", links["indication"])) if items))
    page = ENV.get_template("page.html").render(
        title="Drug–target–indication evidence graph", subtitle="Open any view; everything "
        "works from disk, offline.", lib="lib/", root="", body=body,
        data_json=script_text(search_index_json(
            g, nodes, {k: v["label"] for k, v in STYLE.items()}, memo)),
        script="search.js")
    path.write_text(page, encoding="utf-8")


# ------------------------------------------------------------------ everything


def write_graphml(p: nx.MultiDiGraph | proj.Projected, path: Path) -> None:
    """The full projection as GraphML (for Gephi and Cytoscape), scalar attributes only.

    Written line by line as networkx's writer lays it out (a test compares the two byte for
    byte): networkx builds the whole document as an element tree in memory first, and imports
    numpy, when installed, whose BLAS threads can take a Ctrl-C meant for the build. A build
    with the page cache writes it through ``kg.render.graphml.LastGraphml`` (the same bytes).
    """
    if isinstance(p, proj.Projected):
        nodes, edges = p.nodes, p.edges
    else:
        nodes = list(p.nodes(data=True))
        edges = [(s, o, k, a.get("label", "")) for s, o, k, a in p.edges(keys=True, data=True)]
    ids = {n: graphml.attr(n) for n, _ in nodes}  # each id escaped once, not once per edge end
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(graphml.HEAD)
        f.writelines(graphml.node_block(ids[n], a) for n, a in nodes)
        f.write(graphml.edge_lines(edges, ids))
        f.write(graphml.TAIL)


# the drawings kept across builds (``kg.render.pagecache.Memo``), read together at the start
MEMO_KINDS = ("attrs", "search-text", "hazard-ratios", "studies-table", "outcomes-table",
              "study-pages")


def write_site(g: Graph, out: Path, progress: Callable[[str], None] | None = None,
               keep: bool = True, pages_cache: PageCache | None = None
               ) -> dict[str, nx.MultiDiGraph]:
    """Write every page into ``out``; return the projections drawn (for checks and tests).

    ``keep=False`` (the build) keeps none: at 1,000x, three thousand study projections held
    to the end are ~0.2 GB of the build's peak. With ``pages_cache`` a study page whose
    inputs are unchanged since it was drawn is written from the cache (see pagecache.py).
    """
    say = progress or (lambda _m: None)
    if pages_cache is not None:
        pages_cache.load(*MEMO_KINDS)
    attrs = pages_cache.memo("attrs") if pages_cache is not None else None
    if attrs is not None:
        proj.MEMOS[g] = attrs
        proj.KEPT[g] = pages_cache.memo  # type: ignore[union-attr]
    write_lib(out)
    (out / "views").mkdir(exist_ok=True)
    drawn: dict[str, nx.MultiDiGraph] = {}
    pages: list[tuple[str, str, str]] = []

    def draw(key: str, p: nx.MultiDiGraph, file: str, title: str, subtitle: str,
             group: str = "other", positions: dict | None = None) -> None:
        write_graph_page(p, out / file, title, subtitle, positions)
        if keep:
            drawn[file] = p
        pages.append((group, file, title))

    overview = aggregated_overview(proj.overview(g))
    grouped = any(kind == "group" for _, kind in overview.nodes(data="kind"))
    draw("overview", overview, "overview.html", "Overview",
         ("Drugs, their targets and indications, and the studies grouped by indication and "
          "phase; click a group to list its studies and show them in the graph"
          if grouped else
          "Drugs, their targets, indications and studies (outcome detail is on each study's "
          "page); hover for full names, click for details and the node's own page"),
         positions=overview_positions(overview))
    by_study: dict[str, list[dict]] = {}  # each study's hazard ratios, in the report's order
    for r in hazard_ratios(g):  # (not every row scanned for every study: 18M tests at 1,000x)
        by_study.setdefault(r["study_iri"], []).append(r)
    for s in sorted({s for c in STUDY_CLASSES for s in g.subjects(RDF.type, c)}):
        file = f"views/study-{str(s).rsplit('/', 1)[-1]}.html"
        pages.append(("study", file, label_of(g, s)))
        mine = by_study.get(str(s), [])
        if pages_cache is None:
            view = proj.study_view(g, s)
            write_study_page(g, s, view, out / file, mine)  # type: ignore[arg-type]
            if keep:
                drawn[file] = view
            continue

        def draw_study(s: URIRef = s, file: str = file, mine: list[dict] = mine) -> bytes:
            view = proj.study_view(g, s)
            write_study_page(g, s, view, out / file, mine)  # type: ignore[arg-type]
            if keep:
                drawn[file] = view
            return (out / file).read_bytes()

        pages_cache.write(file, mine, draw_study, out / file)
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
    say(f"  {len(pages)} graph pages" + (f" ({pages_cache.hits} study pages unchanged, from "
                                          "the cache)" if pages_cache else ""))
    hr_rows = write_report(g, out / "report.html")
    say(f"  report with {hr_rows} hazard ratios")
    last = (graphml.LastGraphml(pages_cache.cache, pages_cache.keys, attrs)
            if attrs is not None and pages_cache is not None and pages_cache.keys is not None
            else None)
    # the edges of the nodes the last GraphML holds unchanged are not looked for (not when
    # the projection is kept whole for the caller)
    full = proj.full_lists(g, last.skip if last is not None and not keep else None)
    write_index(g, full, pages, out / "index.html",
                pages_cache.memo("search-text") if pages_cache is not None else None)
    if last is not None:
        last.write(full, out / "graph.graphml")
        if last.patched:
            say(f"  GraphML: {last.kept} of {len(full.nodes)} nodes kept from the last build")
    else:
        write_graphml(full, out / "graph.graphml")
    if pages_cache is not None:
        pages_cache.save()
        proj.MEMOS.pop(g, None)
        proj.KEPT.pop(g, None)
        if attrs is not None:
            say(f"  {attrs.hits} of {len(full.nodes)} nodes' attributes and "
                f"{pages_cache.memo('search-text').hits} search entries unchanged, from the cache")
    if keep:
        drawn["graph.graphml"] = full.graph()
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

