"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

GET and POST (form-encoded or ``application/sparql-query``), results by ``Accept`` (SPARQL JSON,
XML, CSV, TSV; Turtle, N-Triples or JSON-LD for CONSTRUCT/DESCRIBE), the named queries at
``/queries``, and an offline HTML query editor at ``/``. Updates and ``SERVICE`` are refused
(403), syntax errors get 400 with line and column, request bodies over the limit 413. Queries run
in a pool of long-lived worker processes (`WorkerPool`), so that one over the time limit can be
stopped (503, its worker killed and replaced) without a fork per query and without harming the
server; results over the row limit are cut and marked (``X-Result-Truncated``).
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import queue
import signal
import sys
import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path
from typing import Any, NoReturn, Protocol
from urllib.parse import parse_qs, urlencode, urlparse

from kg.query.engine import Engine, QueryError, QueryRefused, Result, Rows, open_engine
from kg.query.formats import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    render_graph,
    render_select,
    stream_select,
)
from kg.query.library import NamedQuery
from kg.query.names import NAMES_QUERY, Named, Names, resolve_params
from kg.query.nodepage import node_iri, node_page
from kg.query.paging import check as check_page

PAGE = Path(__file__).with_name("editor.html")
ACCEPT_SELECT = [("application/sparql-results+json", "json"), ("application/json", "json"),
                 ("application/sparql-results+xml", "xml"), ("application/xml", "xml"),
                 ("text/csv", "csv"), ("text/tab-separated-values", "tsv")]
ACCEPT_GRAPH = [("text/turtle", "turtle"), ("application/ld+json", "jsonld"),
                ("application/n-triples", "ntriples")]
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                               "style-src 'self' 'unsafe-inline'; connect-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
DRAIN_BYTES = 64 * 1024 * 1024  # read at most this much of a refused body (see discard_body)

Answer = tuple[int, str, bytes, dict[str, str]]  # status, content type, body, extra headers


@dataclass
class Limits:
    """What one request may cost."""

    seconds: float = 10.0
    rows: int = 10_000
    body_bytes: int = 1_000_000
    wait: float = 10.0  # seconds a query may wait for a free worker


def default_workers() -> int:
    """One worker per usable CPU plus one, at least two.

    The extra one keeps the CPUs busy while a worker's answer is in transit through the server
    (measured on 2 cores: 3 workers answer 1.7x the cheap queries a second that 2 do); at least
    two, so that one slow query never holds up every other.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(2, cpus + 1)


def negotiate(accept: str, options: list[tuple[str, str]], default: str) -> str | None:
    """Pick a format from an Accept header; None when nothing acceptable is offered."""
    if not accept or "*/*" in accept:
        return default
    wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for mime in wanted:
        for offered, fmt in options:
            if mime == offered:
                return fmt
    return None


def execute(engine: Engine, text: str, accept: str, rows: int, offset: int = 0) -> Answer:
    """Run one query (the page of ``rows`` rows from ``offset``) and render it for the client.

    CSV, TSV and JSON are written as the engine hands rows over (`stream_select`): no row is
    held as a Python object beyond the one being written. A cut page says where the next one
    starts (``X-Next-Offset``; the handler turns it into a ``Link: rel="next"``). Every failure
    becomes an HTTP answer.
    """
    try:
        result = engine.stream(text, limit=rows, offset=offset)
        if isinstance(result, Rows):
            fmt = negotiate(accept, ACCEPT_SELECT, "json")
            if fmt is None:
                return NOT_ACCEPTABLE
            if fmt in {"csv", "tsv", "json"}:
                body = "".join(stream_select(result, fmt)).encode()
            else:
                result = result.result()
                body = render_select(result, fmt).encode()
            return 200, SELECT_FORMATS[fmt], body, page_headers(result)
        if result.kind == "graph":
            fmt = negotiate(accept, ACCEPT_GRAPH, "turtle")
            if fmt is None:
                return (406, "text/plain", b"not acceptable: use text/turtle, "
                        b"application/ld+json or application/n-triples", {})
            return 200, GRAPH_FORMATS[fmt], render_graph(result, fmt).encode(), {}
        fmt = negotiate(accept, ACCEPT_SELECT, "json")
        if fmt is None:
            return NOT_ACCEPTABLE
        return 200, SELECT_FORMATS[fmt], render_select(result, fmt).encode(), page_headers(result)
    except QueryRefused as exc:
        return 403, "text/plain", str(exc).encode(), {}
    except QueryError as exc:
        return 400, "text/plain", str(exc).encode(), {}
    except Exception as exc:
        return 500, "text/plain", f"query failed: {exc}".encode(), {}


NOT_ACCEPTABLE: Answer = (406, "text/plain", b"not acceptable: use SPARQL JSON or XML, "
                          b"text/csv or text/tab-separated-values", {})


def page_headers(result: Result | Rows) -> dict[str, str]:
    """What a SELECT answer's headers say: a cut page, where the next starts, warnings."""
    headers = {}
    if result.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-Next-Offset"] = str(result.next_offset)
    if result.warnings:  # also a "warnings" field in SPARQL JSON
        headers["X-Query-Warnings"] = str(len(result.warnings))
    return headers


