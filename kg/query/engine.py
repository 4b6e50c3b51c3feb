"""Two SPARQL engines behind one interface, with results normalised so they can be compared.

pyoxigraph (Oxigraph) is the default: measured here it answers joins hundreds of times faster
than rdflib's engine. rdflib stays available (``--engine rdflib``) as the reference
implementation; a test runs every named query on both and asserts identical results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from kg.query import curies, errors
from kg.query.answertables import AnswerTables
from kg.query.errors import QueryError, QueryRefused, QuerySyntaxError
from kg.query.results import NUMERIC, XSD, Result, Row, Rows, Term, companions
from kg.query.text import strip_literals

__all__ = ["NUMERIC", "XSD", "Engine", "OxigraphEngine", "QueryError", "QueryRefused",
           "QuerySyntaxError", "RdflibEngine", "Result", "Row", "Rows", "Term", "companions",
           "open_engine", "strip_literals", "term_of"]

FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "ntriples"}
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                   "WITH")


def check_allowed(query: str) -> None:
    """Refuse updates and federated queries before any engine sees them."""
    bare = strip_literals(query).upper()
    for word in UPDATE_KEYWORDS:
        if re.search(rf"(?<![\w?$:]){word}(?![\w:])", bare) and word != "WITH":
            raise QueryRefused(f"{word} is an update; this endpoint is read-only")
    if re.search(r"(?<![\w?$:])SERVICE(?![\w:])", bare):
        raise QueryRefused("SERVICE (federated query) is refused: queries run on this graph only")


class Engine(Protocol):
    """What both engines offer."""

    name: str

    def query(self, sparql: str, limit: int | None = None, offset: int = 0) -> Result:
        """Run a query (one page of it); raise QueryError on a syntax error."""
        ...

    def stream(self, sparql: str, limit: int | None = None, offset: int = 0) -> Rows | Result:
        """Run a query; a SELECT answer comes as `Rows` read while they are written."""
        ...


class BaseEngine:
    """What every engine does around its own run.

    It refuses updates, declares our prefixes for the query (`kg.query.curies`), explains an
    unknown prefix, warns about unknown terms and cuts the page (`kg.query.paging`).

    An engine implements only `run_rows`; a remote one can subclass this too.
    """

    name = ""

    def query(self, sparql: str, limit: int | None = None, offset: int = 0) -> Result:
        """Run a query as a user wrote it; rows from ``offset``, at most ``limit`` of them."""
        answer = self.stream(sparql, limit, offset)
        return answer.result() if isinstance(answer, Rows) else answer

    def stream(self, sparql: str, limit: int | None = None, offset: int = 0) -> Rows | Result:
        """Like `query`, but SELECT rows are converted only as the caller reads them."""
        from kg.query.paging import check, paged_text

        limit, offset = check(limit, offset)
        check_allowed(sparql)
        missing = curies.undeclared(sparql)
        if missing:
            at = min(missing.values())
            line = sparql.count("\n", 0, at) + 1
            col = at - (sparql.rfind("\n", 0, at) + 1) + 1
            raise errors.explain(sparql, line, col, "Prefix not found")
        prefixes = curies.prefixes_for(sparql)
        paged = paged_text(sparql, limit, offset)
        if paged is None:  # the query slices itself: skip and cut its rows here
            answer = self.run_rows(sparql, prefixes, limit, offset, original=sparql)
        else:
            answer = self.run_rows(paged, prefixes, limit, 0, original=sparql)
        if isinstance(answer, Rows):
            answer.offset = offset
        from kg.query.terms import unknown_terms

        answer.warnings = unknown_terms(self, sparql, prefixes)
        return answer

    def run_raw(self, sparql: str, prefixes: dict[str, str], limit: int | None,
                original: str = "") -> Result:
        """Run on the engine itself with these prefixes declared; QueryError if it fails."""
        answer = self.run_rows(sparql, prefixes, limit, 0, original)
        return answer.result() if isinstance(answer, Rows) else answer

    def run_rows(self, sparql: str, prefixes: dict[str, str], limit: int | None, skip: int,
                 original: str = "") -> Rows | Result:
        """The engine's own run: SELECT rows lazily (``skip`` first, cut at ``limit``)."""
        raise NotImplementedError


ONTOLOGY_GRAPH = "https://w3id.org/dti-kg/id/graph/ontology"


def _format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF format (use .trig, .ttl, .nq or .nt)")
    return fmt


