"""Evidence tables: one CSV (and Parquet when pyarrow is installed) per kind of statement.

Each table is one SPARQL query in ``kg/export/tables/*.rq`` whose comment header is the column
spec (``# column: name | meaning``); the folder's README is generated from those headers, and
loading a spec fails when the header and the query's SELECT list disagree, so the documentation
cannot drift from what is written. The queries run on the built graph with the same engine as
``kg query`` (pyoxigraph), so a table is exactly what a researcher's own SPARQL would see.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.paths import PACKAGE_DIR
from kg.query.engine import NUMERIC, XSD, Engine, QueryError, Result, open_engine

TABLES_DIR = PACKAGE_DIR / "export" / "tables"
README = "README.md"


class ExportError(ValueError):
    """An export that cannot run: no built graph, an unwritable folder, a bad spec."""


@dataclass(frozen=True)
class Column:
    """One column of a table and what it means."""

    name: str
    meaning: str


@dataclass(frozen=True)
class TableSpec:
    """A table: its name, what one row is, its columns and the query that fills it."""

    name: str
    description: str
    columns: tuple[Column, ...]
    query: str
    path: Path
    anchor: str | None = None  # ``# rows:``: every row is about one node (kg.export.rowgroups)
    reach: int = 0  # how far from it a row reads, in forward steps
    parent: str | None = None  # a column holding a node that points at it, read too

    @property
    def csv_name(self) -> str:
        """File name of the CSV."""
        return f"{self.name}.csv"


def select_variables(query: str) -> list[str]:
    """The projected variables of the outer SELECT, in order."""
    m = re.search(r"^SELECT\s+(.*?)\s*\nWHERE", query, re.M | re.S)
    if not m:
        raise QueryError("no 'SELECT ... WHERE' at the start of a line")
    return re.findall(r"\?(\w+)", m.group(1))


def parse_spec(path: Path) -> TableSpec:
    """Read one table's query and its header; the header's columns must be the SELECT list."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    columns: list[Column] = []
    for line in text.splitlines():
        m = re.match(r"#\s*(table|description|column|rows):\s*(.+)$", line)
        if m is None:
            continue
        key, value = m.groups()
        if key == "column":
            name, sep, meaning = value.partition("|")
            if not sep or not meaning.strip():
                raise ExportError(f"{path}: column line {value!r} needs 'name | meaning'")
            columns.append(Column(name.strip(), meaning.strip()))
        else:
            meta[key] = value.strip()
    if "table" not in meta or "description" not in meta:
        raise ExportError(f"{path}: header needs '# table:' and '# description:'")
    try:
        selected = select_variables(text)
    except QueryError as exc:
        raise ExportError(f"{path}: {exc}") from None
    declared = [c.name for c in columns]
    if declared != selected:
        raise ExportError(f"{path}: columns in the header {declared} differ from the SELECT "
                          f"list {selected}")
    anchor, reach, parent = _rows(path, meta.get("rows"), text, declared)
    return TableSpec(meta["table"], meta["description"], tuple(columns), text, path, anchor,
                     reach, parent)


def _rows(path: Path, value: str | None, query: str, columns: list[str]
          ) -> tuple[str | None, int, str | None]:
    """A ``# rows: NAME, reach N[, from PARENT]`` header (see ``kg.export.rowgroups``).

    Rows are grouped by ?NAME, and each reads statements at most N forward steps from it
    (and, with ``from``, those of the node in column PARENT, which points at ?NAME, and at
    most N - 1 steps from that). Checked as far as text allows: NAME is the first column and
    the first ORDER BY key (so its rows are contiguous and the groups sorted by it), every
    SELECT projects it (so a VALUES clause on it can restrict each block) and PARENT is a
    column. That a row reads nothing further is the query author's promise.
    """
    if value is None:
        return None, 0, None
    m = re.fullmatch(r"(\w+),\s*reach\s+(\d+)(?:,\s*from\s+(\w+))?", value.strip())
    order = re.search(r"^ORDER BY\s+\?(\w+)", query, re.M)
    selects = re.findall(r"\bSELECT\b(.*?)\bWHERE\s*\{", query, re.S)
    if (m is None or not columns or m.group(1) != columns[0] or order is None
            or order.group(1) != columns[0]
            or (m.group(3) is not None and m.group(3) not in columns[1:])
            or any(f"?{columns[0]}" not in re.findall(r"\?\w+", s) for s in selects)):
        raise ExportError(f"{path}: '# rows: {value}' needs 'NAME, reach N[, from PARENT]' "
                          "with NAME the first column, the first ORDER BY key and projected "
                          "by every SELECT, and PARENT another column")
    return m.group(1), int(m.group(2)), m.group(3)


