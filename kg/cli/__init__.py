"""Command-line interface: thin subcommands over the library functions, one module per group.

Errors in the input are reported as one line each (``file:line: field: problem``) with a
non-zero exit and no traceback; a failed or interrupted build leaves ``output/`` as it was.
Each module here adds its subcommands to the parser and runs them: ``build``, ``checks``
(audit, validate), ``draft``, ``vocab``, ``query``, ``store`` (push, serve), ``export``.
Every import of a library module happens inside the command that needs it: start-up matters.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from kg.cli import build, checks, draft, export, query, store, vocab
from kg.cli.common import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_LOCKED,
    EXIT_UNREVIEWED,
    err,
)

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_INVALID", "EXIT_LOCKED",
           "EXIT_UNREVIEWED", "long_lived", "main", "parser", "settle", "write_build_tables",
           "write_outputs"]

# library functions the CLI used to define, importable from here as before (loaded on use)
_MOVED = {"write_outputs": "kg.pipeline", "write_build_tables": "kg.pipeline",
          "long_lived": "kg.pipeline", "settle": "kg.pipeline"}


def __getattr__(name: str) -> object:
    """Import a moved library function lazily (PEP 562), so ``kg query`` never loads the build."""
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'kg.cli' has no attribute {name!r}")


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    p = argparse.ArgumentParser(prog="kg", description="Drug-target-indication evidence graph.")
    sub = p.add_subparsers(dest="command", required=True)
    for add in (build.add_build, checks.add_audit, draft.add_draft, vocab.add_vocab,
                query.add_query, store.add_push, store.add_serve, export.add_export,
                checks.add_validate):
        add(sub)
    return p


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM: clean up as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` command."""
    args = parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate)  # a terminated build cleans up
    try:
        return _run(args)
    finally:  # a caller's own handler again (tests call main in-process, then fork workers)
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command; every failure a user can cause is one line and an exit code."""
    from kg.errors import InputError
    from kg.export.lock import OutputLocked
    from kg.stages import stage_of

    try:
        return int(args.func(args))
    except InputError as exc:
        for problem in exc.problems:
            err(problem)
        err(f"error: {len(exc.problems)} problem(s) in the input; nothing was written")
        return EXIT_INPUT
    except OutputLocked as exc:
        err(f"error: {exc}")
        return EXIT_LOCKED
    except KeyboardInterrupt:
        err("interrupted; output left unchanged")
        return EXIT_INTERRUPTED
    except OSError as exc:
        err(f"error: {exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_INPUT
    except Exception as exc:
        # The last line of defence: a bug must not show users a traceback, and output/ is intact
        # (writes are atomic). Tests call the library, where the exception is not caught; set
        # KG_DEBUG=1 to see the traceback here.
        if os.environ.get("KG_DEBUG"):
            raise
        message = (str(exc).splitlines() or [""])[0]
        err(f"error: internal error in {stage_of(exc, args.command)}: "
            f"{type(exc).__name__}: {message} (please report)")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
