"""What a query becomes over HTTP: the format the client accepts, the page, the status.

Runs in the worker processes (``execute``) and in the server (headers of a cut page, the answers
to a query stopped or lost); no sockets here.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from kg.query.engine import Engine, QueryError, QueryRefused, Result, Rows
from kg.query.formats import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    render_graph,
    render_select,
    stream_select,
)

ACCEPT_SELECT = [("application/sparql-results+json", "json"), ("application/json", "json"),
                 ("application/sparql-results+xml", "xml"), ("application/xml", "xml"),
                 ("text/csv", "csv"), ("text/tab-separated-values", "tsv")]
ACCEPT_GRAPH = [("text/turtle", "turtle"), ("application/ld+json", "jsonld"),
                ("application/n-triples", "ntriples")]

Answer = tuple[int, str, bytes, dict[str, str]]  # status, content type, body, extra headers


@dataclass
class Limits:
    """What one request may cost."""

    seconds: float = 10.0
    rows: int = 10_000
    body_bytes: int = 1_000_000
    wait: float = 10.0  # seconds a query may wait for a free worker


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


