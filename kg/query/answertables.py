"""Answer tables: every named query's default answer, computed once per built graph.

Why: at 1,000x a named query such as ``outcomes`` takes Oxigraph 0.4 s to evaluate and
its rows then stream at about 30k a second through Python; the same answer read back from a
table written at build time streams at millions of rows a second, and a small answer comes back
in a millisecond whatever the query's shape. A table is used only when it was computed from the
very graph file being queried (its SHA-256, and the ontology's beside it) and for the very query
text (the named query with its defaults bound, byte for byte); anything else runs as SPARQL.

A table is the answer as Oxigraph writes SPARQL TSV (one row a line, every term in N-Triples
form, so it is lossless), plus the warnings the plain run gives (unknown terms; an instance
IRI's closest IRIs are looked up by the reader, see `AnswerTables.get`). The build also
writes the whole answer as CSV, converted by Oxigraph (byte for byte what `kg.query.formats`
writes), which `kg query` and `kg serve` send as it is; a page Oxigraph converts when asked
(the conversion was half of a 2,000-row answer's time at 1,000x); TSV and JSON are
written by `kg.query.formats` from its rows, as for any answer. A test checks that every named
query's rows from its table equal the plain SPARQL's rows. `kg.query.precompute` writes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.query.results import Rows, Term, companions, converted

FOLDER = "answers"
INDEX = "index.json"
PIECE_ROWS = 20_000  # rows per piece handed to a writer: pieces of a few MB at most


def text_key(sparql: str) -> str:
    """The identity of a query text."""
    return hashlib.sha256(sparql.encode("utf-8")).hexdigest()


def graph_key(graph: Path) -> str:
    """The identity of a graph file: its bytes, its ontology companion's, the engine's version."""
    import pyoxigraph as ox

    h = hashlib.sha256(f"pyoxigraph {ox.__version__}\n".encode())
    for path in (graph, *companions(graph)):
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


@dataclass
class Table:
    """One named query's whole answer as SPARQL TSV bytes."""

    name: str
    tsv: bytes
    warnings: list  # texts; until completed (`AnswerTables.get`), a dict for a missing IRI
    _lines: list[bytes] | None = field(default=None, repr=False, compare=False)
    csv_file: tuple[Path, str] | None = field(default=None, repr=False, compare=False)
    _csv: bytes | None = field(default=None, repr=False, compare=False)

    def stored_csv(self) -> bytes | None:
        """The whole answer as CSV, converted at build time (read once, used only if intact)."""
        if self._csv is None and self.csv_file is not None:
            path, sha = self.csv_file
            self.csv_file = None  # read once, whatever it holds
            try:
                data = path.read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() == sha:
                self._csv = data
        return self._csv

    @property
    def pending(self) -> bool:
        """Whether a warning still lacks the closest IRIs of the missing IRI it names."""
        return not all(isinstance(w, str) for w in self.warnings)

    @property
    def variables(self) -> list[str]:
        """The answer's variables, in order."""
        head = self.tsv.split(b"\n", 1)[0].decode("utf-8")
        return [v[1:] for v in head.split("\t")] if head else []

    def lines(self) -> list[bytes]:
        """The rows' lines (without the header), split once per table."""
        if self._lines is None:
            self._lines = self.tsv.split(b"\n")[1:-1]
        return self._lines

    def rows(self, convert: Callable[[object], Term], limit: int | None,
             offset: int) -> TableRows:
        """The page from ``offset`` (at most ``limit`` rows) as a lazily read answer."""
        return TableRows(self, convert, limit, offset)


