"""The mini corpus builds to a known graph; a difference is printed triple by triple."""

from __future__ import annotations

import os

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "mini.golden.ttl"


def test_mini_graph_matches_golden(mini):
    built = mini.union()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(built.serialize(format="turtle"), encoding="utf-8")
    expected = Graph().parse(GOLDEN)
    iso_built, iso_expected = to_isomorphic(built), to_isomorphic(expected)
    if iso_built != iso_expected:
        _, only_built, only_expected = graph_diff(iso_built, iso_expected)
        lines = [f"+ {t}" for t in sorted(only_built)][:20]
        lines += [f"- {t}" for t in sorted(only_expected)][:20]
        raise AssertionError("graph differs from golden:\n" + "\n".join(lines))
