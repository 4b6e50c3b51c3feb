"""Shared fixtures: the real corpus built once per session, and the made-up mini corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kg.assemble import BuildResult, build
from kg.paths import SOURCES_DIR

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(scope="session")
def real() -> BuildResult:
    """The graph of the shipped sources."""
    return build(SOURCES_DIR)


@pytest.fixture(scope="session")
def graph(real: BuildResult) -> Graph:
    """Union graph of the shipped sources."""
    return real.union()


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