class OxigraphEngine(BaseEngine):
    """pyoxigraph in-memory store; the default graph is the union of all named graphs."""

    name = "oxigraph"

    def __init__(self, path: Path) -> None:
        """Load an RDF file into a fresh in-memory store."""
        import pyoxigraph as ox

        self._ox = ox
        fmt = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
               "nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES}[_format_of(path)]
        self.store = ox.Store()
        self.store.bulk_load(path=str(path), format=fmt)
        self.answers: AnswerTables | None = AnswerTables(path)  # kg build's, if it matches
        for extra in companions(path):
            self.store.bulk_load(path=str(extra), format=ox.RdfFormat.TURTLE,
                                 to_graph=ox.NamedNode(ONTOLOGY_GRAPH))

    @classmethod
    def over(cls, store: object) -> OxigraphEngine:
        """An engine over a store already loaded (the build's own, with the ontology graph)."""
        import pyoxigraph as ox

        engine = cls.__new__(cls)
        engine._ox = ox
        engine.store = store  # type: ignore[assignment]
        engine.answers = None
        return engine

    def stream(self, sparql: str, limit: int | None = None, offset: int = 0) -> Rows | Result:
        """Like `BaseEngine.stream`; a named query's default answer comes from its table.

        The answer tables (`kg.query.answertables`) hold, per built graph, the whole answer of
        every named query with its defaults bound: such a query is read back, not re-run.
        """
        table = self.answers.get(sparql, self) if self.answers is not None else None
        if table is None:
            return super().stream(sparql, limit, offset)
        from kg.query.paging import check

        limit, offset = check(limit, offset)
        return table.rows(self._term, limit, offset)

    def run_rows(self, sparql: str, prefixes: dict[str, str], limit: int | None, skip: int,
                 original: str = "") -> Rows | Result:
        """Run a query on the store; SELECT solutions are read as the caller iterates."""
        ox = self._ox
        try:
            res = self.store.query(sparql, prefixes=prefixes, use_default_graph_as_union=True)
            if isinstance(res, ox.QueryBoolean):
                return Result("ask", boolean=bool(res))
            if isinstance(res, ox.QueryTriples):
                data = res.serialize(format=ox.RdfFormat.N_TRIPLES)
                return Result("graph", ntriples=data.decode() if data else "")
            variables = [v.value for v in res.variables]
            return Rows(variables, _guarded(res, original or sparql), self._term, limit, skip)
        except SyntaxError as exc:
            raise errors.from_oxigraph(original or sparql, exc) from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None

    def _term(self, t: object) -> Term:
        return term_of(t)


def term_of(t: object) -> Term:
    """An Oxigraph term as a `Term`."""
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    lang = t.language  # type: ignore[attr-defined]
    datatype = None if lang else t.datatype.value  # type: ignore[attr-defined]
    if datatype == XSD + "string":
        datatype = None
    return Term("literal", t.value, datatype, lang)  # type: ignore[attr-defined]


class RdflibEngine(BaseEngine):
    """rdflib's SPARQL engine over a Dataset whose default graph is the union."""

    name = "rdflib"

    def __init__(self, path: Path) -> None:
        """Parse an RDF file into a Dataset."""
        from rdflib import Dataset, URIRef

        self.dataset = Dataset(default_union=True)
        self.dataset.parse(path, format=_format_of(path))
        for extra in companions(path):
            self.dataset.graph(URIRef(ONTOLOGY_GRAPH)).parse(extra, format="turtle")

    def run_rows(self, sparql: str, prefixes: dict[str, str], limit: int | None, skip: int,
                 original: str = "") -> Rows | Result:
        """Run a query with rdflib (which answers all at once)."""
        from pyparsing import ParseException

        try:
            res = self.dataset.query(sparql, initNs=prefixes)
        except ParseException as exc:
            raise errors.from_rdflib(original or sparql, exc, prefixes) from None
        except Exception as exc:
            raise QueryError(f"query failed: {exc}") from None
        if res.type == "ASK":
            return Result("ask", boolean=bool(res.askAnswer))
        if res.type in {"CONSTRUCT", "DESCRIBE"}:
            data = res.graph.serialize(format="nt")
            return Result("graph", ntriples=data)
        return Rows([str(v) for v in res.vars], iter(list(b) for b in res), _rdflib_term, limit,
                    skip)


def _rdflib_term(t: object) -> Term:
    from rdflib import BNode, URIRef

    if isinstance(t, URIRef):
        return Term("uri", str(t))
    if isinstance(t, BNode):
        return Term("bnode", str(t))
    dt = str(t.datatype) if t.datatype and not t.language else None  # type: ignore[attr-defined]
    return Term("literal", str(t), None if dt == XSD + "string" else dt,
                t.language)  # type: ignore[attr-defined]


def _guarded(solutions: Iterable[Iterable[object]], query: str) -> Iterator[Iterable[object]]:
    """Oxigraph solutions; an error raised while reading them becomes a QueryError."""
    try:
        yield from solutions
    except SyntaxError as exc:
        raise errors.from_oxigraph(query, exc) from None
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from None


def open_engine(name: str, path: Path) -> Engine:
    """Load the graph file into the named engine."""
    if not path.exists():
        raise QueryError(f"{path} not found: build the graph first (make graph, or kg build)")
    if name == "oxigraph":
        return OxigraphEngine(path)
    if name == "rdflib":
        return RdflibEngine(path)
    raise QueryError(f"unknown engine {name!r} (oxigraph or rdflib)")