def next_link(path: str, query: dict[str, list[str]], body_query: str | None,
              next_offset: str) -> str:
    """The ``Link`` header of a cut page: the same request from the next offset (a GET URL)."""
    args = {k: v[0] for k, v in query.items()}
    if body_query is not None:  # a POSTed query is repeated in the URL
        args["query"] = body_query
    args["offset"] = next_offset
    return f"<{path}?{urlencode(args)}>; rel=\"next\""


def over_time(limits: Limits) -> Answer:
    """The answer to a query stopped at the time limit."""
    return (503, "text/plain",
            f"query stopped: it exceeded the time limit of {limits.seconds:g} s".encode(), {})


LOST: Answer = (500, "text/plain", b"query process ended without an answer", {})


class Runner(Protocol):
    """Where queries run: the worker pool, or (to measure against) a fork per query."""

    def run(self, text: str, accept: str, limits: Limits, offset: int = 0) -> Answer:
        """Answer one query (a page of at most ``limits.rows`` rows from ``offset``)."""
        ...

    def close(self) -> None:
        """Stop every process this runner started."""
        ...


@dataclass
class _Worker:
    pid: int
    conn: Connection


class WorkerPool:
    """Long-lived query processes, forked from a template process that loaded the graph once.

    Why a template: workers must be replaced whenever one is killed at the time limit, and
    forking them from the multi-threaded HTTP server would copy its client sockets, its other
    workers' pipes and whatever locks its threads held. The template is single-threaded, holds
    only the loaded engine, and forks a replacement in milliseconds whose memory it shares
    copy-on-write. It alone kills and reaps workers, so no process id is signalled after it was
    reaped (the ``ProcessLookupError`` of the former fork-per-query design).
    """

    def __init__(self, engine: str, graph: Path, size: int) -> None:
        """Load the graph in the template and start ``size`` workers; QueryError if it fails."""
        ctx = multiprocessing.get_context("fork")  # before any thread starts: see the class doc
        self.size = size
        self._lock = threading.Lock()  # one conversation with the template at a time
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._broken = ""  # why queries cannot run any more, once they cannot
        self._closed = False
        self._ctl, theirs = ctx.Pipe()
        self._template = ctx.Process(target=_template_main, name="kg-serve-template",
                                     args=(theirs, self._ctl, engine, graph), daemon=True)
        self._template.start()
        theirs.close()
        try:
            status, message = self._ctl.recv()
        except EOFError:
            status, message = "error", f"loading {graph} failed"
        if status != "ready":
            self.close()
            raise QueryError(message)
        for _ in range(size):
            self._idle.put(self._spawn())

    def run(self, text: str, accept: str, limits: Limits, offset: int = 0) -> Answer:
        """Answer on an idle worker; past the time limit, kill that worker and fork another."""
        if self._broken:
            return 500, "text/plain", self._broken.encode(), {}
        try:
            worker = self._idle.get(timeout=limits.wait)
        except queue.Empty:
            return (503, "text/plain", f"server busy: all {self.size} query workers stayed "
                    f"busy for {limits.wait:g} s; retry shortly".encode(), {"Retry-After": "1"})
        answer: Answer | None = None
        try:
            worker.conn.send((text, accept, limits.rows, offset))
            if worker.conn.poll(limits.seconds):
                answer = worker.conn.recv()
                return answer
            return over_time(limits)
        except (EOFError, OSError):
            return LOST
        finally:
            if answer is None:
                self._replace(worker)
            else:
                self._idle.put(worker)

    def _spawn(self, kill: int = 0) -> _Worker:
        """Ask the template to kill worker ``kill`` (if any) and fork a new one."""
        mine, theirs = multiprocessing.Pipe()
        try:
            with self._lock:
                self._ctl.send(kill)
                send_handle(self._ctl, theirs.fileno(), self._template.pid or 0)
                pid = self._ctl.recv()
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        return _Worker(pid, mine)

    def _replace(self, worker: _Worker) -> None:
        worker.conn.close()
        if self._closed:
            return
        try:
            self._idle.put(self._spawn(kill=worker.pid))
        except (EOFError, OSError) as exc:
            if not self._broken:
                self._broken = "the query workers are gone; restart kg serve"
                print(f"error: cannot start a query worker ({exc}); {self._broken}",
                      file=sys.stderr, flush=True)

    def close(self) -> None:
        """Stop the workers and the template (closing its pipe tells it to)."""
        self._closed = True
        self._broken = "the server is stopping"
        while not self._idle.empty():
            self._idle.get_nowait().conn.close()
        with self._lock:
            self._ctl.close()
        self._template.join(5)
        if self._template.is_alive():
            self._template.kill()
            self._template.join(1)


