"""Two builds into the same output folder: the second is refused at once, nothing interleaves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from kg.export.lock import lock_path
from tests.conftest import MINI
from tests.test_atomic import build, snapshot, wait_for_written_temp


def kg_build(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", "build", "--sources", str(MINI), "--out",
                           str(out), "--quiet"], capture_output=True, text=True, timeout=300,
                          check=False)


def test_a_second_build_is_refused_while_the_first_writes(tmp_path: Path):
    out = tmp_path / "output"
    assert kg_build(out).returncode == 0
    before = snapshot(out)
    first = build(MINI, out, pause=30)  # holds the lock, paused just before its swap
    try:
        wait_for_written_temp(out)
        second = kg_build(out)
        assert second.returncode == 75, second.stderr
        assert second.stderr == (f"error: another kg build is writing {out} (pid {first.pid}); "
                                 f"wait for it or remove {lock_path(out)}\n")
        assert snapshot(out) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            ".output.tmp-" + str(first.pid), "output", "output.lock"]  # nothing of the second
    finally:
        first.send_signal(signal.SIGINT)
    assert first.wait(30) == 130
    assert snapshot(out) == before
    assert kg_build(out).returncode == 0  # released when the first ended


def test_a_killed_build_does_not_leave_a_stale_lock(tmp_path: Path):
    out = tmp_path / "output"
    first = build(MINI, out, pause=30)
    wait_for_written_temp(out)
    first.kill()
    first.wait(30)
    assert lock_path(out).read_text().strip() == str(first.pid)
    proc = kg_build(out)
    assert proc.returncode == 0, proc.stderr
    assert lock_path(out).read_text().strip() != str(first.pid)
    assert os.path.exists(out / "graph.ttl")
