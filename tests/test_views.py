"""The views' data: counts that agree everywhere, and the README's figures are current."""

from __future__ import annotations

import html
from pathlib import Path

from rdflib import Graph

from kg.counts import count, summary
from kg.paths import ONTOLOGY_FILE
from kg.render.readme import README, counts_block, readme_block


def with_ontology(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    out.parse(ONTOLOGY_FILE)
    return out


def test_counts_do_not_depend_on_the_ontology_being_parsed_in(graph, real):
    plain, both = count(graph), count(with_ontology(graph))
    assert plain == both
    assert plain.triples == real.report.triples == len(graph)
    assert plain.nodes == real.report.counts
    assert len(with_ontology(graph)) > plain.triples + 1000  # the ontology really is in there


def test_readme_counts_are_current(graph):
    assert readme_block(README.read_text(encoding="utf-8")) == counts_block(graph), \
        "README counts are stale: run `make readme`"


def test_index_page_states_the_same_counts(graph, tmp_path: Path):
    from kg.render.pages import write_site

    write_site(with_ontology(graph), tmp_path)
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert html.escape(summary(count(graph))) in text


def test_screenshots_are_current(graph, tmp_path: Path):
    """The README's pictures were taken from pages identical to what the build writes now."""
    import json

    from kg.render.pages import write_site
    from kg.render.screenshots import MANIFEST, SHOT_DIR, SHOTS, manifest

    write_site(with_ontology(graph), tmp_path)
    recorded = json.loads(MANIFEST.read_text(encoding="utf-8"))
    stale = [png for png, entry in manifest(tmp_path).items() if recorded.get(png) != entry]
    assert stale == [], f"stale screenshots {stale}: run `make screenshots`"
    for shot in SHOTS:
        assert (SHOT_DIR / shot.png).stat().st_size > 10_000, shot.png
    readme = README.read_text(encoding="utf-8")
    assert "docs/screenshots/study.png" in readme and "docs/screenshots/overview.png" in readme


def test_screenshot_fingerprint_follows_what_the_page_shows(graph, tmp_path: Path):
    from kg.render.pages import write_site
    from kg.render.screenshots import SHOTS, fingerprint

    write_site(with_ontology(graph), tmp_path)
    study = next(s for s in SHOTS if s.page.startswith("views/study-"))
    before = fingerprint(tmp_path, study)
    page = tmp_path / study.page
    page.write_text(page.read_text(encoding="utf-8").replace("0.60", "0.6"), encoding="utf-8")
    assert fingerprint(tmp_path, study) != before
