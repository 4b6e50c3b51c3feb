"""Graph pages fit their window, on load and on resize (issue 22), in real headless Chromium.

Every node's box (shape and label) must lie inside the visible graph area, never under the side
panel or past an edge, at 1400x900 and 800x600, after a resize from one to the other, and in a
plain ``chromium --headless --screenshot`` (no test driver), whose picture must show nothing
drawn across the graph area's edges.
"""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.paths import ONTOLOGY_FILE
from kg.render import projection as proj
from kg.render.browser import ARGS, CHROMIUM, Page
from kg.render.forest import hazard_ratios
from kg.render.layout import overview_positions
from kg.render.pages import write_graph_page, write_lib, write_study_page

SIZES = ({"width": 1400, "height": 900}, {"width": 800, "height": 600})
NSCLC = URIRef("https://w3id.org/dti-kg/id/disease/nsclc")
MISSION = URIRef("https://w3id.org/dti-kg/id/study/mission")

BOXES = """() => {
    const net = kgNetwork, c = document.getElementById('network').getBoundingClientRect();
    const side = document.getElementById('side').getBoundingClientRect();
    const boxes = net.body.nodeIndices.map(id => {
        const b = net.getBoundingBox(id);
        const a = net.canvasToDOM({x: b.left, y: b.top});
        const z = net.canvasToDOM({x: b.right, y: b.bottom});
        return {id: id, x0: c.left + a.x, y0: c.top + a.y, x1: c.left + z.x, y1: c.top + z.y};
    });
    return {area: {x0: c.left, y0: c.top, x1: c.right, y1: c.bottom}, side: side.right,
            boxes: boxes, scale: net.getScale()};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, real) -> Path:
    out = tmp_path_factory.mktemp("fit")
    g = real.union()
    g.parse(ONTOLOGY_FILE)
    write_lib(out)
    (out / "views").mkdir()
    overview = proj.overview(g)
    write_graph_page(overview, out / "overview.html", "Overview", "what the sources say",
                     positions=overview_positions(overview))
    write_graph_page(proj.indication_view(g, NSCLC), out / "views/indication-nsclc.html", "NSCLC",
                     "an indication, laid out by physics")
    write_study_page(g, MISSION, proj.study_view(g, MISSION), out / "views/study-mission.html",
                     hazard_ratios(g))
    return out


def outside(measured: dict) -> list[str]:
    """The nodes whose box is not wholly inside the graph area (or reaches under the panel)."""
    area = measured["area"]
    left = max(area["x0"], measured["side"])
    return [b["id"] for b in measured["boxes"]
            if b["x0"] < left - 0.5 or b["y0"] < area["y0"] - 0.5
            or b["x1"] > area["x1"] + 0.5 or b["y1"] > area["y1"] + 0.5]


def settled(page: Page, size: dict) -> dict:
    """The node boxes once the page has fitted the graph to a window of ``size``."""
    p = page.page
    p.wait_for_function("window.kgStable === true", timeout=30_000)
    p.wait_for_function("([w, h]) => { const c = document.getElementById('network');"
                        " return c.dataset.fit === c.clientWidth + 'x' + c.clientHeight; }",
                        arg=[size["width"], size["height"]], timeout=10_000)
    return p.evaluate(BOXES)


@pytest.mark.parametrize("name", ["overview.html", "views/indication-nsclc.html"])
def test_graph_fits_the_window_on_load_and_on_resize(browser, site, name):
    for first, second in (SIZES, SIZES[::-1]):
        page = Page(browser, site / name, viewport=first)
        measured = settled(page, first)
        assert len(measured["boxes"]) > 20
        assert outside(measured) == [], (name, first)
        assert measured["area"]["x1"] <= first["width"] and measured["area"]["y1"] <= \
            first["height"]  # the graph area itself is on screen, no scrolling
        page.page.set_viewport_size(second)
        page.page.wait_for_timeout(100)
        resized = settled(page, second)
        assert outside(resized) == [], (name, first, "resized to", second)
        assert resized["area"]["x1"] <= second["width"]
        assert resized["area"]["y1"] <= second["height"]
        assert page.errors == [] and page.external == [], page.errors
        page.close()


def test_overview_opens_at_full_size_where_it_fits(browser, site):
    page = Page(browser, site / "overview.html", viewport=SIZES[0])
    assert settled(page, SIZES[0])["scale"] == 1  # 14 px labels at 1400x900, not shrunk
    page.close()


def test_plain_chromium_screenshot_shows_the_whole_overview(browser, site, tmp_path):
    """``chromium --headless --screenshot`` as a reader runs it: nothing crosses the frame."""
    size = SIZES[0]
    shot = tmp_path / "overview.png"
    subprocess.run([CHROMIUM, *ARGS, f"--screenshot={shot}",
                    f"--window-size={size['width']},{size['height']}",
                    (site / "overview.html").as_uri()],
                   check=True, capture_output=True, timeout=120)
    page = Page(browser, site / "overview.html", viewport=size)
    area = settled(page, size)["area"]
    page.close()
    viewer = Page(browser, site / "overview.html", viewport=size)  # the browser decodes the PNG
    band = viewer.page.evaluate("""async ([src, a]) => {
        const img = new Image(); img.src = src; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, img.width, img.height).data;
        const ink = [];
        const x0 = Math.ceil(a.x0) + 2, x1 = Math.floor(a.x1) - 3;
        const y0 = Math.ceil(a.y0) + 2, y1 = Math.floor(a.y1) - 3;
        const look = (x, y) => {
            const i = 4 * (y * img.width + x);
            if (px[i] < 235 || px[i + 1] < 235 || px[i + 2] < 235) ink.push([x, y]);
        };
        for (let x = x0; x <= x1; x++) { look(x, y0); look(x, y1); }
        for (let y = y0; y <= y1; y++) { look(x0, y); look(x1, y); }
        return {width: img.width, height: img.height, ink: ink.length, at: ink.slice(0, 5)};
    }""", ["data:image/png;base64," + base64.b64encode(shot.read_bytes()).decode(), area])
    viewer.close()
    assert (band["width"], band["height"]) == (size["width"], size["height"])
    assert band["ink"] == 0, band["at"]  # no node, label or edge cut by the frame


def test_study_page_graph_panel_fits_on_load_and_on_resize(browser, site):
    """A study page's graph is its last panel, below the abstract: it fits its own frame."""
    page = Page(browser, site / "views/study-mission.html", viewport=SIZES[0])
    measured = settled(page, SIZES[0])
    assert len(measured["boxes"]) > 20 and outside(measured) == []
    page.page.set_viewport_size(SIZES[1])
    assert outside(settled(page, SIZES[1])) == []
    assert page.errors == [] and page.external == [], page.errors
    page.close()


