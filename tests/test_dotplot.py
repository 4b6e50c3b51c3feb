"""The report's dot plots of adverse-event rates per arm, read from the made-up safety fixture.

In real headless Chromium (file://, network blocked): every safety record with a rate is one dot
of its study's plot, the reference arm's dots are marked, the report's filters hide rows, and a
dot opens the study page at the quote that prints its number.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.render.browser import Page
from kg.render.dotplot import all_study_rates, reference_arm
from kg.vocab import KG

STUDY = URIRef("https://w3id.org/dti-kg/id/study/trial-s")


def with_rate(g: Graph) -> set:
    """Safety records that print a percentage, or a count with its denominator."""
    return {r for r in g.objects(STUDY, KG.hasSafetyResult)
            if g.value(r, KG.value) is not None
            or (g.value(r, KG.count) is not None and g.value(r, KG.denominator) is not None)}


def test_every_record_with_a_rate_is_one_dot_and_the_rest_are_counted(safety_site):
    _, g = safety_site
    [rates] = all_study_rates(g)
    drawn = [d.result for row in rates.rows for d in row.dots]
    assert sorted(drawn) == sorted(str(r) for r in with_rate(g))
    assert rates.without_rate == len(set(g.objects(STUDY, KG.hasSafetyResult))) - len(drawn) == 1
    assert rates.reference == "placebo" and reference_arm(g, STUDY) is not None
    row = next(r for r in rates.rows if r.caption == "hand-foot skin reaction, grade 3-4")
    assert {(d.arm, d.text) for d in row.dots} == {("examplinib", "15% (9/60)"),
                                                   ("placebo", "0% (0/60)")}
    computed = next(r for r in rates.rows if "treatment-related" in r.caption)
    assert [d.text for d in computed.dots] == ["9/60 = 15%"]  # no percent printed: said so


def test_report_draws_the_fixture_trials_dots_and_marks_the_reference_arm(browser, safety_site):
    out, g = safety_site
    page = Page(browser, out / "report.html")
    p = page.page
    p.wait_for_load_state("load")
    plot = p.locator(f'svg.dotplot[data-study="{STUDY}"]')
    dots = plot.locator("a.ae-dot")
    assert dots.count() == len(with_rate(g))
    assert all(dots.nth(i).is_visible() for i in range(dots.count()))
    reference = plot.locator('a.ae-dot[data-reference="true"]')
    placebo = {r for r in with_rate(g) if str(g.value(r, KG.arm)).endswith("/arm/placebo")}
    assert reference.count() == len(placebo) > 0
    assert {reference.nth(i).get_attribute("data-arm") for i in range(reference.count())} == \
        {"placebo"}
    fills = {reference.nth(i).locator("circle").get_attribute("fill")
             for i in range(reference.count())}
    others = {dots.nth(i).locator("circle").get_attribute("fill") for i in range(dots.count())
              if dots.nth(i).get_attribute("data-reference") == "false"}
    assert len(fills) == 1 and not fills & others  # the reference arm drawn apart
    assert "placebo (reference arm)" in plot.text_content()
    assert page.errors == [] and page.external == [], (page.errors, page.external)
    page.close()


def test_report_filters_hide_dot_plot_rows(browser, safety_site):
    out, g = safety_site
    page = Page(browser, out / "report.html")
    p = page.page
    rows = p.locator("svg.dotplot g.ae-row")
    total = rows.count()
    toxicity = {r for r in with_rate(g)
                if g.value(g.value(r, KG.endpoint), KG.endpointType) == KG.Toxicity}
    p.select_option("#filter-endpoint", "toxicity")
    shown = p.locator("svg.dotplot g.ae-row:not(.filtered-out) a.ae-dot")
    assert 0 < shown.count() == len(toxicity) < len(with_rate(g))
    hidden = p.locator("svg.dotplot g.ae-row.filtered-out")
    assert hidden.count() > 0 and not hidden.first.is_visible()
    assert not hidden.first.locator("a.ae-dot").first.is_visible()
    p.select_option("#filter-endpoint", "")
    assert p.locator("svg.dotplot g.ae-row:not(.filtered-out)").count() == total
    page.close()


def test_a_dot_opens_the_quote_that_prints_its_number(browser, safety_site):
    out, _ = safety_site
    page = Page(browser, out / "report.html")
    p = page.page
    dot = p.locator('svg.dotplot g.ae-row', has_text="grade 3-4").locator(
        'a.ae-dot[data-arm="examplinib"]')
    assert dot.count() == 1 and dot.get_attribute("data-rate") == "15"
    dot.locator("circle").click()
    p.wait_for_url("**/views/study-trial-s.html#q-*")
    target = p.locator("ol.quotes li:target")
    assert "9 (15)" in target.inner_text()
    assert page.errors == [] and page.external == [], (page.errors, page.external)
    page.close()
