"""Snapshot a build and every named query's answer, to compare two versions of the code.

A refactoring must not change what the tool writes or answers. Run this before and after and
compare the two folders byte for byte::

    .venv/bin/python -m benchmarks.snapshot /tmp/before
    ... change the code ...
    .venv/bin/python -m benchmarks.snapshot /tmp/after
    diff -r /tmp/before /tmp/after && echo identical

The build report (``build-report.json``) holds timings and the lock file a process id: both
are left out; everything else of
``output/`` is kept, with each named query's CSV answer under ``queries/``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from kg.query.library import load_library

TIMED = ("build-report.json",)  # holds seconds per stage: differs on every run


def snapshot(folder: Path) -> None:
    """Build into ``folder/output`` and write ``folder/queries/NAME.csv`` for every named query."""
    if folder.exists():
        shutil.rmtree(folder)
    out = folder / "output"
    kg = [sys.executable, "-m", "kg"]
    subprocess.run([*kg, "build", "--out", str(out), "--quiet", "--no-cache"], check=True)
    for name in TIMED:
        (out / name).unlink(missing_ok=True)
    (folder / "output.lock").unlink(missing_ok=True)  # the build lock: holds a process id
    queries = folder / "queries"
    queries.mkdir()
    for name in sorted(load_library()):
        proc = subprocess.run([*kg, "query", name, "--format", "csv", "--graph",
                               str(out / "graph.trig")], capture_output=True, check=True)
        (queries / f"{name}.csv").write_bytes(proc.stdout)


def main() -> None:
    """Take a snapshot into the folder given."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path)
    snapshot(p.parse_args().folder)


if __name__ == "__main__":
    main()
