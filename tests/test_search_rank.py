"""The index search ranks what is asked (issue 22), in real headless Chromium.

With several words, a comparison or result whose study, drug and endpoint the words name comes
before statements that merely mention one of them.
The shipped graph is searched; the expected hits are read from the graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.paths import ONTOLOGY_FILE
from kg.render import projection as proj
from kg.render.browser import Page
from kg.render.pages import write_index, write_lib
from kg.render.projection import label_of
from kg.vocab import KG

MISSION = URIRef("https://w3id.org/dti-kg/id/study/mission")
SORAFENIB = URIRef("https://w3id.org/dti-kg/id/drug/sorafenib")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, real) -> tuple[Path, Graph]:
    out = tmp_path_factory.mktemp("search")
    g = real.union()
    g.parse(ONTOLOGY_FILE)
    write_lib(out)
    write_index(g, proj.full(g), [], out / "index.html")
    return out / "index.html", g


@pytest.fixture(scope="module")
def search(browser, index) -> Iterator[object]:
    page = Page(browser, index[0])
    yield lambda q: page.page.evaluate("q => kgSearch(q)", q)
    assert page.errors == [] and page.external == [], page.errors
    page.close()


def arm_drugs(g: Graph, arm: object) -> set:
    return set(g.objects(g.value(arm, KG.usesRegimen), KG.hasComponent))


def mission_pfs(g: Graph, pred: URIRef, arm: URIRef) -> list[str]:
    """Labels of MISSION's PFS statements of one kind whose (experimental) arm gives sorafenib."""
    return [label_of(g, s) for s in g.objects(MISSION, pred)
            if g.value(g.value(s, KG.endpoint), KG.endpointType) == KG.ProgressionFreeSurvival
            and SORAFENIB in arm_drugs(g, g.value(s, arm))]


def test_sorafenib_pfs_puts_missions_hazard_ratio_first(index, search):
    _, g = index
    [hr] = [c for c in mission_pfs(g, KG.hasComparison, KG.experimentalGroup) if "HR" in c]
    hits = search("sorafenib PFS")
    assert hits.index(hr) < 3, hits[:5]
    assert hits[0] == hr


def test_mission_pfs_puts_the_comparison_first(index, search):
    _, g = index
    [hr] = [c for c in mission_pfs(g, KG.hasComparison, KG.experimentalGroup) if "HR" in c]
    hits = search("MISSION PFS")
    assert hits[0] == hr, hits[:5]


def test_statements_named_by_every_word_rank_above_those_matching_one(index, search):
    _, g = index
    hits = search("sorafenib PFS")
    named = mission_pfs(g, KG.hasResult, KG.arm)  # the sorafenib arm's median PFS
    placebo = [label_of(g, r) for r in g.objects(MISSION, KG.hasResult)
               if g.value(g.value(r, KG.endpoint), KG.endpointType) == KG.ProgressionFreeSurvival
               and SORAFENIB not in arm_drugs(g, g.value(r, KG.arm))]
    assert named and placebo  # found only through the study's title, which names sorafenib
    assert max(hits.index(x) for x in named) < min(hits.index(x) for x in placebo)


def test_single_words_and_exact_names_rank_as_before(search):
    assert search("mission")[0].startswith("MISSION phase III trial")
    assert search("MISSION sorafenib")[0].startswith("MISSION phase III trial")
    assert search("erlotinib")[0] == "erlotinib"
