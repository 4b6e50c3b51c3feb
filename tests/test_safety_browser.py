"""The safety table of a study page in real headless Chromium, from file://, network blocked.

The made-up safety fixture's study page has one safety row per adverse-event, dose-change and
death result and one row per harm comparison, and a percentage opens the quote that prints it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.assemble import build
from kg.paths import ONTOLOGY_FILE
from kg.render.browser import Page, chromium
from kg.render.pages import write_site
from kg.vocab import KG
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    out = tmp_path_factory.mktemp("safety-site")
    g = build(FIXTURES / "safety").union()
    g.parse(ONTOLOGY_FILE)
    write_site(g, out)
    return out, g


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


def test_study_page_safety_table_has_a_row_per_safety_statement(browser, site):
    out, g = site
    study = next(g.subjects(KG.hasSafetyResult, None))
    page = Page(browser, out / "views/study-trial-s.html")
    p = page.page
    p.wait_for_load_state("load")
    assert p.locator("#safety tbody tr").count() == len(set(g.objects(study, KG.hasSafetyResult)))
    assert p.locator("#harms tbody tr").count() == len(set(g.objects(study,
                                                                     KG.hasHarmComparison)))
    row = p.locator("#safety tbody tr", has_text="3-4").filter(has_text="15%")
    assert row.count() == 1
    assert "hand-foot skin reaction" in row.inner_text()
    row.locator("a.num", has_text="15%").click()
    target = p.locator("ol.quotes li:target")
    assert "9 (15)" in target.inner_text()
    assert "more events" in p.inner_text("#harms")
    assert page.errors == [] and page.external == [], page.errors
    page.close()