def _template_main(ctl: Connection, parent_end: Connection, engine_name: str,
                   graph: Path) -> None:
    """The template process: load once, then fork or kill workers when the server asks."""
    parent_end.close()  # else the template itself would keep its pipe open: no EOF, no exit
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGTERM, _exit_quietly)  # not the server's KeyboardInterrupt
    try:
        engine = open_engine(engine_name, graph)
    except Exception as exc:
        ctl.send(("error", str(exc) if isinstance(exc, QueryError) else
                  f"cannot load {graph}: {exc}"))
        return
    _warm_up(engine)
    gc.freeze()  # keep the loaded objects out of the workers' collections: pages stay shared
    ctl.send(("ready", ""))
    live: set[int] = set()
    try:
        while True:
            try:
                kill = ctl.recv()  # a worker to kill (0: none), then a pipe for a new one
                fd = recv_handle(ctl)
            except (EOFError, OSError):
                return  # the server closed or died: stop every worker (finally)
            _reap(live)
            if kill in live:
                _kill(kill)
                live.discard(kill)
            pid = os.fork()
            if pid == 0:
                _worker_main(ctl, fd, engine)
            os.close(fd)
            live.add(pid)
            ctl.send(pid)
    finally:
        for pid in live:
            _kill(pid)


def _warm_up(engine: Engine) -> None:
    """Render once in every format, so no fresh worker pays the imports against the time limit.

    A worker's first Turtle answer imports rdflib's serializers: 100 ms idle, past 0.5 s under
    load. Done here, every worker forked from the template has them.
    """
    graph = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
    for accept in ("text/turtle", "application/ld+json"):
        execute(engine, graph, accept, 1)
    for accept in ("application/sparql-results+json", "application/sparql-results+xml",
                   "text/csv"):
        execute(engine, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", accept, 1)


def _exit_quietly(signum: int, frame: object) -> NoReturn:
    raise SystemExit(0)  # through the finally that stops the workers, without a traceback


def _reap(live: set[int]) -> None:
    """Collect workers that ended on their own, so their ids are never signalled."""
    while live:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            live.clear()
            return
        if pid == 0:
            return
        live.discard(pid)


def _kill(pid: int) -> None:
    """Kill and reap one worker (still our unreaped child, so the id is its own)."""
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _worker_main(ctl: Connection, fd: int, engine: Engine) -> NoReturn:
    """A worker: answer queries from its pipe until the server closes it; never returns."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        ctl.close()
        conn = Connection(fd)
        while True:
            try:
                text, accept, rows, offset = conn.recv()
            except EOFError:
                break
            conn.send(execute(engine, text, accept, rows, offset))
    except BaseException:  # the server went away mid-answer: no one left to tell
        code = 1
    finally:
        os._exit(code)


class ForkPerQuery:
    """The former design, a forked process per query, kept to measure the pool against.

    Reached only through the hidden ``kg serve --fork-per-query``; see benchmarks/serve.py.
    """

    def __init__(self, engine: Engine) -> None:
        """Hold the loaded engine: each query's child process inherits it."""
        self.engine = engine

    def run(self, text: str, accept: str, limits: Limits, offset: int = 0) -> Answer:
        """Fork, answer in the child, kill it past the time limit."""
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_answer_once, args=(child, self.engine, text, accept,
                                                      limits.rows, offset), daemon=True)
        proc.start()
        child.close()
        try:
            if parent.poll(limits.seconds):
                answer = parent.recv()
                proc.join(1)
                return answer
            return over_time(limits)
        except EOFError:
            return LOST
        finally:
            if proc.is_alive():
                proc.kill()  # unlike os.kill, a no-op once another thread reaped it
                proc.join(1)
            parent.close()

    def close(self) -> None:
        """Nothing to stop: each query's process ends with it."""


