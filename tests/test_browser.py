"""Every generated page in real headless Chromium, from file://, with the network blocked.

Asserts: no console errors, zero external requests, as many nodes drawn as the projection has,
clicking a study node shows its evidence quote, the search box finds VEGFR2, the forest plots have
one row per hazard ratio, labels are shown as text (never run as HTML), and a 2,000-node graph
settles quickly. Screenshots go to output/screenshots/ (not committed).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from kg.paths import OUTPUT_DIR
from kg.render.browser import Page as BrowserPage
from kg.render.pages import synthetic_projection, write_graph_page, write_lib, write_site
from kg.vocab import KG

SHOTS = OUTPUT_DIR / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, real) -> tuple[Path, dict, Graph]:
    from kg.paths import ONTOLOGY_FILE

    out = tmp_path_factory.mktemp("site")
    g = real.union()
    g.parse(ONTOLOGY_FILE)
    drawn = write_site(g, out)
    return out, drawn, g


class Page(BrowserPage):
    """A page of the test site; screenshots go to output/screenshots/."""

    def close(self, shot: str | None = None, full_page: bool = False) -> None:
        """Close the page, saving a screenshot under output/screenshots/ first if asked."""
        super().close(SHOTS / shot if shot else None, full_page)


def graph_pages(site: tuple[Path, dict, Graph]) -> list[str]:
    return sorted(k for k in site[1] if k.endswith(".html"))


def test_every_graph_page_renders_offline_with_all_nodes(browser, site):
    out, drawn, _ = site
    assert len(graph_pages(site)) > 40
    for name in graph_pages(site):
        page = Page(browser, out / name)
        page.page.wait_for_function("window.kgStable === true", timeout=30_000)
        count = page.page.evaluate("kgNetwork.body.data.nodes.length")
        shown = page.page.evaluate("Object.keys(kgNetwork.body.nodes).filter(k => "
                                   "!k.startsWith('edgeId')).length")
        assert page.errors == [], (name, page.errors)
        assert page.external == [], (name, page.external)
        assert count == drawn[name].number_of_nodes(), name
        assert shown >= count, name
        page.close(shot=name.replace("/", "_") + ".png" if name in {
            "overview.html", "views/study-mission.html", "views/contradictions.html"} else None)


def test_index_and_report_render_offline(browser, site):
    out = site[0]
    for name in ("index.html", "report.html"):
        page = Page(browser, out / name)
        page.page.wait_for_load_state("load")
        assert page.errors == [] and page.external == [], (name, page.errors, page.external)
        page.close(shot=f"{name}.png")


def test_clicking_a_study_node_shows_its_evidence_quote(browser, site):
    out = site[0]
    page = Page(browser, out / "overview.html")
    p = page.page
    p.wait_for_function("window.kgStable === true", timeout=30_000)
    node = "https://w3id.org/dti-kg/id/study/mission"
    pos = p.evaluate("id => kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id])", node)
    box = p.locator("#network").bounding_box()
    p.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    p.wait_for_selector("#info blockquote")
    text = p.inner_text("#info")
    assert "randomized 703 patients" in text.replace("\n", " ")
    assert "Sorafenib in NSCLC - results of clinical trials, characters" in text
    assert "NCT:NCT00863746" in text
    page.close()


def test_search_finds_vegfr2_and_nct(browser, site):
    page = Page(browser, site[0] / "index.html")
    p = page.page
    p.fill("#search", "VEGFR2")
    assert "KDR (VEGFR2)" in p.inner_text("#results")
    p.fill("#search", "NCT00863746")
    assert "MISSION" in p.inner_text("#results")
    p.click("#results a")
    p.wait_for_function("window.kgStable === true", timeout=30_000)
    assert "MISSION" in p.inner_text("h1")
    page.close(shot="search.png")


def test_forest_plots_have_one_row_per_hazard_ratio_of_their_kind(browser, site):
    out, _, g = site
    hrs = set(g.subjects(KG.measure, KG.HazardRatio))
    treatment = {c for c in hrs if (c, KG.comparisonKind, KG.TreatmentEffect) in g}
    page = Page(browser, out / "report.html")
    assert treatment and hrs - treatment  # both plots have rows
    plot = page.page.locator('svg.forest[data-kind="treatment"]')
    assert plot.locator("g.hr-row").count() == len(treatment)
    assert page.page.locator('svg.forest[data-kind="biomarker"] g.hr-row').count() == \
        len(hrs - treatment)
    assert "favours experimental" in (plot.text_content() or "")
    plot.screenshot(path=str(SHOTS / "forest.png"))
    page.close()


def test_labels_are_shown_as_text_not_run(browser, site, tmp_path: Path):
    _, _, g = site
    hostile = Graph()
    for t in g:
        hostile.add(t)
    study = next(iter(sorted(hostile.subjects(KG.acronym, None))))
    hostile.set((study, RDFS.label, __import__("rdflib").Literal(
        '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script></script>')))
    out = tmp_path / "hostile"
    out.mkdir()
    write_site(hostile, out)
    for name in ("overview.html", "index.html", "report.html",
                 f"views/study-{str(study).rsplit('/', 1)[-1]}.html"):
        page = Page(browser, out / name)
        p = page.page
        p.wait_for_load_state("load")
        if name == "index.html":
            p.fill("#search", "onerror")
            assert "<img src=x" in p.inner_text("#results")
        elif name != "report.html":
            p.wait_for_function("window.kgStable === true", timeout=30_000)
            p.evaluate("id => kgShow(id)", str(study))
            assert "<script>window.pwned=2</script>" in p.inner_text("#info h2")
        else:
            assert "<img src=x" in p.inner_text("body")
        assert p.evaluate("window.pwned") is None, name
        assert page.external == [], name
        page.close()


def test_two_thousand_nodes_settle_within_seconds(browser, tmp_path: Path):
    write_lib(tmp_path)
    proj = synthetic_projection(2000)
    write_graph_page(proj, tmp_path / "big.html", "2,000 nodes", "synthetic")
    start = time.perf_counter()
    page = Page(browser, tmp_path / "big.html")
    page.page.wait_for_function("window.kgStable === true", timeout=120_000)
    seconds = time.perf_counter() - start
    assert page.page.evaluate("kgNetwork.body.data.nodes.length") == 2000
    moving = page.page.evaluate("kgNetwork.physics.physicsEnabled")
    assert moving is False
    assert page.errors == [] and page.external == []
    assert seconds < 60, seconds
    page.close(shot="synthetic-2000.png")


def test_serve_editor_runs_a_named_query_in_the_browser(browser, real, tmp_path: Path):
    import subprocess
    import sys

    from kg.cli import write_outputs

    write_outputs(real, tmp_path, html=False)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph",
                             str(tmp_path / "graph.trig"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        context = browser.new_context()
        external: list[str] = []
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url)
                      else (external.append(r.request.url), r.abort()))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        # the page's CSP forbids eval, so wait on a selector, not wait_for_function
        page.locator("#named option").nth(15).wait_for(state="attached")
        page.select_option("#named", "drug-targets")
        assert "PREFIX kg:" in page.input_value("#query")
        page.click("#run")
        page.wait_for_selector("#out table")
        assert page.locator("#out table tr").count() == 11  # header + 10 targets
        assert "KDR (VEGFR2)" in page.inner_text("#out")
        # a form per named query: the drug by its brand name, through /queries/NAME
        page.fill("#params input[name=drug]", "Nexavar")
        page.click("#run")
        page.wait_for_selector("#out table")
        assert page.locator("#out table tr").count() == 11
        with page.expect_download() as dl:
            page.click("#csv")
        csv_rows = Path(dl.value.path()).read_text(encoding="utf-8").strip().splitlines()
        assert csv_rows[0].startswith("target,") and len(csv_rows) == 11
        # every IRI of a result opens the page that describes its node
        page.click("#out table a[href*='protein%2FKDR']")
        page.wait_for_selector("h1")
        assert page.inner_text("h1") == "KDR (VEGFR2)"
        body = page.inner_text("body")
        assert "What points at it" in body and "drug:sorafenib" in body and "kg:targets" in body
        page.go_back()
        page.wait_for_selector("#query")
        page.fill("#query", "SELECT ?x WHERE {")
        page.click("#run")
        page.wait_for_selector("#out .error")
        assert "syntax error at line 1, column" in page.inner_text("#out .error")
        assert errors == [] and external == []
        context.close()
    finally:
        proc.terminate()
        proc.wait(10)


# ------------------------------------------------------------------ issue 14: readable views


def test_study_page_tables_have_one_row_per_statement_and_forest_one_row_per_hr(browser, site):
    out, _, g = site
    checked_forest = 0
    for study in sorted({*g.subjects(KG.hasResult, None), *g.subjects(KG.hasComparison, None)}):
        slug = str(study).rsplit("/", 1)[-1]
        page = Page(browser, out / f"views/study-{slug}.html")
        p = page.page
        p.wait_for_load_state("load")
        assert p.locator("#results tbody tr").count() == len(set(g.objects(study, KG.hasResult)))
        assert p.locator("#comparisons tbody tr").count() == \
            len(set(g.objects(study, KG.hasComparison)))
        hrs = {c for c in g.objects(study, KG.hasComparison)
               if (c, KG.measure, KG.HazardRatio) in g}
        assert p.locator("svg.forest g.hr-row").count() == len(hrs), slug
        drawn = {p.locator("svg.forest g.hr-row").nth(i).get_attribute("data-comparison")
                 for i in range(len(hrs))}
        assert drawn == {str(c) for c in hrs}
        checked_forest += bool(hrs)
        assert page.errors == [] and page.external == [], (slug, page.errors)
        page.close()
    assert checked_forest >= 3


def test_every_number_on_a_study_page_links_to_a_quote_that_prints_it(browser, site):
    page = Page(browser, site[0] / "views/study-mission.html")
    p = page.page
    links = p.locator("a.num")
    assert links.count() >= 10
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        assert href and p.locator(href).count() == 1, href
    hr = p.locator("#comparisons a.num", has_text="0.60")
    hr.click()
    target = p.locator("ol.quotes li:target")
    assert "0.60" in target.inner_text()
    where = target.locator(".where").inner_text()
    assert "Sorafenib in NSCLC" in where and "characters" in where and "sentence" in where
    assert "★" in p.inner_text("#endpoints")  # the primary endpoint is marked
    page.close(shot="study-mission-abstract.png", full_page=True)


def test_overview_first_frame_labels_are_legible_and_do_not_overlap(browser, site):
    page = Page(browser, site[0] / "overview.html")
    p = page.page
    p.wait_for_function("window.kgStable === true", timeout=30_000)
    boxes = p.evaluate("""() => {
        const net = kgNetwork, scale = net.getScale(), out = [];
        for (const [id, node] of Object.entries(net.body.nodes)) {
            if (id.startsWith('edgeId') || !node.options.label) continue;
            const s = node.labelModule.size;
            const a = net.canvasToDOM({x: s.left, y: s.top});
            const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
            out.push({id: id, label: node.options.label, x0: a.x, y0: a.y, x1: b.x, y1: b.y,
                      px: node.labelModule.fontOptions.size * scale});
        }
        return out;
    }""")
    assert len(boxes) == site[1]["overview.html"].number_of_nodes()
    small = [(b["label"], round(b["px"], 1)) for b in boxes if b["px"] < 12]
    assert small == []
    overlaps = [(a["label"], b["label"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"]
                and b["y0"] < a["y1"]]
    assert overlaps == []
    labels = [b["label"] for b in boxes]
    assert len(set(labels)) == len(labels) and not any("…" in x for x in labels)
    assert p.evaluate("kgNetwork.physics.physicsEnabled") is False
    page.close()


def test_overview_panel_opens_a_node_page(browser, site):
    page = Page(browser, site[0] / "overview.html")
    p = page.page
    p.wait_for_function("window.kgStable === true", timeout=30_000)
    p.evaluate("id => kgShow(id)", "https://w3id.org/dti-kg/id/drug/sorafenib")
    assert "sorafenib" in p.inner_text("#info h2")
    p.evaluate("id => kgShow(id)", "https://w3id.org/dti-kg/id/study/mission")
    p.click("#info a:has-text('open its page')")
    p.wait_for_load_state("load")
    assert "MISSION" in p.inner_text("h1") and p.locator("#results").count() == 1
    page.close()


def test_search_ranks(browser, site):
    page = Page(browser, site[0] / "index.html")
    p = page.page
    p.fill("#search", "mission")
    first = p.locator("#results li").first
    assert first.locator("a").inner_text().startswith("MISSION phase III trial")
    assert first.locator(".hit-type").inner_text() == "study"
    hits = p.evaluate("q => kgSearch(q)", "sorafenib PFS")
    assert any("MISSION" in h and "median PFS, sorafenib" in h for h in hits)
    top = hits[:5]
    assert all("PFS" in h and "sorafenib" in h.lower() for h in top), top
    assert any("DCR" in h and "KRAS" in h for h in p.evaluate("q => kgSearch(q)", "KRAS DCR")[:3])
    for q in ("PDGFR-beta", "pdgfrβ", "PDGFRβ", "pdgfrbeta"):
        assert p.evaluate("q => kgSearch(q)", q)[0] == "PDGFRB (PDGFRβ)", q
    assert p.evaluate("q => kgSearch(q)", "nct00863746")[0].startswith("MISSION")
    assert page.errors == [] and page.external == []
    page.close()


def _csv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


def test_tables_sort_and_download_what_they_show(browser, site, tmp_path: Path):
    for name in ("report.html", "views/study-mission.html"):
        page = Page(browser, site[0] / name)
        p = page.page
        tables = p.locator("table.data")
        assert tables.count() >= 4
        for i in range(tables.count()):
            table = tables.nth(i)
            shown = table.evaluate("t => Array.from(t.rows).map(r => "
                                   "Array.from(r.cells).map(c => c.textContent.trim()))")
            with p.expect_download() as dl:
                p.locator("button.csv").nth(i).click()
            path = tmp_path / f"{i}.csv"
            dl.value.save_as(path)
            assert _csv_rows(path.read_text(encoding="utf-8")) == shown, (name, i)
        page.close()
    page = Page(browser, site[0] / "report.html")
    p = page.page
    col = p.locator("#outcomes th", has_text="value")
    col.click()
    values = p.locator("#outcomes tbody tr td:nth-child(4)").all_inner_texts()
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers) and len(numbers) > 20
    col.click()
    values = [float(v) for v in p.locator("#outcomes tbody tr td:nth-child(4)").all_inner_texts()
              if v]
    assert values == sorted(values, reverse=True)
    p.locator("#outcomes th", has_text="study").click()
    studies = p.locator("#outcomes tbody tr td:nth-child(1)").all_inner_texts()
    assert studies == sorted(studies, key=str.lower) or studies == sorted(studies)
    page.close()


def test_report_filters_by_indication_endpoint_and_drug(browser, site):
    _, _, g = site
    page = Page(browser, site[0] / "report.html")
    p = page.page
    total = p.locator("#outcomes tbody tr").count()
    p.select_option("#filter-endpoint", "progression-free survival")
    shown = p.locator("#outcomes tbody tr:not(.filtered-out)")
    pfs = {r for r in g.subjects(RDF.type, KG.OutcomeResult)
           if g.value(g.value(r, KG.endpoint), KG.endpointType) == KG.ProgressionFreeSurvival}
    assert 0 < shown.count() == len(pfs) < total
    assert all(t == "progression-free survival"
               for t in shown.locator("td:nth-child(2)").all_inner_texts())
    p.select_option("#filter-drug", "erlotinib")
    assert 0 < p.locator("#outcomes tbody tr:not(.filtered-out)").count() < len(pfs)
    p.select_option("#filter-endpoint", "")
    p.select_option("#filter-drug", "")
    p.select_option("#filter-indication", "soft tissue sarcoma")
    studies = p.locator("#studies tbody tr:not(.filtered-out)").all_inner_texts()
    assert len(studies) == 1 and "soft tissue sarcoma" in studies[0]
    disease = next(g.subjects(RDFS.label, __import__("rdflib").Literal(
        "non-squamous non-small cell lung cancer")))
    hrs = {c for c in g.subjects(KG.measure, KG.HazardRatio)
           if (next(g.subjects(KG.hasComparison, c)), KG.studiesCondition, disease) in g}
    p.select_option("#filter-indication", str(g.value(disease, RDFS.label)))
    assert 0 < p.locator("svg.forest g.hr-row:not(.filtered-out)").count() == len(hrs)
    with p.expect_download() as dl:
        p.locator("button.csv").nth(0).click()  # the CSV is what the filtered table shows
    assert dl.value.suggested_filename == "treatment-hrs.csv"
    page.close()
