"""The builder contract: a pure function from typed records to quads, and the registry.

A builder never reads files, never touches a global graph and never mints random identifiers:
given the same ``BuildInput`` it yields the same quads. Each quad names the graph it belongs to:
a document id (what that document states), ``entities`` (curated entities and identifier
mappings) or ``provenance`` (documents, sentences, evidence spans and the links to them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg import model as m
from kg.ids import mint
from kg.provenance import SourceText, Span
from kg.vocab import KG

ENTITIES = "entities"
PROVENANCE = "provenance"
CACHED = 1 << 12  # literals remembered at most (then forgotten at once: memory stays bounded)
_LITERALS: dict[tuple[type, object, URIRef | None], Literal] = {}


def lit(value: str | int | bool | Decimal, datatype: URIRef | None = None) -> Literal:
    """``Literal(value, datatype=datatype)``, made once per value where the builders repeat it.

    rdflib takes 4-8 µs to make a literal (it parses and normalises the lexical form), and the
    builders ask for the same one again and again (a label that is also a quote, an index, a
    flag): at 100x, 42,000 literals of 16,000 distinct values. A literal is immutable, so the
    same object serves every asker. Keyed by type too: ``1``, ``True`` and ``1.0`` are equal in
    Python but not as literals; values of other types are made afresh.
    """
    kind = type(value)
    if kind is not str and kind is not int and kind is not bool:
        return Literal(value, datatype=datatype)
    key = (kind, value, datatype)
    found = _LITERALS.get(key)
    if found is None:
        if len(_LITERALS) >= CACHED:
            _LITERALS.clear()
        found = _LITERALS[key] = Literal(value, datatype=datatype)
    return found


class Quad(NamedTuple):
    """One triple and the name of the graph it goes into."""

    s: Node
    p: Node
    o: Node
    graph: str


@dataclass(frozen=True)
class BuildInput:
    """What builders read: the validated corpus and its indexed source texts."""

    corpus: m.Corpus
    texts: dict[str, SourceText]

    def span(self, doc_id: str, quote: str) -> Span:
        """The located span of a quote (validated at load time, so it exists)."""
        return self.texts[doc_id].locate(quote)

    def evidence(self, doc_id: str, record: m.Record, node: URIRef) -> Iterator[Quad]:
        """Link a statement node to its quotes' evidence spans, and say who made the statement.

        A record ``kg draft`` proposed and no curator has reviewed yet is a text-mining agent's
        (Biolink ``agent_type``), with the rule that proposed it, so queries can keep to reviewed
        evidence.
        """
        if record.drafted:
            yield Quad(node, KG.agentType, KG.TextMiningAgent, PROVENANCE)
            yield Quad(node, KG.draftRule, lit(record.drafted), PROVENANCE)
        else:
            yield Quad(node, KG.agentType, KG.ManualAgent, PROVENANCE)
        for quote in record.quotes:
            span = self.span(doc_id, quote)
            iri = span_iri(doc_id, span)
            yield Quad(node, KG.hasEvidence, iri, PROVENANCE)
            yield Quad(iri, KG.supports, node, PROVENANCE)


class Builder(Protocol):
    """A registered builder: a name, a one-line description and a generator of quads."""

    name: str
    description: str

    def __call__(self, inp: BuildInput) -> Iterator[Quad]:
        """Yield the quads for one aspect of the corpus."""
        ...


@dataclass(frozen=True)
class FunctionBuilder:
    """A builder backed by a generator function."""

    name: str
    description: str
    func: Callable[[BuildInput], Iterator[Quad]]

    def __call__(self, inp: BuildInput) -> Iterator[Quad]:
        """Run the generator."""
        return self.func(inp)


REGISTRY: dict[str, Builder] = {}


def builder(name: str, description: str) -> Callable[[Callable[[BuildInput], Iterator[Quad]]],
                                                      Callable[[BuildInput], Iterator[Quad]]]:
    """Register a generator function as a builder under a unique name."""
    def wrap(func: Callable[[BuildInput], Iterator[Quad]]
             ) -> Callable[[BuildInput], Iterator[Quad]]:
        if name in REGISTRY:
            raise ValueError(f"builder {name!r} registered twice")
        REGISTRY[name] = FunctionBuilder(name, description, func)
        return func
    return wrap


def span_iri(doc_id: str, span: Span) -> URIRef:
    """IRI of an evidence span: document and offsets, so equal quotes share one node."""
    return mint("evidence", doc_id, f"{span.start}-{span.end}")


def sentence_iri(doc_id: str, index: int) -> URIRef:
    """IRI of a sentence of a document."""
    return mint("document", doc_id, "sentence", str(index))


def dec(value: Decimal) -> Literal:
    """An xsd:decimal literal in canonical form ("35" becomes "35.0").

    Canonical form survives a round trip through Turtle unchanged and makes equal values equal
    terms, so ``(s, p, dec(x)) in graph`` works.
    """
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return lit(text, datatype=XSD.decimal)
