"""Turtle and TriG written together share their converted terms and stay the bytes written apart."""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg import triples as T

A, B, C = (URIRef(f"https://w3id.org/dti-kg/id/study/{x}") for x in "abc")
TRIPLES = {(A, RDF.type, URIRef("https://w3id.org/dti-kg/ontology#ClinicalTrial")),
           (A, RDFS.label, Literal("A \"quoted\"\nlabel", lang="en")),
           (A, RDFS.seeAlso, B), (B, RDFS.label, Literal("0.30", datatype=XSD.decimal)),
           (B, RDFS.comment, Literal("plain")), (C, RDFS.seeAlso, BNode("x1")),
           (BNode("x1"), RDFS.label, Literal("1", datatype=XSD.integer))}
NAMED = [("https://w3id.org/dti-kg/id/graph/one", {t for t in TRIPLES if t[0] != C}),
         ("https://w3id.org/dti-kg/id/graph/two", {t for t in TRIPLES if t[0] in (C, B)})]


def _turtle() -> bytes:
    return ox.serialize(T.ox_triples(TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes=T.WRITER_PREFIXES)


def test_writers_running_together_share_one_memo(monkeypatch: pytest.MonkeyPatch):
    made: list[object] = []
    convert = T._Terms._convert
    monkeypatch.setattr(T._Terms, "_convert", lambda self, t: made.append(t) or convert(self, t))
    quads, trips = T.ox_quads(NAMED), T.ox_triples(TRIPLES)
    next(quads), next(trips)  # both started: each holds the memo
    memo = T._live() if T._live is not None else None
    assert memo is not None and memo is T._shared()
    list(quads), list(trips)
    distinct = {x for t in TRIPLES for x in t}
    assert sorted(map(str, made)) == sorted(map(str, distinct))  # each converted once, for both
    assert len(memo.n3) == len({t[2] for t in TRIPLES})
    del quads, trips, memo
    assert T._live() is None  # gone with the last writer
    list(T.ox_triples(TRIPLES))  # a writer alone later converts afresh
    assert len(made) == 2 * len(distinct)


@pytest.mark.parametrize("rounds", [3])
def test_turtle_and_trig_written_together_are_the_bytes_written_apart(rounds: int):
    alone_ttl, alone_trig = _turtle(), T.trig_bytes(NAMED)
    assert b"0.30" in alone_ttl and b"graph/two" in alone_trig
    for _ in range(rounds):
        got: dict[str, bytes] = {}

        def trig(into: dict[str, bytes] = got) -> None:
            into["trig"] = T.trig_bytes(NAMED)

        store = threading.Thread(target=trig)
        store.start()
        got["ttl"] = _turtle()
        store.join()
        assert got == {"ttl": alone_ttl, "trig": alone_trig}


def test_a_full_memo_is_emptied_and_answers_the_same(monkeypatch: pytest.MonkeyPatch):
    want = _turtle()
    monkeypatch.setattr(T, "KEPT", 2)
    assert _turtle() == want
