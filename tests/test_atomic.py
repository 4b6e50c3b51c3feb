"""Nothing lost: interrupted, terminated and killed builds leave the previous output as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.export.atomic import recover, replace_dir, temp_dir
from tests.conftest import MINI


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def build(sources: Path, out: Path, pause: float = 0) -> subprocess.Popen[str]:
    env = {**os.environ, "KG_TEST_PAUSE_BEFORE_SWAP": str(pause)}
    return subprocess.Popen([sys.executable, "-m", "kg", "build", "--sources", str(sources),
                             "--out", str(out), "--quiet"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "output"
    proc = build(MINI, out)
    assert proc.wait(120) == 0, proc.stderr.read() if proc.stderr else ""
    (out / "README.md").write_text("committed readme\n")
    return out, snapshot(out)


@pytest.fixture
def changed(mini_copy: Path) -> Path:
    ent = mini_copy / "entities.yaml"
    ent.write_text(ent.read_text().replace("label: examplinib", "label: examplinib (v2)"))
    return mini_copy


def wait_for_written_temp(out: Path, timeout: float = 60) -> Path:
    deadline = time.time() + timeout
    while time.time() < deadline:
        for tmp in out.parent.glob(f".{out.name}.tmp-*"):
            if (tmp / "graph.graphml").exists():
                return tmp
        time.sleep(0.05)
    raise AssertionError("the build never reached the swap")


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 130)])
def test_interrupted_build_keeps_previous_output(previous, changed: Path, sig: int, code: int):
    out, before = previous
    proc = build(changed, out, pause=30)
    tmp = wait_for_written_temp(out)
    proc.send_signal(sig)
    assert proc.wait(30) == code
    assert "output left unchanged" in (proc.stderr.read() if proc.stderr else "")
    assert snapshot(out) == before
    assert not tmp.exists(), "temporary folder left behind"


def test_killed_build_keeps_previous_output_and_next_build_cleans_up(previous, changed: Path):
    out, before = previous
    proc = build(changed, out, pause=30)
    tmp = wait_for_written_temp(out)
    proc.kill()
    proc.wait(30)
    assert snapshot(out) == before
    assert tmp.exists()  # a killed process cannot clean up ...
    again = build(changed, out)
    assert again.wait(120) == 0
    assert not tmp.exists()  # ... the next build does
    after = snapshot(out)
    assert after["README.md"] == before["README.md"]
    assert b"examplinib (v2)" in after["graph.ttl"]


def test_failed_validation_writes_nothing(previous, changed: Path):
    out, before = previous
    ev = changed / "evidence" / "examplinib.yaml"
    ev.write_text(ev.read_text().replace("        ci_low: 3.1\n", "        ci_low: 6.1\n"))
    proc = build(changed, out)
    assert proc.wait(120) == 1
    assert snapshot(out) == before


def test_replace_dir_swaps_and_keeps_foreign_files(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("keep")
    (out / "graph.ttl").write_text("old")
    (out / "screenshots").mkdir()
    (out / "screenshots" / "a.png").write_bytes(b"png")
    tmp = temp_dir(out)
    (tmp / "graph.ttl").write_text("new")
    replace_dir(tmp, out)
    assert snapshot(out) == {"README.md": b"keep", "graph.ttl": b"new",
                             "screenshots/a.png": b"png"}
    assert not tmp.exists()


def test_files_carried_over_are_linked_and_outlive_the_old_folder(tmp_path: Path):
    out = tmp_path / "out"
    (out / "pages").mkdir(parents=True)
    (out / "pages" / "study.html").write_bytes(b"page")
    (out / "index.html").write_bytes(b"index")
    before = (out / "pages" / "study.html").stat().st_ino
    tmp = temp_dir(out)
    (tmp / "graph.ttl").write_text("new")
    replace_dir(tmp, out, background=False)  # the old folder is gone when this returns
    assert snapshot(out) == {"graph.ttl": b"new", "index.html": b"index",
                             "pages/study.html": b"page"}
    assert (out / "pages" / "study.html").stat().st_ino == before  # linked, not copied


def test_recover_restores_output_lost_between_two_renames(tmp_path: Path):
    out = tmp_path / "out"
    old = tmp_path / ".out.old-99999999"
    old.mkdir()
    (old / "graph.ttl").write_text("previous")
    recover(out)
    assert (out / "graph.ttl").read_text() == "previous"
    assert not old.exists()


def wait_until_gone(pattern: str, parent: Path, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while list(parent.glob(pattern)):
        assert time.time() < deadline, f"{pattern} still there"
        time.sleep(0.05)


def test_old_output_is_renamed_aside_and_deleted_in_the_background(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("old")
    (out / "big").mkdir()
    (out / "big" / "page.html").write_text("old page")
    tmp = temp_dir(out)
    (tmp / "graph.ttl").write_text("new")
    (tmp / "big").mkdir()
    (tmp / "big" / "page.html").write_text("new page")
    replace_dir(tmp, out)
    assert snapshot(out) == {"graph.ttl": b"new", "big/page.html": b"new page"}
    wait_until_gone(".out.trash-*", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_next_build_removes_trash_whose_deleter_died(tmp_path: Path):
    """A deleter killed half-way leaves `.out.trash-<pid>`: the next build clears it first."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("current")
    dead = tmp_path / ".out.trash-99999999"
    (dead / "views").mkdir(parents=True)
    (dead / "views" / "a.html").write_text("half deleted")
    alive = tmp_path / f".out.trash-{os.getppid()}"  # a live process: its deleter is at work
    alive.mkdir()
    tmp = temp_dir(out)
    assert not dead.exists()
    assert alive.exists()
    assert snapshot(out) == {"graph.ttl": b"current"}
    tmp.rmdir()
    alive.rmdir()


def test_a_build_leaves_new_output_and_no_temporary_or_trash_folder(previous, changed: Path):
    out, before = previous
    proc = build(changed, out)
    assert proc.wait(120) == 0
    after = snapshot(out)
    assert after != before and b"examplinib (v2)" in after["graph.ttl"]
    wait_until_gone(f".{out.name}.trash-*", out.parent)
    wait_until_gone(f".{out.name}.tmp-*", out.parent)