def test_a_link_to_one_node_shows_it_in_the_frame(browser, site):
    """``#focus=`` (search hits without a page of their own) selects the node and shows it."""
    hr = "https://w3id.org/dti-kg/id/study/mission/comparison/pfs-hr"
    page = Page(browser, site / "overview.html", viewport=SIZES[0])
    p = page.page
    p.goto((site / "views/study-mission.html").as_uri() + "#focus=" + hr)
    p.wait_for_function("window.kgStable === true", timeout=30_000)
    assert p.evaluate("kgNetwork.getSelectedNodes()") == [hr]
    measured = p.evaluate(BOXES)
    [box] = [b for b in measured["boxes"] if b["id"] == hr]
    assert outside({**measured, "boxes": [box]}) == []
    assert "PFS" in p.inner_text("#info h2") and "0.60" in p.inner_text("#info")
    drug = "https://w3id.org/dti-kg/id/drug/sorafenib"  # a drug has no page: the overview's
    p.goto((site / "overview.html").as_uri() + "#focus=" + drug)
    p.wait_for_function("window.kgStable === true", timeout=30_000)
    assert p.evaluate("kgNetwork.getSelectedNodes()") == [drug]
    assert p.inner_text("#info h2") == "sorafenib"
    assert page.errors == [] and page.external == [], page.errors
    page.close()
