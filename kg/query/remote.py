"""A SPARQL 1.1 Protocol client that answers like the local engines, for shared triple stores.

``kg query --endpoint URL`` and ``kg.open(URL)`` send the same named queries to a store (Oxigraph,
Fuseki, GraphDB, Virtuoso, QLever…) and get back the same :class:`~kg.query.engine.Result`, so
formats, comparisons and the Python API need not know where a query ran. It uses the standard
library (``urllib``): one POST per query, JSON results, nothing to install on the client.

A store that says no gets one line naming the endpoint, its status and what to do, never its
HTML page; credentials (:mod:`kg.query.credentials`) are sent when a store asks. Virtuoso 7's
JSON is read as the standard's: its ``ASK`` table (``__ASK_RETVAL``) as a boolean, its ``1`` and
``0`` booleans as ``true`` and ``false``, and an answer it cut at its row limit
(``X-SPARQL-MaxRows``) is refused rather than passed on as if whole.
"""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException

from kg.query.credentials import PASSWORD_ENV, Auth, Credentials, from_netrc
from kg.query.engine import XSD, QueryError, Result, Term, check_allowed

ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
          "text/plain;q=0.1")
VIRTUOSO_ASK = "__ASK_RETVAL"
BOOLEAN = {"1": "true", "0": "false"}
EXCERPT = 300  # characters of an error body worth showing


@dataclass(frozen=True)
class Response:
    """An HTTP answer reduced to what callers read."""

    status: int
    content_type: str
    body: bytes
    cut_at: str = ""  # X-SPARQL-MaxRows: Virtuoso's row cap, sent when it cut the answer


def _endpoint(url: str) -> str:
    """The URL without its query string: what a message names."""
    return urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()


def _plain(content_type: str, body: bytes) -> str:
    """An error body worth one line: plain text, cut short; an HTML page is never shown."""
    text = body.decode("utf-8", "replace")
    if "html" in content_type.lower() or text.lstrip()[:1] == "<":
        return ""
    return " ".join(text.split())[:EXCERPT]


def refusal(method: str, url: str, status: int, reason: str, detail: str = "",
            auth: Auth | None = None, write: bool | None = None) -> str:
    """One line for a store that said no: which endpoint, its status, and what to do."""
    where, code = _endpoint(url), f"{status} {reason}".strip()
    write = method in {"PUT", "DELETE"} if write is None else write
    host = urllib.parse.urlsplit(url).hostname
    if status == 401 and auth is None:
        return (f"{where} asks who you are ({code}): give --user NAME (password from "
                f"--password-file or {PASSWORD_ENV}) or add a netrc entry for {host}")
    if status == 401 and auth is not None:
        return (f"{where} refused the password of user {auth.user} from "
                f"{auth.credentials.origin} ({code}): check the user name and password")
    if status == 403:
        what = "the push" if write else "the query"
        if write and where.endswith("/sparql-graph-crud"):
            todo = "use the authenticated endpoint /sparql-graph-crud-auth with --user"
        elif auth is not None:
            todo = f"user {auth.user} may not do this here; ask the store's administrator"
        else:
            todo = "the store takes this only from known users: give --user NAME"
        return f"{where} refused {what} ({code}): {todo}"
    if status >= 500:
        return (f"{where} failed ({code})" + (f": {detail}" if detail else "")
                + ": the store's log says why")
    return f"{method} {url}: HTTP {code}" + (f": {detail}" if detail else "")


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 60.0, auth: Auth | None = None, write: bool | None = None) -> Response:
    """One HTTP request; every failure becomes a one-line QueryError a person can act on.

    A 404 is returned rather than raised: for the Graph Store Protocol it means "no such graph".
    With ``auth``, a 401 challenge is answered once; before the first request with a body the
    challenge is fetched with ``HEAD``, so a large body is sent once, already signed.
    """
    if not url.startswith(("http://", "https://")):
        raise QueryError(f"{url}: not an http(s) URL")
    if auth is not None and auth.scheme is None and body and not auth.probed:
        auth.probed = True
        with contextlib.suppress(QueryError):
            _send(Request(method="HEAD", url=url, timeout=timeout, auth=auth, write=write))
    req = Request(method, url, body, headers or {}, timeout, auth, write)
    return _send(req)


@dataclass
class Request:
    """What :func:`http` sends, kept whole so a 401 can be answered by sending it again."""

    method: str
    url: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    auth: Auth | None = None
    write: bool | None = None