def _answer_once(conn: Connection, engine: Engine, text: str, accept: str, rows: int,
                 offset: int) -> None:
    conn.send(execute(engine, text, accept, rows, offset))


def make_handler(runner: Runner, library: dict[str, NamedQuery], limits: Limits,
                 tables: Path | None = None) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one runner (and the evidence tables' folder, if any)."""
    index: list[Names] = []  # every node's names, read once on first use

    def run_json(text: str, rows: int | None = None) -> dict:
        """A SELECT answered by the runner as SPARQL JSON; QueryError when it fails."""
        cost = limits if rows is None else replace(limits, rows=rows)
        status, _ctype, body, _h = runner.run(text, "application/sparql-results+json", cost)
        if status != 200:
            raise QueryError(body.decode("utf-8", errors="replace"))
        return json.loads(body)

    def names() -> Names:
        if not index:
            rows = run_json(NAMES_QUERY.read_text(encoding="utf-8"), rows=1_000_000)
            index.append(Names(Named(b["node"]["value"], b["class"]["value"],
                                     b["name"]["value"], b.get("label", {}).get("value"))
                               for b in rows["results"]["bindings"]))
        return index[0]

    class Handler(BaseHTTPRequestHandler):
        server_version = "dti-kg"
        sys_version = ""
        timeout = 60  # seconds a client may stay silent mid-request before it is dropped
        wbufsize = -1  # headers and body leave in one write, not two small ones

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet by default: one line per request on stderr only when asked."""
            if os.environ.get("KG_SERVE_LOG"):
                super().log_message(format, *args)

        def send(self, status: int, ctype: str, body: bytes,
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{ctype}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for k, v in {**SECURITY_HEADERS, **(headers or {})}.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path in {"/", "/index.html"}:
                self.send(200, "text/html", PAGE.read_bytes())
            elif url.path in {"/queries", "/.well-known/queries"}:
                data = [{"name": q.name, "description": q.description,
                         "params": [p.__dict__ for p in q.params], "query": q.text}
                        for q in library.values()]
                self.send(200, "application/json", json.dumps(data, indent=1).encode())
            elif url.path.startswith("/tables/"):
                self.send(*table_download(tables, url.path[len("/tables/"):]))
            elif url.path.startswith("/queries/"):
                self.named(url.path[len("/queries/"):], parse_qs(url.query))
            elif url.path == "/node":
                self.node(parse_qs(url.query).get("iri", [""])[0])
            elif url.path == "/sparql":
                params = parse_qs(url.query)
                if "update" in params:
                    self.refuse_update()
                elif "query" not in params:
                    self.send(400, "text/plain", b"missing 'query' parameter")
                else:
                    self.answer(params.pop("query")[0], query_args=params)
            else:
                self.send(404, "text/plain", b"not found")

        def do_POST(self) -> None:
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if length < 0:
                self.close_connection = True
                self.send(400, "text/plain", b"bad Content-Length")
                return
            if length > limits.body_bytes:
                self.close_connection = True
                self.send(413, "text/plain",
                          f"request body over {limits.body_bytes} bytes".encode())
                self.discard_body(length)
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            url = urlparse(self.path)
            args = {k: v for k, v in parse_qs(url.query).items() if k in {"limit", "offset"}}
            if url.path != "/sparql":
                self.send(404, "text/plain", b"not found")
                return
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                self.refuse_update()
            elif ctype == "application/sparql-query":
                self.answer(body, query_args=args)
            elif ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body)
                if "update" in form:
                    self.refuse_update()
                elif "query" not in form:
                    self.send(400, "text/plain", b"missing 'query' in the form")
                else:
                    for key in ("limit", "offset"):
                        if key in form:
                            args[key] = form[key]
                    self.answer(form["query"][0], query_args=args)
            else:
                self.send(415, "text/plain", b"use application/sparql-query or "
                          b"application/x-www-form-urlencoded")

        def discard_body(self, length: int) -> None:
            """Read a refused body, else the close resets the connection and the 413 is lost."""
            left = min(length, DRAIN_BYTES)
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    return
                left -= len(chunk)

        def named(self, name: str, params: dict[str, list[str]]) -> None:
            """Run a named query with its parameters from the URL (``?drug=drug:sorafenib``).

            ``format=csv`` (or json, xml, tsv) overrides the Accept header, so a plain link
            downloads a CSV.
            """
            query = library.get(name)
            if query is None:
                self.send(404, "text/plain", f"no named query {name!r}; see /queries".encode())
                return
            page = {k: params.pop(k) for k in ("limit", "offset") if k in params}
            fmt = params.pop("format", [""])[0]
            mime = SELECT_FORMATS.get(fmt) if fmt else None
            if fmt and mime is None:
                self.send(400, "text/plain", f"unknown format {fmt!r}".encode())
                return
            try:  # a drug, disease, target, study ... may be given by name, as on the CLI
                values = resolve_params(query.params, {k: v[0] for k, v in params.items()},
                                        names)
                text = query.bind(values)
            except QueryError as exc:
                self.send(400, "text/plain", str(exc).encode())
                return
            extra = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'} \
                if fmt == "csv" else {}
            url_args = {**params, **({"format": [fmt]} if fmt else {}), **page}
            self.answer(text, accept=mime, extra=extra, query_args=url_args, fixed=True)

        def node(self, value: str) -> None:
            """``/node?iri=``: what a node states and what points at it, as a page."""
            iri = node_iri(value)
            if iri is None:
                self.send(400, "text/plain", f"iri={value!r}: give an IRI or a CURIE the tool "
                          "prints (study:mission)".encode())
                return
            try:
                page = node_page(iri, run_json)
            except QueryError as exc:
                self.send(503, "text/plain", str(exc).encode())
                return
            self.send(200, "text/html", page.encode())

        def refuse_update(self) -> None:
            self.send(403, "text/plain", b"updates are refused: this endpoint is read-only")

        def answer(self, text: str, accept: str | None = None,
                   extra: dict[str, str] | None = None,
                   query_args: dict[str, list[str]] | None = None,
                   fixed: bool = False) -> None:
            """Run a query: the page asked for (``limit``, ``offset``), within the row limit.

            A cut page links to the next (``Link: <...>; rel="next"``); ``fixed``: the URL
            names the query (``/queries/NAME``), else the link repeats the query text.
            """
            args = dict(query_args or {})
            try:
                limit, offset = check_page(args.get("limit", [None])[0],
                                           args.get("offset", [None])[0])
            except QueryError as exc:
                self.send(400, "text/plain", str(exc).encode())
                return
            cost = limits if limit is None or limit >= limits.rows else replace(limits, rows=limit)
            try:
                status, ctype, body, headers = runner.run(
                    text, accept or self.headers.get("Accept", ""), cost, offset)
                if status == 200:
                    headers = {**headers, **(extra or {})}
                    if "X-Next-Offset" in headers:
                        headers["Link"] = next_link(
                            urlparse(self.path).path, args, None if fixed else text,
                            headers["X-Next-Offset"])
            except Exception as exc:  # a bug, not the query's fault: one line, no traceback
                print(f"error: query failed in the server: {type(exc).__name__}: {exc}",
                      file=sys.stderr, flush=True)
                status, ctype, body, headers = 500, "text/plain", b"internal error", {}
            self.send(status, ctype, body, headers)

    return Handler


def table_download(folder: Path | None, name: str) -> tuple[int, str, bytes]:
    """``/tables/``: the evidence tables as JSON; ``/tables/NAME``: one file of that folder."""
    from kg.export.tables import load_specs

    present = {p.name: p for p in folder.iterdir()} if folder and folder.is_dir() else {}
    if not name:
        listing = [{"file": s.csv_name, "description": s.description} for s in load_specs()
                   if s.csv_name in present]
        return 200, "application/json", json.dumps(listing, indent=1).encode()
    if name not in present:  # only names listed in the folder: no path ever reaches open()
        return 404, "text/plain", b"no such table (build the graph: kg build)"
    ctype = {".csv": "text/csv", ".md": "text/markdown"}.get(present[name].suffix,
                                                              "application/octet-stream")
    return 200, ctype, present[name].read_bytes()


class EndpointServer(ThreadingHTTPServer):
    """A thread per connection, a deep listen backlog, and quiet about clients that leave."""

    daemon_threads = True
    request_queue_size = 1024  # socketserver's 5 drops connections under a burst of clients

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up or stalled is not an error; anything else gets one line."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        print(f"error: request from {client_address[0]}: {type(exc).__name__}: {exc}",
              file=sys.stderr, flush=True)


def serve(runner: Runner, library: dict[str, NamedQuery], host: str, port: int, limits: Limits,
          ready: Any = None, tables: Path | None = None) -> None:
    """Serve until interrupted; ``ready`` is called with the bound URL once listening."""
    httpd = EndpointServer((host, port), make_handler(runner, library, limits, tables))
    url = f"http://{host}:{httpd.server_address[1]}/"
    if ready is not None:
        ready(url)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
