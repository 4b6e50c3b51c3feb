"""Command-line interface: thin subcommands over the library functions.

Errors in the input are reported as one line each (``file:line: field: problem``) with a
non-zero exit and no traceback; a failed or interrupted build leaves ``output/`` as it was.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kg import paths

if TYPE_CHECKING:
    from kg.assemble import BuildResult
    from kg.cache import BuildCache
    from kg.pipeline import CheckedBuild
    from kg.query.engine import Result

EXIT_INPUT = 1
EXIT_INVALID = 2
EXIT_UNREVIEWED = 3  # kg draft --check: records still marked drafted
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: a bug, not the input
EXIT_LOCKED = 75  # sysexits EX_TEMPFAIL: another build holds the output folder; try again later
EXIT_INTERRUPTED = 130


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def write_outputs(result: BuildResult, out: Path, html: bool = True,
                  say: Callable[[str], None] | None = None,
                  checked: CheckedBuild | None = None,
                  cache: BuildCache | None = None) -> list[Path]:
    """Write every output file into ``out`` (which must exist).

    Given a ``checked`` build whose store work (validation, the tables' rows) runs in the
    background, Turtle and JSON-LD are written beside it, then it is waited for: if it found
    violations, writing stops there and the caller, seeing ``checked.violations``, throws the
    folder away. The pages are drawn last, after the store is freed (drawn beside it, a
    1,000x build peaked 0.3-0.6 GB higher); with a ``cache``, unchanged study pages come from it.
    """
    from kg.export.buildreport import REPORT_FILE, write_build_report
    from kg.export.rdf import write_jsonld, write_ontology, write_trig, write_turtle

    triples = result.triples
    files = [out / "graph.ttl", out / "graph.trig", out / "graph.jsonld", out / "ontology.ttl",
             out / REPORT_FILE]
    write_turtle(triples, files[0])
    write_jsonld(triples, files[2])
    write_ontology(files[3])
    if checked is not None:
        checked.finish()
        if checked.violations:
            return files
    write_trig(result, files[1])
    result.release("trig")
    t = time.perf_counter()
    files.append(write_build_tables(result, out, checked.tables if checked else None))
    if checked is not None:
        checked.tables = None  # ~0.5 GB of rows at 1,000x, written
    result.report.seconds.setdefault("tables", time.perf_counter() - t)
    result.release("store")
    write_build_report(result.report, files[4])
    if html:
        from kg.render.pages import write_site
        from kg.render.readgraph import view_graph

        t = time.perf_counter()
        graph = view_graph(result)
        settle()
        pages = None
        if cache is not None:
            from kg.render.pagecache import PageCache

            pages = PageCache(cache, graph)
        write_site(graph, out, say, keep=False, pages_cache=pages)
        result.report.seconds["html"] = time.perf_counter() - t
        files += [out / "index.html", out / "overview.html", out / "report.html",
                  out / "graph.graphml"]
    return files


def write_build_tables(result: BuildResult, out: Path,
                       rows: dict[str, Result] | None = None) -> Path:
    """Write the evidence tables into ``out/tables``; return their README, which lists them.

    Queried on the build's own store (the one validated), not on graph.trig read back, unless
    the ``rows`` were queried already. The report page and the query editor offer these files
    as downloads.
    """
    from kg.export.tables import README, write_tables
    from kg.query.engine import OxigraphEngine

    engine = None if rows is not None else OxigraphEngine.over(result.store)
    write_tables(engine, out / "tables", results=rows)
    return out / "tables" / README


def cmd_export(args: argparse.Namespace) -> int:
    """Export the built graph: evidence tables, KGX, or a checksummed release bundle."""
    from kg.export.tables import ExportError

    try:
        if args.what == "release" and args.verify:
            from kg.export.release import verify_release

            problems = verify_release(args.verify)
            for p in problems:
                _err(p)
            if problems:
                _err(f"error: {args.verify}: {len(problems)} problem(s); the bundle does not "
                     "verify")
                return EXIT_INVALID
            print(f"{args.verify}: every file matches SHA256SUMS, and manifest.json agrees")
            return 0
        if args.out is None:
            _err(f"error: kg export {args.what}: give --out DIR")
            return EXIT_INPUT
        files = export_files(args)
    except ExportError as exc:
        _err(f"error: {exc}")
        return EXIT_INPUT
    for f in files:
        print(f"wrote {f} ({f.stat().st_size:,} bytes)")
    return 0


def export_files(args: argparse.Namespace) -> list[Path]:
    """Run the chosen exporter; each checks the built graph and the folder first."""
    if args.what == "tables":
        from kg.export.tables import export_tables

        return export_tables(args.graph, args.out)
    if args.what == "kgx":
        from kg.export.kgx import export_kgx

        return export_kgx(args.graph, args.out)
    from kg.export.release import export_release

    return export_release(args.graph, args.out, date=args.date)


def cmd_build(args: argparse.Namespace) -> int:
    """Build the graph and write every output, replacing ``--out`` only on success.

    The whole build holds the output folder's lock, so the last build it compares with cannot
    change under it and two builds never interleave their writes.
    """
    from kg.export.lock import output_lock

    start = time.perf_counter()
    out: Path = args.out.resolve()
    with output_lock(out), long_lived():
        return _build_locked(args, out, start)


@contextmanager
def long_lived() -> Iterator[None]:
    """Keep the cycle collector off the build's long-lived objects.

    Loading and the builders allocate millions of objects (records, terms, triples) that live
    until exit; the collector rescanned them again and again as they grew (35% of a 1,000x
    build) and found nothing to free. It is paused while they are made, and ``settle()`` moves
    what exists to the permanent generation before pages are drawn; drawing makes cyclic
    garbage per page (~0.3 GB at 1,000x if never collected), so the collector runs again then.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def settle() -> None:
    """Exempt every object alive now from collection, and let the collector run on new ones."""
    gc.freeze()
    gc.enable()


def _build_locked(args: argparse.Namespace, out: Path, start: float) -> int:
    """Check, then write into a temporary folder and swap it in: a failure changes nothing."""
    from kg.cache import BuildCache, fingerprint
    from kg.export.atomic import replace_dir, temp_dir
    from kg.pipeline import check_build
    from kg.stages import stage

    say = (lambda _m: None) if args.quiet else _err
    # the test hook that pauses before the swap exists to interrupt a real write: no shortcut
    cache = None if args.no_cache or os.environ.get("KG_TEST_PAUSE_BEFORE_SWAP") else \
        BuildCache(out)
    fp = fingerprint(args.sources, {k: getattr(args, k) for k in (
        "no_validate", "no_html", "full_validation", "allow_shrink")}) if cache else ""
    if cache and cache.up_to_date(fp):
        print(f"{out} is up to date: no input, option or code changed since its last build "
              "(kg build --no-cache builds anyway)")
        return 0
    say(f"loading sources from {args.sources}")
    checked = check_build(args.sources, out, allow_shrink=args.allow_shrink,
                          validate=not args.no_validate,
                          full_validation=args.full_validation,
                          progress=lambda msg: say(f"  {msg}"), cache=cache,
                          background=True)
    result = checked.result
    with stage("writing output"):
        tmp = temp_dir(out)
        try:
            t = time.perf_counter()
            say(f"writing {out}")
            files = write_outputs(result, tmp, html=not args.no_html, say=say, checked=checked,
                                  cache=cache)
            result.report.seconds["write"] = time.perf_counter() - t
            if checked.violations:
                for p in checked.violations:
                    _err(f"invalid graph: {p}")
                _err(f"error: {len(checked.violations)} validation problem(s); {out} left "
                     "unchanged")
                return EXIT_INVALID
            replace_dir(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if cache:
        cache.record(fp)
    result.report.seconds["total"] = time.perf_counter() - start
    print("\n".join(result.report.lines()))
    for f in files:
        final = out / f.relative_to(tmp)
        print(f"wrote {final} ({final.stat().st_size:,} bytes)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate any RDF file against the shapes (as SPARQL; with pySHACL given ``--full``)."""
    from rdflib import Dataset, Graph

    from kg.assemble import to_store
    from kg.validate import check_store, validate_graph

    fmt = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt",
           ".jsonld": "json-ld", ".json": "json-ld"}.get(args.file.suffix)
    if fmt is None:
        _err(f"error: {args.file}: unknown RDF format (use .ttl, .trig, .nq, .nt or .jsonld)")
        return EXIT_INPUT
    try:
        if fmt in {"trig", "nquads"}:
            ds = Dataset()
            ds.parse(args.file, format=fmt)
            graph = Graph()
            for s, p, o, _ in ds.quads():
                graph.add((s, p, o))
        else:
            graph = Graph().parse(args.file, format=fmt)
    except FileNotFoundError:
        _err(f"error: {args.file}: no such file")
        return EXIT_INPUT
    except Exception as exc:
        _err(f"error: {args.file}: cannot parse as {fmt}: {str(exc).splitlines()[0]}")
        return EXIT_INPUT
    problems = validate_graph(graph) if args.full else check_store(to_store([("urn:x-kg:file",
                                                                             graph)]))
    for p in problems:
        print(p)
    print(f"{args.file}: {len(graph)} triples, {len(problems)} problem(s)")
    return EXIT_INVALID if problems else 0


def cmd_audit(args: argparse.Namespace) -> int:
    """List every number in the source texts with what covers or explains it."""
    from kg.assemble import build
    from kg.audit import audit
    from kg.sources.loader import load_corpus

    result = build(args.sources)
    corpus, texts = load_corpus(args.sources)
    occurrences = audit(result.union(), corpus, texts)
    counts: dict[str, dict[str, int]] = {}
    for occ in occurrences:
        counts.setdefault(occ.doc, {"covered": 0, "explained": 0, "unexplained": 0})
        counts[occ.doc][occ.status] += 1
        if args.all or occ.status == "unexplained":
            print(occ)
    for doc, c in counts.items():
        print(f"{doc}: {sum(c.values())} numbers: {c['covered']} covered, {c['explained']} "
              f"explained, {c['unexplained']} unexplained")
    unexplained = sum(c["unexplained"] for c in counts.values())
    if unexplained:
        _err(f"error: {unexplained} number(s) neither covered nor explained")
        return EXIT_INVALID
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft an evidence file from a paper's text into the sources folder, for review."""
    from kg.draft import DraftError, draft_paper

    if args.check is not None:
        return _draft_check(args.check)
    if args.paper is None:
        _err("error: give a paper to draft, or --check FILE")
        return EXIT_INPUT
    try:
        report = draft_paper(args.paper, args.sources, args.id)
    except DraftError as exc:
        _err(f"error: {exc}")
        return EXIT_INPUT
    where = f", attached to the existing study {report.attached_to!r}" if report.attached_to \
        else ""
    print(f"wrote {report.text}")
    print(f"wrote {report.evidence} ({report.records} records{where})")
    if report.dropped:
        print(f"dropped {len(report.dropped)} record(s) the build rejected: "
              f"{', '.join(report.dropped)}")
    if report.unlinked:
        print(f"{len(report.unlinked)} name(s) not in entities.yaml, proposed at the top of the "
              f"draft: {', '.join(report.unlinked)}")
    print(f"{len(report.unplaced)} number(s) of the text placed in no record (listed at the top "
          "of the draft); review, then kg build and kg audit")
    return 0


def _draft_check(path: Path) -> int:
    """List the records of an evidence file still marked drafted; exit 3 while any is left."""
    from kg.draft.review import unreviewed

    left, problems = unreviewed(path)
    for p in problems:
        _err(p)
    if problems:
        return EXIT_INPUT
    for u in left:
        print(f"{path}:{u.line}: {u.where} ({u.id}): drafted by rule {u.rule!r}, not reviewed")
    print(f"{len(left)} record(s) of {path} not reviewed" if left else
          f"{path}: every record reviewed")
    return EXIT_UNREVIEWED if left else 0


def cmd_vocab(args: argparse.Namespace) -> int:
    """Print every section and field of the evidence files with its allowed values."""
    from kg.sources.schema import SECTIONS, reference_lines

    if args.markdown:
        print("\n".join(reference_lines()))
        return 0
    for section, (about, fields) in SECTIONS.items():
        print(f"{section}: {about}")
        for f in fields:
            need = ", required" if f.required else ""
            print(f"  {f.name} ({f.type}{need}): {f.meaning}")
            if f.values:
                print(f"      one of: {', '.join(f.values)}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    """Run SPARQL (inline, a .rq file, or a named query) on the built graph."""
    from kg.query.engine import QueryError, QuerySyntaxError, open_engine
    from kg.query.library import load_library
    from kg.query.remote import EndpointEngine

    library = load_library()
    if args.list:
        return _out(lambda: _list_queries(library))
    values = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            _err(f"error: --param {item!r}: expected NAME=VALUE")
            return EXIT_INPUT
        values[key] = value
    name = args.name or (args.query if args.query in library else None)
    from kg.query.paging import check

    try:
        limit, offset = check(args.limit, args.offset)
    except QueryError as exc:
        _err(f"error: {exc}")
        return EXIT_INVALID
    try:
        engine = (EndpointEngine(args.endpoint) if args.endpoint
                  else open_engine(args.engine, args.graph))
        if name:
            if name not in library:
                _err(f"error: no named query {name!r} (see kg query --list)")
                return EXIT_INPUT
            from kg.query.names import names_of, resolve_params

            # a drug, disease, target, biomarker, study or document may be given by name
            values = resolve_params(library[name].params, values, lambda: names_of(engine))
            text = library[name].bind(values)
        elif args.query is None:
            _err("error: give a query, a .rq file, or a named query (see kg query --list)")
            return EXIT_INPUT
        elif args.query.endswith(".rq") and Path(args.query).exists():
            text = Path(args.query).read_text(encoding="utf-8")
        else:
            text = args.query
        # CSV, TSV and JSON are written as the engine hands rows over; a table needs them all
        streamed = args.format in {"csv", "tsv", "json"}
        result = (engine.stream if streamed else engine.query)(text, limit, offset)
    except QuerySyntaxError as exc:
        _err(f"error: {exc}")
        return EXIT_INVALID
    except QueryError as exc:
        _err(f"error: {exc}")
        return EXIT_INPUT
    for warning in result.warnings:
        _err(warning)
    width = args.width or (shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty()
                           else 100)
    try:
        code = _out(lambda: _print_result(result, args.format, width))
    except QueryError as exc:  # raised while rows were streamed
        _err(f"error: {exc}")
        return EXIT_INPUT
    if getattr(result, "truncated", False):
        _err(f"more rows follow: the next page is --offset {result.next_offset}")
    return code


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


def _out(write: Callable[[], None]) -> int:
    """Write to stdout; a reader that stops early (``| head``) ends the command quietly."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush must not fail
        os.close(devnull)
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    """Load the built dataset into a SPARQL store, replacing the previous push."""
    from kg.export.push import push
    from kg.query.engine import QueryError

    try:
        report = push(args.graph, args.url, say=lambda line: print(line, flush=True),
                      timeout=args.timeout)
    except QueryError as exc:
        _err(f"error: {exc}")
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
        _err("error: --workers must be at least 1")
        return EXIT_INPUT
    try:  # the pool forks its template now, before the server opens a socket or a thread
        runner: Runner = (ForkPerQuery(open_engine(args.engine, args.graph))
                          if args.fork_per_query else
                          WorkerPool(args.engine, args.graph, workers))
    except QueryError as exc:
        _err(f"error: {exc}")
        return EXIT_INPUT
    limits = Limits(args.time_limit, args.max_rows, args.max_body, args.queue_wait)

    def ready(url: str) -> None:
        print(f"serving {args.graph} at {url} (SPARQL at {url}sparql; Ctrl-C to stop)",
              flush=True)

    try:
        serve(runner, load_library(), args.host, args.port, limits, ready,
              tables=args.graph.parent / "tables")
    except OSError as exc:
        _err(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err("stopped")
    finally:
        runner.close()
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    p = argparse.ArgumentParser(prog="kg", description="Drug-target-indication evidence graph.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the graph and write output/")
    b.add_argument("--sources", type=Path, default=paths.SOURCES_DIR,
                   help="folder with identifiers.yaml, entities.yaml, evidence/ and texts/")
    b.add_argument("--out", type=Path, default=paths.OUTPUT_DIR, help="output folder")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    b.add_argument("--no-html", action="store_true", help="write the RDF files only")
    b.add_argument("--no-cache", action="store_true",
                   help="parse every evidence file and write every output, even if unchanged")
    b.add_argument("--full-validation", action="store_true",
                   help="validate with pySHACL (slower) instead of the shapes compiled to SPARQL")
    b.add_argument("--quiet", action="store_true", help="no progress messages")
    b.add_argument("--allow-shrink", action="store_true",
                   help="accept that a document is gone or lost more than half of its records "
                        "since the last build (see output/build-report.json)")
    b.set_defaults(func=cmd_build)
    a = sub.add_parser("audit", help="check that every number in the sources is in the graph")
    a.add_argument("--sources", type=Path, default=paths.SOURCES_DIR)
    a.add_argument("--all", action="store_true", help="list covered and explained numbers too")
    a.set_defaults(func=cmd_audit)
    dr = sub.add_parser("draft", help="draft an evidence file from a paper's text")
    dr.add_argument("paper", type=Path, nargs="?", help="plain text (optionally with 'Field: "
                    "value' header lines) or PubMed MEDLINE format")
    dr.add_argument("--id", help="document id (default: from the file name)")
    dr.add_argument("--sources", type=Path, default=paths.SOURCES_DIR,
                    help="sources folder to write into (default: the shipped one)")
    dr.add_argument("--check", type=Path, metavar="FILE",
                    help="list the records of an evidence file still marked drafted (exit 3 "
                         "while any is left)")
    dr.set_defaults(func=cmd_draft)

    vo = sub.add_parser("vocab", help="list every field of the evidence files and its values")
    vo.add_argument("--markdown", action="store_true",
                    help="print the reference page (docs/evidence-format.md)")
    vo.set_defaults(func=cmd_vocab)

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
    q.set_defaults(func=cmd_query)
    pu = sub.add_parser("push", help="load the built graph into a SPARQL store (Graph Store "
                        "Protocol), replacing the previous push")
    pu.add_argument("url", help="the store's Graph Store Protocol URL, e.g. "
                    "http://127.0.0.1:7878/store (Oxigraph)")
    pu.add_argument("--graph", type=Path, default=paths.OUTPUT_DIR / "graph.trig",
                    help="TriG file to push (default output/graph.trig, with ontology.ttl)")
    pu.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    pu.set_defaults(func=cmd_push)
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
    ex = sub.add_parser("export", help="export the built graph: tables, KGX or a release")
    ex.add_argument("what", choices=["tables", "kgx", "release"],
                    help="tables: one CSV per kind of statement; kgx: KGX TSV with Biolink "
                         "terms; release: a versioned, checksummed bundle of everything")
    ex.add_argument("--out", type=Path, help="folder to write into (created if missing)")
    ex.add_argument("--graph", type=Path, default=paths.OUTPUT_DIR / "graph.trig",
                    help="the built graph (default output/graph.trig)")
    ex.add_argument("--date", help="release date as YYYY-MM-DD (default today; fixing it "
                    "makes the bundle byte-identical for the same graph)")
    ex.add_argument("--verify", type=Path, metavar="DIR",
                    help="with release: check a bundle's files against its SHA256SUMS")
    ex.set_defaults(func=cmd_export)
    v = sub.add_parser("validate", help="check an RDF file against ontology/shapes.ttl")
    v.add_argument("file", type=Path)
    v.add_argument("--full", action="store_true",
                   help="validate with pySHACL (slower) instead of the shapes compiled to SPARQL")
    v.set_defaults(func=cmd_validate)
    return p


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` command."""
    from kg.errors import InputError
    from kg.export.lock import OutputLocked
    from kg.stages import stage_of

    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)  # a terminated build cleans up like Ctrl-C
    try:
        return int(args.func(args))
    except InputError as exc:
        for problem in exc.problems:
            _err(problem)
        _err(f"error: {len(exc.problems)} problem(s) in the input; nothing was written")
        return EXIT_INPUT
    except OutputLocked as exc:
        _err(f"error: {exc}")
        return EXIT_LOCKED
    except KeyboardInterrupt:
        _err("interrupted; output left unchanged")
        return EXIT_INTERRUPTED
    except OSError as exc:
        _err(f"error: {exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_INPUT
    except Exception as exc:
        # The last line of defence: a bug must not show users a traceback, and output/ is intact
        # (writes are atomic). Tests call the library, where the exception is not caught; set
        # KG_DEBUG=1 to see the traceback here.
        if os.environ.get("KG_DEBUG"):
            raise
        message = (str(exc).splitlines() or [""])[0]
        _err(f"error: internal error in {stage_of(exc, args.command)}: "
             f"{type(exc).__name__}: {message} (please report)")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
