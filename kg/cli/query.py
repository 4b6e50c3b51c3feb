"""``kg query``: run SPARQL (inline, a .rq file or a named query) on the built graph."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from kg import paths
from kg.cli.common import EXIT_INPUT, EXIT_INVALID, err, to_stdout


def cmd_query(args: argparse.Namespace) -> int:
    """Run SPARQL (inline, a .rq file, or a named query) on the built graph."""
    from kg.query.credentials import resolve as resolve_credentials
    from kg.query.engine import QueryError, QuerySyntaxError, open_engine
    from kg.query.library import load_library
    from kg.query.remote import EndpointEngine

    library = load_library()
    if args.list:
        return to_stdout(lambda: _list_queries(library))
    values = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            err(f"error: --param {item!r}: expected NAME=VALUE")
            return EXIT_INPUT
        values[key] = value
    name = args.name or (args.query if args.query in library else None)
    from kg.query.paging import check

    try:
        limit, offset = check(args.limit, args.offset)
    except QueryError as exc:
        err(f"error: {exc}")
        return EXIT_INVALID
    # a named query with its defaults: its answer table, if kg build wrote one for this graph
    # file, spares loading the graph at all (seconds at 1,000x)
    result = (_table_answer(args.graph, library[name].bind(), args.format, limit, offset)
              if name in library and not values and not args.endpoint
              and args.engine == "oxigraph" else None)
    try:
        if result is None:
            engine = (EndpointEngine(args.endpoint, credentials=resolve_credentials(
                          args.endpoint, args.user, args.password_file)) if args.endpoint
                      else open_engine(args.engine, args.graph))
        if result is not None:
            text = ""  # answered from the table
        elif name:
            if name not in library:
                err(f"error: no named query {name!r} (see kg query --list)")
                return EXIT_INPUT
            from kg.query.names import names_of, resolve_params

            # a drug, disease, target, biomarker, study or document may be given by name
            values = resolve_params(library[name].params, values, lambda: names_of(engine))
            text = library[name].bind(values)
        elif args.query is None:
            err("error: give a query, a .rq file, or a named query (see kg query --list)")
            return EXIT_INPUT
        elif args.query.endswith(".rq") and Path(args.query).exists():
            text = Path(args.query).read_text(encoding="utf-8")
        else:
            text = args.query
        if result is None:
            # CSV, TSV and JSON are written as the engine hands rows over; a table needs them
            streamed = args.format in {"csv", "tsv", "json"}
            result = (engine.stream if streamed else engine.query)(text, limit, offset)
    except QuerySyntaxError as exc:
        err(f"error: {exc}")
        return EXIT_INVALID
    except QueryError as exc:
        err(f"error: {exc}")
        return EXIT_INPUT
    for warning in result.warnings:
        err(warning)
    width = args.width or (shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty()
                           else 100)
    try:
        code = to_stdout(lambda: _print_result(result, args.format, width))
    except QueryError as exc:  # raised while rows were streamed
        err(f"error: {exc}")
        return EXIT_INPUT
    if getattr(result, "truncated", False):
        err(f"more rows follow: the next page is --offset {result.next_offset}")
    return code


def _table_answer(graph: Path, text: str, fmt: str, limit: int | None, offset: int
                  ) -> object | None:
    """The page of a named query's answer table (`kg.query.answertables`), or None."""
    from kg.query.answertables import AnswerTables
    from kg.query.engine import term_of

    if not graph.exists():
        return None
    table = AnswerTables(graph).get(text)
    if table is None:
        return None
    page = table.rows(term_of, limit, offset)
    return page if fmt in {"csv", "tsv", "json"} else page.result()


def _list_queries(library: dict) -> None:
    for q in library.values():
        params = ", ".join(f"{p.name} ({p.kind}, default {p.default})" for p in q.params)
        print(f"{q.name:<28} {q.description}")
        if params:
            print(f"{'':<28} params: {params}")


def _print_result(result: object, fmt: str, width: int) -> None:
    from kg.query.engine import Rows
    from kg.query.formats import GRAPH_FORMATS, render_graph, render_select, stream_select

    if isinstance(result, Rows):
        for piece in stream_select(result, fmt):
            sys.stdout.write(piece)
        sys.stdout.write("\n")  # as print() ends the materialised formats
    elif result.kind == "graph":  # type: ignore[attr-defined]
        sys.stdout.write(render_graph(result, fmt if fmt in GRAPH_FORMATS else "turtle"))  # type: ignore[arg-type]
    else:
        print(render_select(result, fmt if fmt not in GRAPH_FORMATS else "table", width))  # type: ignore[arg-type]


def add_query(sub: Any) -> None:
    """The ``kg query`` subcommand and its options."""
    q = sub.add_parser("query", help="run SPARQL on the built graph")
    q.add_argument("query", nargs="?",
                   help="a named query (see --list), SPARQL text, or a .rq file")
    q.add_argument("--name", help="a named query of the library (same as giving its name)")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a named query's parameter (CURIEs like drug:erlotinib work)")
    q.add_argument("--width", type=int, default=None,
                   help="table width (default: the terminal's, or 100 when not a terminal)")
    q.add_argument("--list", action="store_true", help="list the named queries")
    q.add_argument("--format", default="table",
                   choices=["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld"])
    q.add_argument("--engine", default="oxigraph", choices=["oxigraph", "rdflib"])
    q.add_argument("--graph", type=Path, default=paths.OUTPUT_DIR / "graph.trig",
                   help="RDF file to query (default output/graph.trig)")
    q.add_argument("--limit", default=None, metavar="N",
                   help="at most N rows: one page (the next page is said on stderr)")
    q.add_argument("--offset", default=None, metavar="M",
                   help="skip the first M rows (with --limit: page through an answer)")
    q.add_argument("--endpoint", metavar="URL",
                   help="query a SPARQL endpoint holding a pushed graph instead of --graph")
    from kg.cli.store import add_credentials

    add_credentials(q)  # --user, --password-file: for an endpoint that asks
    q.set_defaults(func=cmd_query)