def load_specs(folder: Path = TABLES_DIR) -> list[TableSpec]:
    """Every table spec, in file-name order."""
    return [parse_spec(p) for p in sorted(folder.glob("*.rq"))]


def cell(result: Result, row: int, column: str) -> str:
    """A plain value for a spreadsheet: IRIs in full, literals as their lexical form."""
    term = result.rows[row].get(column)
    return "" if term is None else term.value


def to_csv(result: Result) -> str:
    """A result as CSV (RFC 4180, header row, empty cells for unbound values)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for i in range(len(result.rows)):
        writer.writerow([cell(result, i, v) for v in result.variables])
    return buf.getvalue()


def run_tables(engine: Engine, specs: list[TableSpec]) -> dict[str, Result]:
    """Every table's rows."""
    return {spec.name: engine.query(spec.query) for spec in specs}


def query_csv(store: object, query: str) -> bytes:
    """One SELECT's answer as SPARQL CSV, written by pyoxigraph (see ``csv_tables``)."""
    import pyoxigraph as ox

    from kg.query import curies

    buf = io.BytesIO()  # streamed into: a whole answer serialised at once peaked ~3x its size
    store.query(query, prefixes=curies.prefixes_for(query),  # type: ignore[attr-defined]
                use_default_graph_as_union=True).serialize(buf, ox.QueryResultsFormat.CSV)
    return buf.getvalue()


def csv_tables(store: object, specs: list[TableSpec],
               make: Callable[[TableSpec], bytes] | None = None) -> dict[str, bytes] | None:
    """Every table as CSV, serialised by pyoxigraph itself; None where it cannot be.

    The SPARQL 1.1 CSV results format is what ``to_csv`` writes for IRIs and literals (a
    header of the variables, IRIs in full, literals' lexical forms, RFC 4180 quoting, CRLF);
    ``tests/test_export_tables.py`` compares the two byte for byte. Made this way, a 1,000x
    build's 93,000 rows are never turned into Python terms (4.6 s of CPU and ~0.5 GB before,
    2.6 s now). Two shapes would differ, so they keep ``to_csv``: a table of one column (its
    empty cell is ``""`` there) and Parquet, which needs the rows (None is returned). A blank
    node would be written ``_:id`` (the graph mints none: every node has an IRI).

    ``make``, if given, makes each table's CSV instead of ``query_csv`` (the build's: from
    the last build's rows and the rows an edit reaches, ``kg.export.rowgroups``).
    """
    if parquet_available() or any(len(spec.columns) < 2 for spec in specs):
        return None
    texts = {}
    for spec in specs:
        texts[spec.name] = make(spec) if make is not None else query_csv(store, spec.query)
    return texts


def csv_rows(data: bytes) -> int:
    """The rows of a CSV text, its header not counted (a quoted cell may span lines).

    The line ends outside quotes, counted in C: a quote inside a cell is doubled, so the
    text between the 1st and 2nd, 3rd and 4th ... quote is quoted, the rest is not (read
    with ``csv.reader``, the rows cost ~0.1 s of a 300x edit, for their number alone).
    """
    if not data:
        return -1
    ends = sum(part.count(b"\n") for part in data.split(b'"')[::2])
    return ends + (not data.endswith(b"\n")) - 1  # a last row without its line end counts


def parquet_available() -> bool:
    """True when pyarrow can be imported (Parquet is optional)."""
    return importlib.util.find_spec("pyarrow") is not None


