"""Shared fixtures: the real corpus built once per session, and the made-up mini corpus."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.assemble import BuildResult, build
from kg.paths import SOURCES_DIR

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
SECOND_REPORT = FIXTURES / "second-report"
SAFETY = FIXTURES / "safety"


def with_second_report(root: Path) -> Path:
    """A copy of the shipped sources plus the made-up second report of MISSION."""
    sources = root / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    for sub in ("evidence", "texts"):
        for f in (SECOND_REPORT / sub).iterdir():
            shutil.copy(f, sources / sub / f.name)
    return sources


@pytest.fixture(scope="session")
def real() -> BuildResult:
    """The graph of the shipped sources."""
    return build(SOURCES_DIR)


@pytest.fixture(scope="session")
def graph(real: BuildResult) -> Graph:
    """Union graph of the shipped sources."""
    return real.union()


@pytest.fixture(scope="session")
def two(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The shipped sources plus a second report of one of their studies."""
    return build(with_second_report(tmp_path_factory.mktemp("two")))


@pytest.fixture(scope="session")
def two_output(tmp_path_factory: pytest.TempPathFactory, two: BuildResult) -> Path:
    """The output folder of ``two`` (no pages): every named query has an answer there."""
    from kg.cli import write_outputs

    out = tmp_path_factory.mktemp("two-output")
    write_outputs(two, out, html=False)
    return out


@pytest.fixture(scope="session")
def mini() -> BuildResult:
    """The graph of the made-up examplinib corpus."""
    return build(MINI)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini corpus, for tests that break it."""
    dst = tmp_path / "mini"
    shutil.copytree(MINI, dst)
    return dst


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory, real: BuildResult) -> Path:
    """The RDF files and evidence tables of the shipped sources, as ``kg build`` writes them."""
    from kg.cli import write_outputs

    out = tmp_path_factory.mktemp("written")
    write_outputs(real, out, html=False)
    return out


@pytest.fixture(scope="session")
def built_output(written: Path) -> Path:
    """An output folder of the shipped sources (RDF files and tables, no HTML)."""
    return written


@pytest.fixture(scope="session")
def safety() -> BuildResult:
    """The graph of the made-up safety fixture (Trial S)."""
    return build(SAFETY)


@pytest.fixture(scope="session")
def safety_graph(safety: BuildResult) -> Graph:
    """Its union graph with the ontology, as an external tool would read output/."""
    from kg.paths import ONTOLOGY_FILE

    g = safety.union()
    g.parse(ONTOLOGY_FILE)
    return g


@pytest.fixture(scope="session")
def safety_site(tmp_path_factory: pytest.TempPathFactory, safety_graph: Graph
                ) -> tuple[Path, Graph]:
    """The HTML site of the safety fixture, with the graph it was drawn from."""
    from kg.render.pages import write_site

    out = tmp_path_factory.mktemp("safety-site")
    write_site(safety_graph, out)
    return out, safety_graph


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's headless Chromium, one per test module."""
    from kg.render.browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10x synthetic corpus (benchmarks/synthetic.py: made-up studies, real entities)."""
    from benchmarks.synthetic import generate

    return generate(10, tmp_path_factory.mktemp("synthetic") / "sources")
