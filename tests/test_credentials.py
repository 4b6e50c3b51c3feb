"""Credentials for shared stores: where the password comes from, Digest and Basic, refusals.

The HTTP side runs against a small made-up store on 127.0.0.1 (the standard library's
``http.server``) that wants Basic auth and answers its refusals with HTML pages, so the
one-line messages are tested without any real store; tests/test_virtuoso.py does the same
against Virtuoso's Digest auth.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.query import credentials
from kg.query.credentials import Auth, Credentials, resolve
from kg.query.engine import QueryError
from kg.query.remote import http

HTML = b"<html><head><title>Forbidden</title></head><body><h1>No</h1></body></html>"


def test_digest_answers_the_rfc_2617_example(monkeypatch):
    # RFC 2617 section 3.5: Mufasa, "Circle Of Life", qop=auth, cnonce 0a4f113b
    monkeypatch.setattr(credentials.os, "urandom", lambda n: bytes.fromhex("0a4f113b"))
    auth = Auth(Credentials("Mufasa", "Circle Of Life"))
    assert auth.learn(['Digest realm="testrealm@host.com", qop="auth,auth-int", '
                       'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
                       'opaque="5ccc069c403ebaf9f0171e9517f40e41"'])
    header = auth.header("GET", "http://www.nowhere.org/dir/index.html")
    assert header is not None and header.startswith("Digest ")
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert "nc=00000001" in header and 'uri="/dir/index.html"' in header
    assert "nc=00000002" in auth.header("GET", "http://www.nowhere.org/dir/index.html") or ""


def test_basic_is_taken_when_digest_is_not_offered():
    auth = Auth(Credentials("ann", "pw"))
    assert auth.header("GET", "http://h/") is None  # nothing before the store asks
    assert auth.learn(['Basic realm="store"'])
    assert auth.header("GET", "http://h/") == "Basic " + base64.b64encode(b"ann:pw").decode()
    assert not Auth(Credentials("ann", "pw")).learn(['Bearer realm="x"'])


def test_the_password_comes_from_file_then_environment_then_netrc(tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine store.example login ann password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.delenv("KG_STORE_PASSWORD", raising=False)
    url = "http://store.example:8890/sparql-graph-crud-auth"
    secret = tmp_path / "pw"
    secret.write_text("from-file\nignored\n", encoding="utf-8")
    assert resolve(url, "ann", secret) == Credentials("ann", "from-file", "--password-file")
    monkeypatch.setenv("KG_STORE_PASSWORD", "from-env")
    assert resolve(url, "ann") == Credentials("ann", "from-env", "KG_STORE_PASSWORD")
    monkeypatch.delenv("KG_STORE_PASSWORD")
    assert resolve(url, "ann") == Credentials("ann", "from-netrc", str(netrc))
    assert resolve(url) == Credentials("ann", "from-netrc", str(netrc))  # netrc alone
    assert resolve("http://elsewhere.example/") is None  # no entry: no credentials


def test_a_user_without_a_password_is_told_where_to_put_one(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    monkeypatch.delenv("KG_STORE_PASSWORD", raising=False)
    with pytest.raises(QueryError, match="--user bob: no password: give --password-file FILE"):
        resolve("http://h:1/x", "bob", prompt=False)
    monkeypatch.setattr(credentials.getpass, "getpass", lambda prompt: "typed")
    assert resolve("http://h:1/x", "bob", prompt=True) == Credentials("bob", "typed", "prompt")
    with pytest.raises(QueryError, match="--password-file needs --user"):
        resolve("http://h:1/x", None, tmp_path / "pw")


def test_bad_password_files_and_netrc_files_name_file_and_line(tmp_path, monkeypatch):
    empty = tmp_path / "pw"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"pw:1: the first line is empty"):
        resolve("http://h/", "ann", empty)
    with pytest.raises(QueryError, match=r"missing: cannot read"):
        resolve("http://h/", "ann", tmp_path / "missing")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine h login ann password x\nbogus-token here\n", encoding="utf-8")
    monkeypatch.setenv("NETRC", str(netrc))
    with pytest.raises(QueryError, match=rf"^{netrc}:2: "):
        resolve("http://h/")


class _Store(BaseHTTPRequestHandler):
    """A made-up store: Basic auth for ann/pw, HTML refusals, one plain-text failure."""

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, code: int, body: bytes = b"", kind: str = "text/html",
               extra: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/open"):
            return self._reply(403, HTML)
        if self.path.startswith("/broken"):
            return self._reply(500, HTML)
        if self.path.startswith("/plain"):
            return self._reply(503, b"store is  read-only\nfor maintenance", "text/plain")
        good = "Basic " + base64.b64encode(b"ann:pw").decode()
        if self.headers.get("Authorization") != good:
            return self._reply(401, HTML, extra={"WWW-Authenticate": 'Basic realm="kg"'})
        return self._reply(204)

    def do_HEAD(self) -> None:
        self._reply(401, extra={"WWW-Authenticate": 'Basic realm="kg"'})

    def do_GET(self) -> None:
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"ann:pw").decode():
            return self._reply(401, HTML, extra={"WWW-Authenticate": 'Basic realm="kg"'})
        return self._reply(404)


@pytest.fixture(scope="module")
def stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _error(fn) -> str:
    with pytest.raises(QueryError) as exc:
        fn()
    return str(exc.value)


def test_basic_credentials_are_sent_and_refusals_are_one_plain_line(stub):
    body = b"<urn:x:a> <urn:x:b> <urn:x:c> .\n"
    ok = http("PUT", f"{stub}/auth?graph=g", body, auth=Auth(Credentials("ann", "pw")))
    assert ok.status == 204
    msg = _error(lambda: http("PUT", f"{stub}/auth?graph=g", body))
    assert msg.startswith(f"{stub}/auth asks who you are (401 Unauthorized): give --user NAME")
    wrong = Auth(Credentials("ann", "nope", "--password-file"))
    assert _error(lambda: http("PUT", f"{stub}/auth?graph=g", body, auth=wrong)) == (
        f"{stub}/auth refused the password of user ann from --password-file (401 "
        "Unauthorized): check the user name and password")
    assert _error(lambda: http("PUT", f"{stub}/open?graph=g", body)) == (
        f"{stub}/open refused the push (403 Forbidden): the store takes this only from known "
        "users: give --user NAME")
    msgs = [_error(lambda p=p: http("PUT", f"{stub}/{p}?graph=g", body))
            for p in ("broken", "plain")]
    assert msgs == [f"{stub}/broken failed (500 Internal Server Error): the store's log says why",
                    f"{stub}/plain failed (503 Service Unavailable): store is read-only for "
                    "maintenance: the store's log says why"]
    assert all("<" not in m and "\n" not in m for m in msgs)


def test_the_push_command_takes_user_and_password_file(stub, tmp_path, built_output, capsys):
    from kg.cli import main

    secret = tmp_path / "pw"
    secret.write_text("pw\n", encoding="utf-8")
    trig = str(built_output / "graph.trig")
    code = main(["push", f"{stub}/auth", "--graph", trig, "--user", "ann",
                 "--password-file", str(secret)])
    out, err = capsys.readouterr()
    assert code == 0 and err == "" and f"to {stub}/auth in" in out
    code = main(["push", f"{stub}/auth", "--graph", trig])
    out, err = capsys.readouterr()
    assert code == 1 and err.startswith(f"error: {stub}/auth asks who you are (401")