def write_parquet(result: Result, path: Path) -> None:
    """A result as Parquet: numbers as float64 or int64, booleans as bool, the rest as strings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = {}
    for v in result.variables:
        terms = [r.get(v) for r in result.rows]
        types = {t.datatype for t in terms if t is not None}
        if types == {XSD + "boolean"}:
            arrays[v] = pa.array([None if t is None else t.value == "true" for t in terms],
                                 type=pa.bool_())
        elif types and types <= NUMERIC:
            integer = types <= {XSD + "integer", XSD + "int", XSD + "long",
                                XSD + "nonNegativeInteger", XSD + "positiveInteger"}
            convert = int if integer else float
            arrays[v] = pa.array([None if t is None else convert(t.value) for t in terms],
                                 type=pa.int64() if integer else pa.float64())
        else:
            arrays[v] = pa.array([None if t is None else t.value for t in terms],
                                 type=pa.string())
    pq.write_table(pa.table(arrays), path)


def readme(specs: list[TableSpec], counts: dict[str, int] | None = None,
           parquet: bool = False) -> str:
    """The folder's README: every table and every column, from the specs."""
    lines = ["# Evidence tables", "",
             "Generated by `kg export tables` (and by `kg build` into `output/tables/`) from the "
             "built graph; do not edit. One CSV per kind of statement"
             + (", and the same as Parquet." if parquet else
                "; Parquet files are written too when `pyarrow` is installed."),
             "",
             "IRIs are written in full (`https://w3id.org/dti-kg/id/...`); they are the stable "
             "identifiers of the graph, so rows of different tables join on them. Cells with "
             "several values separate them with `; `. Numbers are plain decimals; units and "
             "qualifiers are in their own columns. Every statement's quote, document and "
             "character offsets are in `evidence.csv`.", ""]
    for spec in specs:
        n = f" ({counts[spec.name]} rows)" if counts and spec.name in counts else ""
        lines += [f"## {spec.csv_name}{n}", "", spec.description, "",
                  "| column | meaning |", "|---|---|"]
        lines += [f"| `{c.name}` | {c.meaning} |" for c in spec.columns]
        lines.append("")
    return "\n".join(lines)


def write_tables(engine: Engine | None, out: Path, specs: list[TableSpec] | None = None,
                 parquet: bool | None = None, results: dict[str, Result] | None = None,
                 texts: dict[str, bytes] | None = None) -> list[Path]:
    """Write every table (CSV, Parquet if available) and the README into ``out``.

    The rows are queried from ``engine``, or given as ``results`` (the build queries them in
    its background thread, and writes them here), or given as CSV ``texts`` already
    (``csv_tables``: then no Parquet is written).
    """
    specs = load_specs() if specs is None else specs
    out.mkdir(parents=True, exist_ok=True)
    if texts is not None:
        for spec in specs:
            (out / spec.csv_name).write_bytes(texts[spec.name])
        counts = {spec.name: csv_rows(texts[spec.name]) for spec in specs}
        (out / README).write_text(readme(specs, counts, False) + "\n", encoding="utf-8")
        return [*(out / spec.csv_name for spec in specs), out / README]
    parquet = parquet_available() if parquet is None else parquet
    if results is None:
        if engine is None:
            raise ValueError("write_tables needs an engine or the results")
        results = run_tables(engine, specs)
    files = []
    for spec in specs:
        path = out / spec.csv_name
        path.write_text(to_csv(results[spec.name]), encoding="utf-8", newline="")
        files.append(path)
        if parquet:
            files.append(out / f"{spec.name}.parquet")
            write_parquet(results[spec.name], files[-1])
    counts = {name: len(r.rows) for name, r in results.items()}
    (out / README).write_text(readme(specs, counts, parquet) + "\n", encoding="utf-8")
    return [*files, out / README]


def writable_folder(out: Path) -> None:
    """Create ``out`` if need be and make sure files can be written there, or say why not."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".kg-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except FileExistsError:
        raise ExportError(f"{out}: exists and is not a folder") from None
    except OSError as exc:
        raise ExportError(f"{out}: cannot write there: {exc.strerror or exc}") from None


def open_graph(graph: Path) -> Engine:
    """The built graph in the query engine, or a message saying how to build it."""
    try:
        return open_engine("oxigraph", graph)
    except QueryError as exc:
        raise ExportError(str(exc)) from None


def export_tables(graph: Path, out: Path) -> list[Path]:
    """``kg export tables``: load the built graph and write the tables into ``out``."""
    engine = open_graph(graph)
    writable_folder(out)
    return write_tables(engine, out)

