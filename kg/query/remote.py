"""A SPARQL 1.1 Protocol client that answers like the local engines, for shared triple stores.

``kg query --endpoint URL`` and ``kg.open(URL)`` send the same named queries to a store (Oxigraph,
Fuseki, GraphDB, Virtuoso, QLever…) and get back the same :class:`~kg.query.engine.Result`, so
formats, comparisons and the Python API need not know where a query ran. It uses the standard
library (``urllib``): one POST per query, JSON results, nothing to install on the client.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from kg.query.engine import XSD, QueryError, Result, Term, check_allowed

ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
          "text/plain;q=0.1")
EXCERPT = 300  # characters of an error body worth showing


@dataclass(frozen=True)
class Response:
    """An HTTP answer reduced to what callers read."""

    status: int
    content_type: str
    body: bytes


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 60.0) -> Response:
    """One HTTP request; every failure becomes a QueryError a person can act on.

    A 404 is returned rather than raised: for the Graph Store Protocol it means "no such graph".
    """
    if not url.startswith(("http://", "https://")):
        raise QueryError(f"{url}: not an http(s) URL")
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (checked above)
            return Response(resp.status, resp.headers.get("Content-Type", ""), resp.read())
    except urllib.error.HTTPError as exc:
        text = exc.read().decode("utf-8", "replace")
        if exc.code == 404:
            return Response(404, exc.headers.get("Content-Type", ""), text.encode())
        excerpt = " ".join(text.split())[:EXCERPT]
        raise QueryError(f"{method} {url}: HTTP {exc.code} {exc.reason}"
                         + (f": {excerpt}" if excerpt else "")) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            why = "connection refused (is the store running, and is the port right?)"
        elif isinstance(reason, socket.gaierror):
            why = f"unknown host ({reason.strerror})"
        else:
            why = str(reason)
        where = urllib.parse.urlsplit(url)
        raise QueryError(f"cannot reach {where.scheme}://{where.netloc}: {why}") from None
    except TimeoutError:
        raise QueryError(f"{url}: no answer within {timeout:g} s") from None


def _term(binding: dict[str, str]) -> Term:
    """A SPARQL JSON binding as an engine-independent Term (plain strings carry no datatype)."""
    kind = binding["type"]
    if kind == "uri":
        return Term("uri", binding["value"])
    if kind == "bnode":
        return Term("bnode", binding["value"])
    lang = binding.get("xml:lang")
    datatype = None if lang else binding.get("datatype")
    if datatype == XSD + "string":
        datatype = None
    return Term("literal", binding["value"], datatype, lang)


def parse_json(data: bytes, limit: int | None = None) -> Result:
    """SPARQL 1.1 Query Results JSON as a Result (rows cut at ``limit``, the cut marked)."""
    doc = json.loads(data)
    if "boolean" in doc:
        return Result("ask", boolean=bool(doc["boolean"]))
    variables = list(doc["head"].get("vars", []))
    rows = [{v: _term(b) for v, b in binding.items()} for binding in doc["results"]["bindings"]]
    truncated = limit is not None and len(rows) > limit
    return Result("select", variables, rows[:limit] if truncated else rows, truncated=truncated)


class EndpointEngine:
    """A remote SPARQL endpoint behind the Engine interface (read-only, like the local ones)."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        """Remember the endpoint; nothing is sent until the first query."""
        if not url.startswith(("http://", "https://")):
            raise QueryError(f"--endpoint {url!r}: expected an http:// or https:// URL")
        self.url = url
        self.timeout = timeout
        self._checked = False

    def query(self, sparql: str, limit: int | None = None, offset: int = 0) -> Result:
        """Run a query on the store (SPARQL protocol POST); a page is cut by the store."""
        from kg.query.paging import check, paged_text

        limit, offset = check(limit, offset)
        check_allowed(sparql)
        if not self._checked:
            self._check_default_graph()
        paged = paged_text(sparql, limit, offset)
        if paged is not None:
            result = self._send(paged, limit)
        else:  # the query slices itself: cut the page from its answer here
            result = self._send(sparql)
            end = None if limit is None else offset + limit
            result.truncated = end is not None and len(result.rows) > end
            result.rows = result.rows[offset:end]
        result.offset = offset
        return result

    def stream(self, sparql: str, limit: int | None = None, offset: int = 0) -> Result:
        """The answer at once: a remote answer is read whole before it is parsed."""
        return self.query(sparql, limit, offset)

    def _send(self, sparql: str, limit: int | None = None) -> Result:
        body = urllib.parse.urlencode({"query": sparql}).encode()
        resp = http("POST", self.url, body, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT},
            self.timeout)
        if resp.status == 404:
            raise QueryError(f"POST {self.url}: HTTP 404: no SPARQL endpoint at this URL")
        kind = resp.content_type.split(";")[0].strip()
        if kind in {"application/sparql-results+json", "application/json"}:
            try:
                return parse_json(resp.body, limit)
            except (ValueError, KeyError) as exc:
                raise QueryError(f"{self.url}: not a SPARQL JSON result ({exc})") from None
        if kind in {"application/n-triples", "text/plain"}:
            return Result("graph", ntriples=resp.body.decode("utf-8"))
        raise QueryError(f"{self.url}: unexpected answer of type {kind or 'unknown'!r}")

    def _check_default_graph(self) -> None:
        """Named queries read the union of all graphs: say so if the store's default is not it.

        Oxigraph and Fuseki keep a separate, empty default graph unless told otherwise; every
        query would then answer nothing, silently.
        """
        if not self._send("ASK { ?s ?p ?o }").boolean:
            if self._send("ASK { GRAPH ?g { ?s ?p ?o } }").boolean:
                raise QueryError(
                    f"{self.url}: the store's default graph is empty but its named graphs hold "
                    "data; named queries read the union of all graphs: start Oxigraph with "
                    "--union-default-graph (Fuseki: tdb2:unionDefaultGraph true)")
            raise QueryError(f"{self.url}: the store holds no triples; load the graph with "
                             "kg push STORE_URL first")
        self._checked = True
