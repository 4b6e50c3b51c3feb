"""The Python API for notebooks and scripts: ``kg.open()``, named queries, tables, networkx.

    >>> import kg
    >>> g = kg.open()                                  # output/ of the last build
    >>> for row in g.query("drug-targets", drug="sorafenib"):
    ...     print(row["target"], row["hgnc"])

``kg.open(source)`` takes an output folder, a graph file (``.trig``, ``.ttl``, ``.nq``, ``.nt``)
or the URL of a SPARQL endpoint that holds a pushed graph (``kg push``); the same named queries
give the same answers from each. It runs the same code the CLI runs (named query library,
engines, CURIE rule), so nothing exists only in one of them.

Python values: IRIs become CURIEs (the rule every output of the tool follows), ``xsd:integer``
and its subtypes ``int``, ``xsd:decimal``/``double``/``float`` ``float`` (the graph's numbers have
a few significant digits, far within a float's precision; ``QueryResult.terms`` keeps each
exact lexical form), ``xsd:boolean`` ``bool``, every other literal ``str``, unbound ``None``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import paths
from kg.query.engine import XSD, Engine, QueryError, Result, Term

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from kg.query.library import NamedQuery
    from kg.query.names import Names

INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                              "positiveInteger", "negativeInteger", "nonPositiveInteger",
                              "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
REALS = {XSD + t for t in ("decimal", "double", "float")}


def python_value(term: Term | None) -> object:
    """One result term as a Python value (see the module docstring for the rules)."""
    from kg.query.names import curie

    if term is None:
        return None
    if term.kind == "uri":
        return curie(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    try:
        if term.datatype in INTEGERS:
            return int(term.value)
        if term.datatype in REALS:
            return float(term.value)
    except ValueError:  # an ill-typed literal stays as written
        return term.value
    if term.datatype == XSD + "boolean":
        return term.value in {"true", "1"}
    return term.value


def _optional(module: str, method: str) -> Any:
    """Import an optional dependency, or say how to get it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{method}() needs {module}, which is not installed: "
                          f"pip install {module}") from None


class QueryResult:
    """The answer of a query: iterate for dicts, or convert to a data frame.

    ``variables`` are the SELECT variables in order; ``len()`` counts rows; ``terms`` are the
    rows as engine terms with the exact lexical form, datatype and language of every value.
    An ASK answer is in ``boolean``; a CONSTRUCT or DESCRIBE answer in ``ntriples``.
    """

    def __init__(self, result: Result) -> None:
        """Wrap an engine result."""
        self.result = result
        self.variables: list[str] = list(result.variables)
        self.terms: list[dict[str, Term]] = result.rows
        self.boolean = result.boolean
        self.ntriples = result.ntriples

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.result.rows)

    def __iter__(self) -> Iterator[dict[str, object]]:
        """Rows as dicts of Python values, every variable present (None when unbound)."""
        for row in self.result.rows:
            yield {v: python_value(row.get(v)) for v in self.variables}

    def __getitem__(self, index: int) -> dict[str, object]:
        """One row as a dict."""
        row = self.result.rows[index]
        return {v: python_value(row.get(v)) for v in self.variables}

    def __repr__(self) -> str:
        """The same aligned table ``kg query`` prints."""
        from kg.query.formats import table

        return table(self.result)

    def column_types(self) -> dict[str, type]:
        """The Python type of each column: int, float (ints mixed with floats too), bool, str."""
        out: dict[str, type] = {}
        for v in self.variables:
            seen = {type(python_value(r[v])) for r in self.result.rows if v in r}
            if seen == {int}:
                out[v] = int
            elif seen and seen <= {int, float}:
                out[v] = float
            elif seen == {bool}:
                out[v] = bool
            else:
                out[v] = str
        return out

    def _columns(self) -> dict[str, list[object]]:
        types = self.column_types()
        cols: dict[str, list[object]] = {v: [] for v in self.variables}
        for row in self:
            for v in self.variables:
                value = row[v]
                cols[v].append(float(value) if types[v] is float and value is not None  # type: ignore[arg-type]
                               else value)
        return cols

    def to_pandas(self) -> Any:
        """A pandas DataFrame: integer columns Int64 (nullable), decimals float64, bools boolean."""
        pd = _optional("pandas", "to_pandas")
        dtypes = {int: "Int64", float: "float64", bool: "boolean", str: "object"}
        types = self.column_types()
        cols = self._columns()
        return pd.DataFrame({v: pd.Series(cols[v], dtype=dtypes[types[v]])
                             for v in self.variables}, columns=self.variables)

    def to_polars(self) -> Any:
        """A polars DataFrame with Int64, Float64, Boolean and String columns (nulls kept)."""
        pl = _optional("polars", "to_polars")
        dtypes = {int: pl.Int64, float: pl.Float64, bool: pl.Boolean, str: pl.String}
        types = self.column_types()
        return pl.DataFrame(self._columns(), schema={v: dtypes[types[v]]
                                                     for v in self.variables})


