"""Views that scale: the overview groups studies when there are many; long tables page.

The shipped corpus (26 studies) keeps its overview as it is; a 40x synthetic corpus (120 studies,
above the threshold) gets studies grouped by indication and phase, each group expandable on
click, offline; the report's and the index's long tables and lists show a page at a time while
sorting, filtering and the CSV download still see every row.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.render import projection as proj
from kg.render.browser import Page
from kg.render.groups import AGGREGATE_ABOVE, aggregated_overview

SCALE = 40  # 120 studies: above AGGREGATE_ABOVE, and more than a page of 100


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The HTML site of a 40x synthetic corpus, as kg build draws it, and its projections."""
    from benchmarks.synthetic import generate
    from kg.paths import ONTOLOGY_FILE
    from kg.pipeline import build
    from kg.render.pages import write_site

    root = tmp_path_factory.mktemp("big")
    result = build(generate(SCALE, root / "src"))
    g = result.union()
    g.parse(ONTOLOGY_FILE)
    out = root / "site"
    out.mkdir()
    return out, write_site(g, out)


def studies_of(p: nx.MultiDiGraph) -> set[str]:
    return {n for n, k in p.nodes(data="kind") if k == "study"}


def test_shipped_overview_is_not_aggregated(graph):
    full = proj.overview(graph)
    assert len(studies_of(full)) <= AGGREGATE_ABOVE
    assert aggregated_overview(full) is full


def test_many_studies_are_grouped_by_indication_and_phase(big_site):
    _, drawn = big_site
    p = drawn["overview.html"]
    assert not studies_of(p)
    groups = {n: a for n, a in p.nodes(data=True) if a["kind"] == "group"}
    members = [m[3] for a in groups.values() for m in a["members"]]
    assert len(members) == len(set(members)) == SCALE * 3  # every study in exactly one group
    for gid, a in groups.items():
        assert f": {len(a['members'])} studies" in a["label"]
        diseases = [o for o in p.successors(gid) if p.nodes[o]["kind"] == "disease"]
        assert len(diseases) == 1 and p.nodes[diseases[0]]["label"] in a["label"]
        assert any(p.nodes[o]["kind"] == "drug" for o in p.successors(gid))
        assert all(m[2].startswith("views/study-") for m in a["members"])
    assert p.number_of_nodes() < 60


def test_aggregated_overview_expands_on_click_offline(browser, big_site):
    out, drawn = big_site
    page = Page(browser, out / "overview.html")
    p = page.page
    p.wait_for_function("window.kgStable === true", timeout=30_000)
    drawn_nodes = drawn["overview.html"].number_of_nodes()
    assert p.evaluate("kgNetwork.body.data.nodes.length") == drawn_nodes
    groups = sorted(n for n, k in drawn["overview.html"].nodes(data="kind") if k == "group")
    gid = groups[0]
    n = len(drawn["overview.html"].nodes[gid]["members"])
    p.evaluate("id => kgShow(id)", gid)
    assert p.locator("#info ul.members li").count() == n
    before = p.evaluate("kgNetwork.body.data.nodes.length")
    p.click("#info button.expand")
    assert p.evaluate("kgNetwork.body.data.nodes.length") == before + n
    p.click("#info button.expand")  # and hidden again
    assert p.evaluate("kgNetwork.body.data.nodes.length") == before
    p.click("#info ul.members li a >> nth=0")
    p.wait_for_load_state("load")
    assert "/views/study-" in p.url
    assert page.external == [] and page.errors == []
    page.close()


def test_long_report_tables_page_but_download_every_row(browser, big_site, tmp_path: Path):
    out, _ = big_site
    page = Page(browser, out / "report.html")
    p = page.page
    p.wait_for_load_state("load")
    total = p.locator("#outcomes tbody tr").count()
    assert total > 100
    assert p.locator("#outcomes tbody tr:visible").count() == 100
    bar = p.locator("#outcomes + .pager")
    assert f"1–100 of {total}" in bar.inner_text()
    bar.locator("button:has-text('next')").click()
    assert f"101–200 of {total}" in bar.inner_text()
    csv = p.evaluate("kgTableCsv(document.getElementById('outcomes'))")
    assert csv.count("\r\n") == total + 1  # the header and every row, not the page
    p.select_option("#filter-indication", index=1)
    shown = p.locator("#outcomes tbody tr:not(.filtered-out)").count()
    assert shown < total and f"of {shown}" in bar.inner_text()
    assert page.external == [] and page.errors == []
    page.close()


def test_index_lists_page(browser, big_site):
    out, _ = big_site
    page = Page(browser, out / "index.html")
    p = page.page
    p.wait_for_load_state("load")
    studies = p.locator("ul.paged >> nth=0")
    assert studies.locator("li").count() == SCALE * 3
    assert studies.locator("li:visible").count() == 100
    studies.locator("xpath=following-sibling::div[1]").locator("button:has-text('next')").click()
    assert studies.locator("li:visible").count() == SCALE * 3 - 100
    assert page.external == [] and page.errors == []
    page.close()
