"""The endpoint's routes: which URL gets which answer (SPARQL, named queries, pages, tables).

One handler class per server, bound to its runner and limits; every query goes to the runner.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from kg.query.answers import ACCEPT_SELECT, Limits, negotiate, next_link, page_headers
from kg.query.engine import QueryError, term_of
from kg.query.formats import SELECT_FORMATS, stream_select
from kg.query.library import NamedQuery
from kg.query.names import NAMES_QUERY, Named, Names, resolve_params
from kg.query.nodepage import node_iri, node_page
from kg.query.pages import PAGE, table_download
from kg.query.paging import check as check_page
from kg.query.workers import Runner

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                               "style-src 'self' 'unsafe-inline'; connect-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
DRAIN_BYTES = 64 * 1024 * 1024  # read at most this much of a refused body (see discard_body)


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
            if self.from_table(text, accept, cost.rows, offset, extra, args, fixed):
                return
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

        def from_table(self, text: str, accept: str | None, rows: int, offset: int,
                       extra: dict[str, str] | None, args: dict[str, list[str]],
                       fixed: bool) -> bool:
            """Stream a named query's precomputed answer (chunked), if it has one; else False.

            The answer tables (`kg.query.answertables`) are read here, in the HTTP thread: no
            worker is needed, the page's size is known before its first row (so the headers
            say it), and the body leaves in pieces as it is written.
            """
            tables = getattr(runner, "tables", None)
            table = tables.get(text) if tables is not None else None
            if table is None:
                return False
            fmt = negotiate(accept or self.headers.get("Accept", ""), ACCEPT_SELECT, "json")
            if fmt not in {"csv", "tsv", "json"}:
                return False  # XML, or nothing acceptable: the runner answers as before
            page = table.rows(term_of, rows, offset)
            pieces = stream_select(page, fmt)
            headers = {**page_headers(page), **(extra or {})}
            if "X-Next-Offset" in headers:
                headers["Link"] = next_link(urlparse(self.path).path, args,
                                            None if fixed else text, headers["X-Next-Offset"])
            self.protocol_version = "HTTP/1.1"  # chunked transfer needs it; closed after
            self.send_response(200)
            self.send_header("Content-Type", f"{SELECT_FORMATS[fmt]}; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            for k, v in {**SECURITY_HEADERS, **headers}.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                for data in (p.encode() for p in pieces):
                    if data:
                        self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            return True

    return Handler


