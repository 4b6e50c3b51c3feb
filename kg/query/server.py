"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

GET and POST (form-encoded or ``application/sparql-query``), results by ``Accept`` (SPARQL JSON,
XML, CSV, TSV; Turtle, N-Triples or JSON-LD for CONSTRUCT/DESCRIBE), the named queries at
``/queries``, and an offline HTML query editor at ``/``. Updates and ``SERVICE`` are refused
(403), syntax errors get 400 with line and column, request bodies over the limit 413. Each query
runs in a forked child process so that one over the time limit can be stopped (503) without
harming the server; results over the row limit are cut and marked (``X-Result-Truncated``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from kg.query.engine import Engine, QueryError, QueryRefused
from kg.query.formats import GRAPH_FORMATS, SELECT_FORMATS, render_graph, render_select
from kg.query.library import NamedQuery

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


@dataclass
class Limits:
    """What one request may cost."""

    seconds: float = 10.0
    rows: int = 10_000
    body_bytes: int = 1_000_000


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


def run_query(engine: Engine, text: str, accept: str, limits: Limits
              ) -> tuple[int, str, bytes, dict[str, str]]:
    """Execute one query in a child process; return status, content type, body, headers."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def work() -> None:
        try:
            result = engine.query(text, limit=limits.rows)
            if result.kind == "graph":
                fmt = negotiate(accept, ACCEPT_GRAPH, "turtle")
                if fmt is None:
                    child.send((406, "text/plain", b"not acceptable: use text/turtle, "
                                b"application/ld+json or application/n-triples", {}))
                    return
                body = render_graph(result, fmt).encode()
                child.send((200, GRAPH_FORMATS[fmt], body, {}))
                return
            fmt = negotiate(accept, ACCEPT_SELECT, "json")
            if fmt is None:
                child.send((406, "text/plain", b"not acceptable: use SPARQL JSON or XML, "
                            b"text/csv or text/tab-separated-values", {}))
                return
            headers = {"X-Result-Truncated": "true"} if result.truncated else {}
            child.send((200, SELECT_FORMATS[fmt], render_select(result, fmt).encode(), headers))
        except QueryRefused as exc:
            child.send((403, "text/plain", str(exc).encode(), {}))
        except QueryError as exc:
            child.send((400, "text/plain", str(exc).encode(), {}))
        except Exception as exc:
            child.send((500, "text/plain", f"query failed: {exc}".encode(), {}))

    proc = ctx.Process(target=_child_main, args=(work,), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(limits.seconds):
            answer = parent.recv()
            proc.join(1)
            return answer
        return (503, "text/plain",
                f"query stopped: it exceeded the time limit of {limits.seconds:g} s".encode(), {})
    except EOFError:
        return 500, "text/plain", b"query process ended without an answer", {}
    finally:
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGKILL)
            proc.join(1)
        parent.close()


def _child_main(work: Any) -> None:
    work()


def make_handler(engine: Engine, library: dict[str, NamedQuery], limits: Limits
                 ) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one engine."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "dti-kg"
        sys_version = ""

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

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path in {"/", "/index.html"}:
                self.send(200, "text/html", PAGE.read_bytes())
            elif url.path in {"/queries", "/.well-known/queries"}:
                data = [{"name": q.name, "description": q.description,
                         "params": [p.__dict__ for p in q.params], "query": q.text}
                        for q in library.values()]
                self.send(200, "application/json", json.dumps(data, indent=1).encode())
            elif url.path == "/sparql":
                params = parse_qs(url.query)
                if "update" in params:
                    self.refuse_update()
                elif "query" not in params:
                    self.send(400, "text/plain", b"missing 'query' parameter")
                else:
                    self.answer(params["query"][0])
            else:
                self.send(404, "text/plain", b"not found")

        def do_POST(self) -> None:
            url = urlparse(self.path)
            if url.path != "/sparql":
                self.send(404, "text/plain", b"not found")
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                self.send(400, "text/plain", b"bad Content-Length")
                return
            if length > limits.body_bytes:
                self.send(413, "text/plain",
                          f"request body over {limits.body_bytes} bytes".encode())
                self.close_connection = True
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                self.refuse_update()
            elif ctype == "application/sparql-query":
                self.answer(body)
            elif ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body)
                if "update" in form:
                    self.refuse_update()
                elif "query" not in form:
                    self.send(400, "text/plain", b"missing 'query' in the form")
                else:
                    self.answer(form["query"][0])
            else:
                self.send(415, "text/plain", b"use application/sparql-query or "
                          b"application/x-www-form-urlencoded")

        def refuse_update(self) -> None:
            self.send(403, "text/plain", b"updates are refused: this endpoint is read-only")

        def answer(self, text: str) -> None:
            status, ctype, body, headers = run_query(engine, text,
                                                     self.headers.get("Accept", ""), limits)
            self.send(status, ctype, body, headers)

    return Handler


def serve(engine: Engine, library: dict[str, NamedQuery], host: str, port: int, limits: Limits,
          ready: Any = None) -> None:
    """Serve until interrupted; ``ready`` is called with the bound URL once listening."""
    httpd = ThreadingHTTPServer((host, port), make_handler(engine, library, limits))
    httpd.daemon_threads = True
    url = f"http://{host}:{httpd.server_address[1]}/"
    if ready is not None:
        ready(url)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()

