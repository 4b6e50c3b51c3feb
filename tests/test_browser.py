"""Every generated page in real headless Chromium, from file://, with the network blocked.

Asserts: no console errors, zero external requests, as many nodes drawn as the projection has,
clicking a study node shows its evidence quote, the search box finds VEGFR2, the forest plots have
one row per hazard ratio, labels are shown as text (never run as HTML), and a 2,000-node graph
settles quickly. Screenshots go to output/screenshots/ (not committed).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS

from kg.paths import OUTPUT_DIR
from kg.render.pages import synthetic_projection, write_graph_page, write_lib, write_site
from kg.vocab import KG

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
SHOTS = OUTPUT_DIR / "screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, real) -> tuple[Path, dict, Graph]:
    from kg.paths import ONTOLOGY_FILE

    out = tmp_path_factory.mktemp("site")
    g = real.union()
    g.parse(ONTOLOGY_FILE)
    drawn = write_site(g, out)
    return out, drawn, g


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make test installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page opened from disk with every non-file request blocked and recorded."""

    def __init__(self, browser: object, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        self.external: list[str] = []
        self.errors: list[str] = []

        def route(r: object) -> None:
            url = r.request.url  # type: ignore[attr-defined]
            if url.startswith("file://"):
                r.continue_()  # type: ignore[attr-defined]
            else:
                self.external.append(url)
                r.abort()  # type: ignore[attr-defined]

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())

    def close(self, shot: str | None = None) -> None:
        """Close the page, saving a screenshot first if asked."""
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / shot))
        self.context.close()


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
        page.fill("#query", "SELECT ?x WHERE {")
        page.click("#run")
        page.wait_for_selector("#out .error")
        assert "syntax error at line 1, column" in page.inner_text("#out .error")
        assert errors == [] and external == []
        context.close()
    finally:
        proc.terminate()
        proc.wait(10)
