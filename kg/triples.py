"""Plain triples as the RDF libraries' objects: rdflib graphs, pyoxigraph quads, TriG bytes.

The assembled dataset and the writers both need these conversions; they live here, below both,
so the dataset never reaches up into ``kg/export/`` and no writer reaches back into the
assembler. pyoxigraph and rdflib graphs are imported on first use (start-up matters).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib.term import BNode, Literal, Node, URIRef

from kg.vocab import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph

Triple = tuple[Node, Node, Node]
EXPLICIT_STRING = re.compile(rb"\^\^\s*(?:<http://www\.w3\.org/2001/XMLSchema#string>"
                             rb"|[\w.-]*:string\b)")
WRITER_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "kgi"}  # kgi:a/b needs escapes


KEPT = 1 << 16  # converted terms and N-Triples forms remembered at once, at most


class _Terms(dict):
    """Each rdflib term converted once while it repeats (types, predicates, classes, subjects).

    At most ``KEPT`` are remembered, then all are forgotten at once: what repeats comes back
    at once, and a 1,000x graph's ~300,000 distinct terms (most literals, met once) are not all
    held while it is written (~50 MB per writer, and the Turtle and TriG writers run
    together; within this bound, ~10 MB). ``n3`` keeps the objects' N-Triples forms (the sort
    key) the same way. Writers running at the same time share one (``_shared``).
    """

    def __init__(self) -> None:
        super().__init__()
        import pyoxigraph

        self.ox = pyoxigraph
        self.n3: dict[Node, str] = {}

    def __missing__(self, term: Node) -> Any:
        if len(self) >= KEPT:
            self.clear()
        self[term] = value = self._convert(term)
        return value

    def _convert(self, term: Node) -> Any:
        """An rdflib term as a pyoxigraph term (exact lexical form, datatype and language kept)."""
        ox = self.ox
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        lit: Literal = term  # type: ignore[assignment]
        if lit.language:
            return ox.Literal(str(lit), language=lit.language)
        if lit.datatype:
            return ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype)))
        return ox.Literal(str(lit))


_live: weakref.ref[_Terms] | None = None  # the terms of the writers running now, if any


def _shared() -> _Terms:
    """The converted terms of the writers running now, else new ones.

    A build's store thread writes TriG while its main thread writes Turtle from the same
    triples: each term and each sort key is made once for both. Held only by the writers'
    generators, the memo goes when the last of them is done (two writers starting together
    may each make their own: both are right).
    """
    global _live  # one memo per set of writers running together
    terms = _live() if _live is not None else None
    if terms is None:
        terms = _Terms()
        _live = weakref.ref(terms)
    return terms


def by_subject(triples: Iterable[Triple]) -> dict[Node, list[Triple]]:
    """Triples grouped by subject (sorting a subject's few triples is cheap; all at once is not)."""
    groups: dict[Node, list[Triple]] = {}
    for t in triples:
        group = groups.get(t[0])
        if group is None:
            groups[t[0]] = [t]
        else:
            group.append(t)
    return groups


def sorted_triples(triples: Iterable[Triple], n3: dict[Node, str] | None = None
                   ) -> Iterator[Triple]:
    """The files' order: subject, predicate, then the object as written in N-Triples.

    Streamed subject by subject, so no second copy of every triple's sort key is ever held.
    ``n3`` keeps the objects' N-Triples forms (bounded as ``_Terms`` is), shared if given.
    """
    if n3 is None:
        n3 = {}

    def key(t: Triple) -> tuple[str, str]:
        o = n3.get(t[2])
        if o is None:
            if len(n3) >= KEPT:
                n3.clear()
            o = n3[t[2]] = t[2].n3()
        return (str(t[1]), o)

    groups = by_subject(triples)
    for subject in sorted(groups, key=str):
        yield from sorted(groups[subject], key=key)


def ox_triples(triples: Iterable[Triple]) -> Iterator[ox.Triple]:
    """Sorted pyoxigraph triples."""
    t = _shared()
    make = t.ox.Triple
    for s, p, o in sorted_triples(triples, t.n3):
        yield make(t[s], t[p], t[o])


def ox_quads(named: Iterable[tuple[str, Iterable[Triple]]]) -> Iterator[ox.Quad]:
    """Sorted pyoxigraph quads, graph by graph in the order given."""
    t = _shared()
    make = t.ox.Quad
    for iri, triples in named:
        name = t.ox.NamedNode(iri)
        for s, p, o in sorted_triples(triples, t.n3):
            yield make(t[s], t[p], t[o], name)


def trig_bytes(named: Iterable[tuple[str, Iterable[Triple]]]) -> bytes:
    """Named graphs as TriG: one block per graph in the order given, triples sorted."""
    import pyoxigraph as ox

    return ox.serialize(ox_quads(named), format=ox.RdfFormat.TRIG, prefixes=WRITER_PREFIXES)


class RdflibTerms(dict):
    """Each distinct pyoxigraph term as the rdflib term rdflib's own parser makes, converted once.

    A plain literal has no datatype; a typed one is built with rdflib's ``Literal``, so its
    lexical form is normalised the same way.
    """

    STRING = "http://www.w3.org/2001/XMLSchema#string"

    def __missing__(self, t: Any) -> Node:
        import pyoxigraph as ox

        got: Node
        if isinstance(t, ox.NamedNode):
            got = URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            got = BNode(t.value)
        elif t.language:
            got = Literal(t.value, lang=t.language)
        elif t.datatype.value == self.STRING:
            got = Literal(t.value)
        else:
            got = Literal(t.value, datatype=URIRef(t.datatype.value))
        self[t] = got
        return got


def read_turtle(path: Path) -> list[Triple]:
    """A Turtle file's triples as rdflib terms, parsed by pyoxigraph (~20x rdflib's parser).

    The terms are those rdflib's own parser makes (``RdflibTerms``). rdflib tells
    ``"a"^^xsd:string`` from ``"a"`` and pyoxigraph does not: a file with a literal typed
    ``…:string`` (any prefix) is parsed by rdflib.
    """
    import pyoxigraph as ox

    data = path.read_bytes()
    if EXPLICIT_STRING.search(data):
        from rdflib import Graph

        return list(Graph().parse(data=data, format="turtle"))
    term = RdflibTerms()
    return [(term[q.subject], term[q.predicate], term[q.object])
            for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]


def to_graph(triples: Iterable[Triple]) -> Graph:
    """Triples as a new rdflib graph with the project's prefixes bound."""
    from rdflib import Graph

    g = Graph()
    bind_prefixes(g)
    for t in triples:
        g.add(t)
    return g


def bind_prefixes(g: Graph) -> None:
    """Bind the project's prefix table, replacing rdflib's defaults."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
