"""``kg push`` and ``kg serve``: the built graph in a SPARQL store, or behind an endpoint."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kg import paths
from kg.cli.common import EXIT_INPUT, err


def cmd_push(args: argparse.Namespace) -> int:
    """Load the built dataset into a SPARQL store, replacing the previous push."""
    from kg.export.push import push
    from kg.query.credentials import resolve
    from kg.query.engine import QueryError

    try:
        credentials = resolve(args.url, args.user, args.password_file)
        report = push(args.graph, args.url, say=lambda line: print(line, flush=True),
                      timeout=args.timeout, credentials=credentials)
    except QueryError as exc:
        err(f"error: {exc}")
        return EXIT_INPUT
    print(f"pushed {len(report.written)} graphs, {sum(report.written.values()):,} triples to "
          f"{args.url} in {report.seconds:.2f} s"
          + (f"; removed {len(report.deleted)} graph(s) of the previous push"
             if report.deleted else ""))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the built graph as a read-only SPARQL endpoint."""
    from kg.query.engine import QueryError, open_engine
    from kg.query.library import load_library
    from kg.query.server import ForkPerQuery, Limits, Runner, WorkerPool, default_workers, serve

    workers = default_workers() if args.workers is None else args.workers
    if workers < 1:
        err("error: --workers must be at least 1")
        return EXIT_INPUT
    try:  # the pool forks its template now, before the server opens a socket or a thread
        runner: Runner = (ForkPerQuery(open_engine(args.engine, args.graph))
                          if args.fork_per_query else
                          WorkerPool(args.engine, args.graph, workers))
    except QueryError as exc:
        err(f"error: {exc}")
        return EXIT_INPUT
    limits = Limits(args.time_limit, args.max_rows, args.max_body, args.queue_wait)

    def ready(url: str) -> None:
        print(f"serving {args.graph} at {url} (SPARQL at {url}sparql; Ctrl-C to stop)",
              flush=True)

    try:
        serve(runner, load_library(), args.host, args.port, limits, ready,
              tables=args.graph.parent / "tables")
    except OSError as exc:
        err(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        err("stopped")
    finally:
        runner.close()
    return 0


def add_push(sub: Any) -> None:
    """The ``kg push`` subcommand and its options."""
    pu = sub.add_parser("push", help="load the built graph into a SPARQL store (Graph Store "
                        "Protocol), replacing the previous push")
    pu.add_argument("url", help="the store's Graph Store Protocol URL, e.g. "
                    "http://127.0.0.1:7878/store (Oxigraph) or "
                    "http://127.0.0.1:8890/sparql-graph-crud-auth (Virtuoso, with --user)")
    pu.add_argument("--graph", type=Path, default=paths.OUTPUT_DIR / "graph.trig",
                    help="TriG file to push (default output/graph.trig, with ontology.ttl)")
    pu.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    add_credentials(pu)
    pu.set_defaults(func=cmd_push)


def add_credentials(parser: argparse.ArgumentParser) -> None:
    """``--user`` and ``--password-file``: who kg is to a store that asks (Digest or Basic)."""
    parser.add_argument("--user", metavar="NAME",
                        help="user name for a store that asks (HTTP Digest or Basic); the "
                        "password from --password-file, KG_STORE_PASSWORD, a netrc entry, or a "
                        "prompt on a terminal. Without --user, a netrc entry for the host "
                        "($NETRC or ~/.netrc) is used if there is one")
    parser.add_argument("--password-file", type=Path, metavar="FILE",
                        help="file whose first line is the password for --user")


def add_serve(sub: Any) -> None:
    """The ``kg serve`` subcommand and its options."""
    sv = sub.add_parser("serve", help="serve the built graph as a SPARQL endpoint")
    sv.add_argument("--graph", type=Path, default=paths.OUTPUT_DIR / "graph.trig")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000, help="port (0 picks a free one)")
    sv.add_argument("--engine", default="oxigraph", choices=["oxigraph", "rdflib"])
    sv.add_argument("--time-limit", type=float, default=10.0, help="seconds per query")
    sv.add_argument("--max-rows", type=int, default=10_000, help="rows per result")
    sv.add_argument("--max-body", type=int, default=1_000_000, help="bytes per request body")
    sv.add_argument("--workers", type=int, default=None,
                    help="query processes (default: one per CPU plus one, at least 2)")
    sv.add_argument("--queue-wait", type=float, default=10.0,
                    help="seconds a query may wait for a free worker before 503 (default 10)")
    sv.add_argument("--fork-per-query", action="store_true", help=argparse.SUPPRESS)
    sv.set_defaults(func=cmd_serve)
