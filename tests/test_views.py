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
