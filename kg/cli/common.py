"""What every command shares: exit codes and how it writes to stderr and stdout."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

EXIT_INPUT = 1
EXIT_INVALID = 2
EXIT_UNREVIEWED = 3  # kg draft --check: records still marked drafted
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: a bug, not the input
EXIT_LOCKED = 75  # sysexits EX_TEMPFAIL: another build holds the output folder; try again later
EXIT_INTERRUPTED = 130


def err(msg: str) -> None:
    """One line on stderr, flushed at once (progress and problems interleave with stdout)."""
    print(msg, file=sys.stderr, flush=True)


def to_stdout(write: Callable[[], None]) -> int:
    """Write to stdout; a reader that stops early (``| head``) ends the command quietly."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush must not fail
        os.close(devnull)
    return 0
