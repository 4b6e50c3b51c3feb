"""Name the stage of a build that an unexpected error came from, without hiding the error.

A bug must never reach a user as a traceback, but it must reach the tests unchanged. So the
library does not catch or wrap anything: ``stage`` only notes on the exception where it passed
through (the innermost stage wins), and the CLI's last line of defence prints that name in its
one-line ``internal error in <stage>`` message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

_ATTR = "kg_stage"


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Run a block; an exception leaving it is re-raised as is, remembering ``name``."""
    try:
        yield
    except Exception as exc:
        if not hasattr(exc, _ATTR):
            with suppress(AttributeError):  # an exception type with __slots__ stays unnamed
                setattr(exc, _ATTR, name)
        raise


def stage_of(exc: BaseException, default: str) -> str:
    """The innermost stage an exception passed through, or ``default``."""
    return str(getattr(exc, _ATTR, default))