class TableRows(Rows):
    """A page of a table: `Term` rows when iterated, or CSV written by Oxigraph (`csv`).

    Unlike a query's rows, the page's size and whether more follow are known before the first
    row is read, so a server can send them in its headers.
    """

    def __init__(self, table: Table, convert: Callable[[object], Term], limit: int | None,
                 offset: int) -> None:
        """Rows ``offset`` to ``offset + limit`` of ``table``."""
        lines = table.lines()
        end = len(lines) if limit is None else min(len(lines), offset + limit)
        self._page = lines[offset:end]
        self._header = table.tsv.split(b"\n", 1)[0] + b"\n"
        super().__init__(table.variables, iter(()), convert, None, 0, offset)
        self.read = len(self._page)
        self.truncated = end < len(lines)
        self._whole = offset == 0 and not self.truncated  # the build's CSV is this page's
        self._table = table
        self.warnings = list(table.warnings)

    def _parsed(self) -> Iterator[Iterable[object]]:
        """The page's solutions, parsed by Oxigraph a piece at a time."""
        import pyoxigraph as ox

        page = self._page
        for at in range(0, len(page), PIECE_ROWS):
            data = self._header + b"".join(line + b"\n" for line in page[at:at + PIECE_ROWS])
            yield from ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        """Rows as tuples in variable order (None: unbound); each term converted once."""
        cache: dict[object, Term] = {}
        convert = self._convert
        for values in self._parsed():
            yield converted(values, cache, convert)

    def csv_pieces(self) -> Iterator[str]:
        """The page as SPARQL CSV, converted by Oxigraph: byte for byte `kg.query.formats`'."""
        import pyoxigraph as ox

        stored = self._table.stored_csv() if self._whole else None
        if stored is not None:
            yield stored.decode("utf-8")
            return
        page = self._page
        for at in range(0, max(1, len(page)), PIECE_ROWS):
            data = self._header + b"".join(line + b"\n" for line in page[at:at + PIECE_ROWS])
            text = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV).serialize(
                format=ox.QueryResultsFormat.CSV)
            if at:  # the header once, at the start
                text = text.split(b"\r\n", 1)[1]
            yield text.decode("utf-8")


class AnswerTables:
    """The tables written beside a graph file, used only while they match it."""

    def __init__(self, graph: Path) -> None:
        """Tables of ``graph`` (read, and checked against it, on first use)."""
        self.graph = graph
        self.folder = graph.parent / FOLDER
        self._by_text: dict[str, dict] | None = None
        self._loaded: dict[str, Table] = {}

    def _index(self) -> dict[str, dict]:
        if self._by_text is None:
            self._by_text = {}
            index = self.folder / INDEX
            try:
                doc = json.loads(index.read_text(encoding="utf-8"))
                if doc.get("graph") == self.graph.name and doc.get("key") == graph_key(
                        self.graph):
                    self._by_text = {e["text"]: e for e in doc["answers"]}
            except (OSError, ValueError, KeyError, TypeError):
                self._by_text = {}
        return self._by_text

    def get(self, sparql: str, engine: object | None = None) -> Table | None:
        """The table of this exact query text, or None (then the query runs as SPARQL).

        A warning about an instance IRI missing from the graph is stored without its closest
        IRIs (`kg.query.precompute`): ``engine``, holding this graph, finds them on first use,
        as the plain run does. Without one such a table is not used, so the query runs as
        SPARQL and its warning is complete.
        """
        if not self.folder.is_dir():
            return None
        entry = self._index().get(text_key(sparql))
        if entry is None:
            return None
        table = self._loaded.get(entry["name"])
        if table is None:
            try:
                data = (self.folder / entry["file"]).read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                return None
            table = self._loaded[entry["name"]] = Table(entry["name"], data, entry["warnings"])
            csv = entry.get("csv")
            if isinstance(csv, dict) and "/" not in csv["file"]:  # only in this folder
                table.csv_file = (self.folder / csv["file"], csv["sha256"])
        if table.pending:
            if engine is None:
                return None
            table.warnings = _completed(table.warnings, engine)
        return table


def _completed(warnings: list, engine: object) -> list[str]:
    """The warnings in order, each missing instance IRI's closest ones looked up on ``engine``."""
    from kg.query.terms import Unknown, complete

    return [w if isinstance(w, str)
            else complete(engine, Unknown(w["written"], w["iri"], w["what"], None))  # type: ignore[arg-type]
            for w in warnings]
