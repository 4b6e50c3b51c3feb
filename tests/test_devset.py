"""The drafting development set (benchmarks/draft/) stays valid gold as the format evolves.

26 made-up abstracts with hand-curated evidence files; they must load, build, validate and obey
the evidence rules like the shipped corpus.
"""

from __future__ import annotations

from pathlib import Path

from rdflib.namespace import RDF

from kg.assemble import build
from kg.validate import validate_graph
from kg.vocab import KG
from tests.test_semantics import backbone_violations

DEVSET = Path(__file__).resolve().parents[1] / "benchmarks" / "draft" / "sources"


def test_devset_builds_validates_and_credits_only_what_was_tested():
    result = build(DEVSET)
    g = result.union()
    assert len(list((DEVSET / "texts").glob("*.txt"))) >= 25
    assert validate_graph(g) == []
    assert backbone_violations(g) == []
    kinds = {g.value(c, KG.comparisonKind) for c in g.subjects(RDF.type, KG.EffectEstimate)}
    assert {KG.TreatmentEffect, KG.PrognosticComparison} <= kinds
