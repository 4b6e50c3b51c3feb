"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

GET and POST (form-encoded or ``application/sparql-query``), results by ``Accept`` (SPARQL JSON,
XML, CSV, TSV; Turtle, N-Triples or JSON-LD for CONSTRUCT/DESCRIBE), the named queries at
``/queries``, and an offline HTML query editor at ``/``. Updates and ``SERVICE`` are refused
(403), syntax errors get 400 with line and column, request bodies over the limit 413. Queries run
in a pool of long-lived worker processes (`WorkerPool`), so that one over the time limit can be
stopped (503, its worker killed and replaced) without a fork per query and without harming the
server; results over the row limit are cut and marked (``X-Result-Truncated``).

The work is split by job: ``routes`` (which URL gets what), ``answers`` (formats, pages, status),
``workers`` (the pool) and ``pages`` (editor, tables); this module is the HTTP server itself.
"""

from __future__ import annotations

import sys
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.query.answers import Limits
from kg.query.library import NamedQuery
from kg.query.pages import table_download
from kg.query.routes import make_handler
from kg.query.workers import ForkPerQuery, Runner, WorkerPool, default_workers

__all__ = ["EndpointServer", "ForkPerQuery", "Limits", "Runner", "WorkerPool",
           "default_workers", "make_handler", "serve", "table_download"]


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
