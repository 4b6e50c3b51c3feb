"""The safety table of a study page in real headless Chromium, from file://, network blocked.

The made-up safety fixture's study page has one safety row per adverse-event, dose-change and
death result and one row per harm comparison, and a percentage opens the quote that prints it.
"""

from __future__ import annotations

from kg.render.browser import Page
from kg.vocab import KG


def test_study_page_safety_table_has_a_row_per_safety_statement(browser, safety_site):
    out, g = safety_site
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