def _send(r: Request, retried: bool = False) -> Response:
    headers = dict(r.headers)
    signed = r.auth.header(r.method, r.url) if r.auth is not None else None
    if signed:
        headers["Authorization"] = signed
    req = urllib.request.Request(r.url, data=r.body, method=r.method,  # noqa: S310 (http(s))
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=r.timeout) as resp:  # noqa: S310 (checked)
            return Response(resp.status, resp.headers.get("Content-Type", ""), resp.read(),
                            resp.headers.get("X-SPARQL-MaxRows", ""))
    except urllib.error.HTTPError as exc:
        kind = exc.headers.get("Content-Type", "")
        try:
            text = exc.read()
        except OSError:
            text = b""
        if exc.code == 404:
            return Response(404, kind, text)
        challenge = exc.headers.get_all("WWW-Authenticate") or []
        stale = any("stale=true" in c.replace('"', "").lower() for c in challenge)
        if (exc.code == 401 and r.auth is not None and (not signed or stale) and not retried
                and r.auth.learn(challenge)):
            return _send(r, retried=True)
        if exc.code == 401 and r.auth is not None and challenge and not r.auth.scheme:
            schemes = ", ".join(sorted({c.split()[0] for c in challenge if c.strip()}))
            raise QueryError(f"{_endpoint(r.url)} asks for {schemes} authentication "
                             "(401 Unauthorized); kg speaks Digest and Basic") from None
        raise QueryError(refusal(r.method, r.url, exc.code, exc.reason or "",
                                 _plain(kind, text), r.auth, r.write)) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ConnectionRefusedError):
            why = "connection refused (is the store running, and is the port right?)"
        elif isinstance(reason, socket.gaierror):
            why = f"unknown host ({reason.strerror})"
        elif isinstance(reason, BrokenPipeError | ConnectionResetError):
            why = ("the store closed the connection while the request was sent (it may refuse "
                   "requests of this size, or want credentials: --user)")
        else:
            why = str(reason)
        where = urllib.parse.urlsplit(r.url)
        raise QueryError(f"cannot reach {where.scheme}://{where.netloc}: {why}") from None
    except TimeoutError:
        raise QueryError(f"{r.url}: no answer within {r.timeout:g} s") from None
    except (ConnectionError, HTTPException) as exc:
        raise QueryError(f"{_endpoint(r.url)}: the connection failed ({exc})") from None


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
    value = binding["value"]
    if datatype == XSD + "boolean":  # Virtuoso writes 1 and 0: the same values, other spelling
        value = BOOLEAN.get(value, value)
    return Term("literal", value, datatype, lang)


def parse_json(data: bytes, limit: int | None = None) -> Result:
    """SPARQL 1.1 Query Results JSON as a Result (rows cut at ``limit``, the cut marked)."""
    doc = json.loads(data)
    if "boolean" in doc:
        return Result("ask", boolean=bool(doc["boolean"]))
    variables = list(doc["head"].get("vars", []))
    if variables == [VIRTUOSO_ASK]:  # Virtuoso 7 answers ASK in JSON as a one-cell table
        cells = doc["results"]["bindings"]
        return Result("ask", boolean=bool(cells) and cells[0][VIRTUOSO_ASK]["value"] not in
                      {"0", "false"})
    rows = [{v: _term(b) for v, b in binding.items()} for binding in doc["results"]["bindings"]]
    truncated = limit is not None and len(rows) > limit
    return Result("select", variables, rows[:limit] if truncated else rows, truncated=truncated)


class EndpointEngine:
    """A remote SPARQL endpoint behind the Engine interface (read-only, like the local ones)."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 60.0,
                 credentials: Credentials | None = None) -> None:
        """Remember the endpoint; nothing is sent until the first query.

        Credentials (given, or a netrc entry for the host) are sent only if the store asks.
        """
        if not url.startswith(("http://", "https://")):
            raise QueryError(f"--endpoint {url!r}: expected an http:// or https:// URL")
        self.url = url
        self.timeout = timeout
        credentials = credentials or from_netrc(url)
        self.auth = Auth(credentials) if credentials else None
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
            self.timeout, self.auth, write=False)
        if resp.status == 404:
            raise QueryError(f"POST {self.url}: HTTP 404: no SPARQL endpoint at this URL")
        if resp.cut_at:
            raise QueryError(f"{self.url} cut the answer at {resp.cut_at} rows "
                             "(X-SPARQL-MaxRows); rather no answer than part of one: raise the "
                             "store's limit (Virtuoso: ResultSetMaxRows in virtuoso.ini's "
                             "[SPARQL] section) or page with --limit and --offset")
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
