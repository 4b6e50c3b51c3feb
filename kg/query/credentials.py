"""Who ``kg push`` and ``kg query --endpoint`` are to a store: a user, a password, HTTP auth.

A store that takes writes only from known users (Virtuoso's ``/sparql-graph-crud-auth``, a
GraphDB or Fuseki with security on) asks with ``401`` and a ``WWW-Authenticate`` challenge, in
the Digest (RFC 7616) or Basic (RFC 7617) scheme. The password comes from ``--password-file``,
the ``KG_STORE_PASSWORD`` variable, a prompt on a terminal, or a netrc entry for the host, never
from the command line, where other users of the machine could read it.

Digest is answered here rather than by urllib's ``HTTPDigestAuthHandler`` for one reason: that
handler sends every request once without credentials and again after the 401, and a store that
closes the connection on its 401 (Virtuoso does) breaks the pipe of a large ``PUT`` half-way.
:class:`Auth` keeps the store's challenge and signs each later request in advance (the nonce
count goes up), and learns the challenge with a body-less ``HEAD`` before the first write.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import netrc
import os
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kg.query.engine import QueryError

PASSWORD_ENV = "KG_STORE_PASSWORD"  # noqa: S105 (the variable's name, not a password)
DIGEST_HASHES = {"MD5": "md5", "MD5-SESS": "md5", "SHA-256": "sha256",
                 "SHA-256-SESS": "sha256"}


@dataclass(frozen=True)
class Credentials:
    """A user name and password, and where they came from (named in messages, never shown)."""

    user: str
    password: str = field(repr=False)
    origin: str = "--user"


def netrc_path() -> Path:
    """The netrc file: ``$NETRC`` if set, else ``~/.netrc`` (as curl and requests read it)."""
    return Path(os.environ.get("NETRC") or Path.home() / ".netrc")


def from_netrc(url: str, user: str | None = None) -> Credentials | None:
    """The netrc entry for the URL's host (and for ``user``, when one is given), if any."""
    path = netrc_path()
    if not path.is_file():
        return None
    try:
        entries = netrc.netrc(str(path))
    except netrc.NetrcParseError as exc:
        raise QueryError(f"{exc.filename}:{exc.lineno}: {exc.msg}") from None
    except OSError as exc:
        raise QueryError(f"{path}: cannot read: {exc.strerror}") from None
    found = entries.authenticators(urllib.parse.urlsplit(url).hostname or "")
    if found is None or not found[0] or (user is not None and found[0] != user):
        return None
    return Credentials(found[0], found[2] or "", f"{path}")


def read_password_file(path: Path) -> str:
    """The first line of a password file, without its line ending."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"--password-file {path}: cannot read: {exc.strerror}") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise QueryError(f"--password-file {path}:1: the first line is empty; it should hold "
                         "the password")
    return lines[0]


def resolve(url: str, user: str | None = None, password_file: Path | None = None,
            prompt: bool | None = None) -> Credentials | None:
    """The credentials for a store, from the flags, the environment, a prompt or netrc.

    Without ``--user`` a netrc entry for the host is used if there is one, else none (the
    store may not need any). With ``--user``, the password comes from ``--password-file``,
    ``KG_STORE_PASSWORD``, the user's netrc entry, or a prompt when stdin is a terminal.
    """
    if user is None:
        if password_file is not None:
            raise QueryError("--password-file needs --user NAME")
        return from_netrc(url)
    if password_file is not None:
        return Credentials(user, read_password_file(password_file), "--password-file")
    if os.environ.get(PASSWORD_ENV):
        return Credentials(user, os.environ[PASSWORD_ENV], PASSWORD_ENV)
    entry = from_netrc(url, user)
    if entry is not None:
        return entry
    if prompt if prompt is not None else sys.stdin.isatty():
        return Credentials(user, getpass.getpass(f"password for {user} at {url}: "), "prompt")
    raise QueryError(f"--user {user}: no password: give --password-file FILE, set "
                     f"{PASSWORD_ENV}, or add a netrc entry for "
                     f"{urllib.parse.urlsplit(url).hostname} ({netrc_path()})")


def _h(algorithm: str, text: str) -> str:
    return hashlib.new(DIGEST_HASHES[algorithm], text.encode(), usedforsecurity=False).hexdigest()


class Auth:
    """Credentials for one store and the challenge it last sent (shared by a push's requests)."""

    def __init__(self, credentials: Credentials) -> None:
        """Nothing is known of the store's scheme until its first 401."""
        self.credentials = credentials
        self.scheme: str | None = None
        self.challenge: dict[str, str] = {}
        self.count = 0
        self.probed = False  # asked for the challenge before a first large request

    @property
    def user(self) -> str:
        """The user name, for messages."""
        return self.credentials.user

    def learn(self, headers: list[str]) -> bool:
        """Take the Digest (preferred) or Basic challenge of a 401; False if there is none."""
        schemes: dict[str, dict[str, str]] = {}
        for header in headers:
            scheme, _, params = header.strip().partition(" ")
            items = urllib.request.parse_http_list(params)
            schemes[scheme.lower()] = urllib.request.parse_keqv_list(
                [i for i in items if "=" in i])
        for scheme in ("digest", "basic"):
            if scheme in schemes:
                algorithm = schemes[scheme].get("algorithm", "MD5").upper()
                if scheme == "digest" and algorithm not in DIGEST_HASHES:
                    continue
                self.scheme, self.challenge, self.count = scheme, schemes[scheme], 0
                return True
        return False

    def header(self, method: str, url: str) -> str | None:
        """The Authorization header for one request, or None before the first challenge."""
        user, password = self.credentials.user, self.credentials.password
        if self.scheme == "basic":
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            return f"Basic {token}"
        if self.scheme != "digest":
            return None
        ch = self.challenge
        algorithm = ch.get("algorithm", "MD5").upper()
        parts = urllib.parse.urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        self.count += 1
        nc, cnonce = f"{self.count:08x}", os.urandom(8).hex()
        ha1 = _h(algorithm, f"{user}:{ch.get('realm', '')}:{password}")
        if algorithm.endswith("-SESS"):
            ha1 = _h(algorithm, f"{ha1}:{ch['nonce']}:{cnonce}")
        ha2 = _h(algorithm, f"{method}:{uri}")
        qop = "auth" if "auth" in [q.strip() for q in ch.get("qop", "").split(",")] else None
        digest = (_h(algorithm, f"{ha1}:{ch['nonce']}:{nc}:{cnonce}:{qop}:{ha2}") if qop else
                  _h(algorithm, f"{ha1}:{ch['nonce']}:{ha2}"))
        fields = [f'username="{user}"', f'realm="{ch.get("realm", "")}"',
                  f'nonce="{ch["nonce"]}"', f'uri="{uri}"', f'response="{digest}"',
                  f"algorithm={algorithm}"]
        if "opaque" in ch:
            fields.append(f'opaque="{ch["opaque"]}"')
        if qop:
            fields += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        return "Digest " + ", ".join(fields)
