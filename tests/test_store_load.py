"""The build's store, parsed leniently from its own TriG, holds what a strict parse gives."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.assemble import build
from kg.ids import graph_iri


def test_the_lenient_load_equals_a_strict_one():
    result = build()
    strict = ox.Store()
    strict.load(result.trig, format=ox.RdfFormat.TRIG)
    lenient = set(result.store)
    assert len(lenient) > 1000
    ontology = ox.NamedNode(str(graph_iri("ontology")))
    assert {q for q in lenient if q.graph_name != ontology} == set(strict)


def test_a_strict_parse_would_refuse_what_the_lenient_one_takes():
    """Why the comparison can fail: lenient parsing skips checks a bad text would fail."""
    bad = b'<http://example.org/a b> <http://example.org/p> "x"@not-a-valid-tag-at-all .\n'
    with pytest.raises(SyntaxError):
        ox.Store().load(bad, format=ox.RdfFormat.N_TRIPLES)
    st = ox.Store()
    st.load(bad, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    assert len(st) == 1