class KnowledgeGraph:
    """A built graph (local file) or a store holding a pushed one (SPARQL endpoint URL)."""

    def __init__(self, engine: Engine, source: str) -> None:
        """Use ``kg.open()`` rather than this."""
        self.engine = engine
        self.source = source

    def __repr__(self) -> str:
        """Where the graph is."""
        return f"<kg.KnowledgeGraph {self.source}>"

    @cached_property
    def queries(self) -> dict[str, NamedQuery]:
        """The named query library (``kg query --list``), by name."""
        from kg.query.library import load_library

        return load_library()

    @cached_property
    def names(self) -> Names:
        """Every label, synonym, acronym and identifier a parameter may be given by."""
        from kg.query.names import names_of

        return names_of(self.engine)

    def resolve(self, kind: str, value: str) -> str:
        """The CURIE a name stands for: ``g.resolve("target", "VEGFR2")`` → ``protein:KDR``."""
        from kg.query.names import curie

        return curie(self.names.resolve(kind, value))

    def iri(self, curie: str) -> str:
        """The full IRI of a CURIE the tool printed, for SPARQL text: ``<{g.iri(c)}>``."""
        from kg.query.library import expand

        return expand(curie)

    def query(self, name_or_sparql: str, /, *, limit: int | None = None, offset: int = 0,
              **params: object) -> QueryResult:
        """Run a named query (parameters by name) or SPARQL text.

        An ``iri`` parameter named drug, disease, target, biomarker, study or document may be a
        label, synonym, acronym, identifier or CURIE; other parameters take the value as given.
        ``limit``/``offset`` give one page, cut by the engine (``.result.next_offset``: the next).
        """
        text = name_or_sparql
        if name_or_sparql in self.queries:
            named = self.queries[name_or_sparql]
            from kg.query.names import resolve_params

            values = resolve_params(named.params, {k: str(v) for k, v in params.items()},
                                    lambda: self.names)
            text = named.bind(values)  # unknown parameter names are refused here
        elif params:
            raise QueryError(f"parameters ({', '.join(params)}) apply to named queries only, and "
                             f"{name_or_sparql[:40]!r} is not one (see g.queries)")
        elif re.fullmatch(r"[\w-]+", name_or_sparql.strip()):
            close = difflib.get_close_matches(name_or_sparql, list(self.queries), n=3)
            raise QueryError(f"no named query {name_or_sparql!r}"
                             + (f"; did you mean {', '.join(close)}?" if close
                                else " (see g.queries)"))
        return QueryResult(self.engine.query(text, limit=limit, offset=offset))

    def rdflib(self) -> Graph:
        """Every triple (the union of the named graphs, ontology included) as an rdflib Graph."""
        from rdflib import Graph

        from kg.triples import bind_prefixes

        g = Graph()
        bind_prefixes(g)
        data = self.engine.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").ntriples
        g.parse(data=data, format="nt")
        return g

    def networkx(self) -> nx.MultiDiGraph:
        """The drug–target–indication–study projection with typed node and edge attributes.

        Nodes are CURIEs with ``kind``, ``label``, ``xrefs``, ``synonyms`` and numbers as
        numbers; ``relation`` names each edge. Every graded evidence item is an edge (keyed by
        its CURIE) from the therapy tested to the indication with ``study``, ``level``,
        ``direction``, ``significant`` and, when it rests on a comparison, ``measure``,
        ``estimate``, ``ci_low``, ``ci_high``, ``p_value`` and ``endpoint``.
        """
        from kg.export.network import research_graph

        return research_graph(self.rdflib())


def open(source: str | Path | None = None) -> KnowledgeGraph:
    """Open a built graph: ``output/`` by default, a folder, a graph file or an endpoint URL."""
    from kg.query.engine import OxigraphEngine

    if isinstance(source, str) and source.startswith(("http://", "https://")):
        from kg.query.remote import EndpointEngine

        return KnowledgeGraph(EndpointEngine(source), source)
    path = Path(source) if source is not None else paths.OUTPUT_DIR
    if path.is_dir():
        path = path / "graph.trig"
    if not path.exists():
        raise QueryError(f"{path} not found: build the graph first (make graph, or kg build), "
                         "or give kg.open() an output folder, a graph file or an endpoint URL")
    return KnowledgeGraph(OxigraphEngine(path), str(path))
