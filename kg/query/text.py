"""Blank the parts of a SPARQL text that are not syntax, so simple scans cannot be fooled.

Keyword checks (updates refused), prefix scans (prefixes declared for the user) and term scans
(unknown-term warnings) must not read a keyword, a prefix or a term inside a string or a comment.
Blanking keeps every offset, so a position found in the blanked text is the same in the original.
"""

from __future__ import annotations

import functools
import re

_LONG_STRING = re.compile(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'')
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENT = re.compile(r"#[^\n]*")


def _blank(match: re.Match[str]) -> str:
    """The match with every character but line breaks replaced by a space."""
    return re.sub(r"[^\n]", " ", match.group(0))


@functools.lru_cache(maxsize=512)  # the same named queries come back again and again
def blank_strings(query: str) -> str:
    """The query with string literals and comments blanked (IRIs kept), offsets unchanged."""
    out = []
    pos = 0
    scanner = re.compile(f"{_LONG_STRING.pattern}|{_STRING.pattern}|{_IRI.pattern}|#[^\\n]*")
    for m in scanner.finditer(query):
        out.append(query[pos:m.start()])
        token = m.group(0)
        out.append(token if token.startswith("<") else _blank(m))
        pos = m.end()
    out.append(query[pos:])
    return "".join(out)


@functools.lru_cache(maxsize=512)
def strip_literals(query: str) -> str:
    """The query with comments, string literals and IRIs blanked, for keyword checks."""
    return _IRI.sub(_blank, blank_strings(query))
