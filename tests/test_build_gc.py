"""The cycle collector stays off while ``kg build`` imports and assembles (it found nothing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Runs `kg build --no-html` (which never settles the collector back on) and names every
# collection made inside cmd_build, with the line that triggered it.
PROBE = """
import gc, json, sys, traceback
import kg.cli
seen = []
def watch(phase, info):
    if phase == "start":
        stack = [f.name for f in traceback.extract_stack()]
        if "cmd_build" in stack:
            seen.append([info["generation"], " < ".join(stack[::-1][1:6])])
gc.callbacks.append(watch)
if sys.argv[2] == "off":
    gc.disable()
try:
    kg.cli.main(["build", "--out", sys.argv[1], "--quiet", "--no-cache", "--no-html"])
except SystemExit:
    pass
print(json.dumps([seen, gc.isenabled(), gc.get_freeze_count()]))
"""


def _build(out: Path, collector: str) -> tuple[list, bool, int]:
    got = subprocess.run([sys.executable, "-c", PROBE, str(out), collector],
                         capture_output=True, text=True, check=True)
    assert (out / "graph.trig").is_file()  # the build ran
    seen, enabled, frozen = json.loads(got.stdout.strip().splitlines()[-1])
    return seen, enabled, frozen


def test_no_collection_runs_in_a_build_and_what_it_made_is_not_passed_over_at_exit(
        tmp_path: Path):
    seen, enabled, frozen = _build(tmp_path / "output", "on")
    assert seen == []  # not between the imports and the build (~15 ms), nor after it (~20 ms)
    assert enabled  # the caller's collector is on again
    assert frozen > 50_000  # the build's objects: the exit's collection does not scan them


def test_a_caller_whose_collector_is_off_keeps_it_off(tmp_path: Path):
    seen, enabled, _ = _build(tmp_path / "output", "off")
    assert seen == [] and not enabled
