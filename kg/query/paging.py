"""Pages of a SELECT answer, cut inside the engine so that a page of a large answer costs little.

Pages are asked for by ``kg query --limit N --offset M``, ``g.query(..., limit=, offset=)`` and
``/queries/NAME?limit=&offset=`` (and ``/sparql``).

A page is cut inside the engine, not after it: when the query's end allows it (no LIMIT, OFFSET
or trailing VALUES of its own) ``LIMIT N+1 OFFSET M`` is appended to the text, so the engine
hands over at most one row more than the page (that row only says whether a next page exists).
Otherwise the engine's rows before the offset are skipped unconverted. The named list queries
end in ORDER BY, so consecutive pages never overlap or skip; an ad-hoc query without ORDER BY
pages in the engine's order, which is stable for one loaded graph but not promised by SPARQL.
"""

from __future__ import annotations

import re

from kg.query.errors import QueryError
from kg.query.text import strip_literals

_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)
_OWN_SLICE = re.compile(r"\b(LIMIT|OFFSET|VALUES)\b", re.IGNORECASE)


def check(limit: object, offset: object) -> tuple[int | None, int]:
    """Validated ``(limit, offset)``; QueryError for a negative or non-integer value.

    Values may come as text (a URL, the command line) or as Python numbers.
    """
    return _number("limit", limit, allow_none=True), _number("offset", offset) or 0


def _number(name: str, value: object, allow_none: bool = False) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        return 0
    if isinstance(value, bool):
        raise QueryError(f"{name} must be a whole number of rows, not {value!r}")
    if isinstance(value, int):
        n = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        n = int(value)
    else:
        raise QueryError(f"{name} must be a whole number of rows (0 or more), not {value!r}")
    if n < 0:
        raise QueryError(f"{name} must be 0 or more, not {n}")
    return n


def paged_text(sparql: str, limit: int | None, offset: int) -> str | None:
    """The query with the page appended as LIMIT/OFFSET, or None when its end does not allow it.

    One row more than the page is asked for, to tell whether a next page exists.
    """
    if limit is None and not offset:
        return sparql
    bare = strip_literals(sparql)
    form = _FORM.search(bare)
    if form is None or form.group(1).upper() != "SELECT":
        return None
    end = bare.rfind("}")
    if end < 0 or _OWN_SLICE.search(bare[end + 1:]):
        return None
    slice_ = (f" LIMIT {limit + 1}" if limit is not None else "") + \
        (f" OFFSET {offset}" if offset else "")
    return sparql.rstrip() + "\n" + slice_.strip() + "\n"
