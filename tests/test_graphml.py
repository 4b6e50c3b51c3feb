"""The GraphML patched from the last build's file equals a clean build's; it is checked first.

A 10x synthetic corpus is built with the cache warm and edited: one study's label (its nodes'
blocks are made again, the rest kept from the last file), a damaged last file (written whole),
a document removed and put back (other nodes: written whole). After each, every output file
equals a clean ``--no-cache`` build of the same sources.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kg import cli
from tests.test_cache import snapshot


def _build(src: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert cli.main(["build", "--sources", str(src), "--out", str(out), *extra]) == 0
    return capsys.readouterr().err


def _kept(said: str) -> tuple[int, int] | None:
    found = re.search(r"GraphML: (\d+) of (\d+) nodes kept from the last build", said)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _equals_clean(src: Path, out: Path, tmp_path: Path, name: str) -> None:
    clean = tmp_path / name / "output"
    assert cli.main(["build", "--sources", str(src), "--out", str(clean), "--quiet",
                     "--no-cache"]) == 0
    assert snapshot(out) == snapshot(clean)


def test_an_edit_patches_the_graphml_and_a_damaged_file_is_written_whole(
        synthetic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from benchmarks.builds import edit_one

    src = tmp_path / "src"
    shutil.copytree(synthetic, src)
    out = tmp_path / "warm" / "output"
    assert _kept(_build(src, out, capsys)) is None  # the first build writes it whole
    edit_one(src, 1)
    kept = _kept(_build(src, out, capsys))
    assert kept is not None
    assert kept[1] * 0.9 < kept[0] < kept[1]  # the edited study's nodes made again, only them
    assert "[edit 1]" in (out / "graph.graphml").read_text(encoding="utf-8")
    _equals_clean(src, out, tmp_path, "clean1")

    # the last file changed behind the build's back (same length): not used
    data = bytearray((out / "graph.graphml").read_bytes())
    at = data.index(b"[edit 1]")
    data[at + 6] = ord("9")
    (out / "graph.graphml").unlink()  # a hard link may share it with the cache's view
    (out / "graph.graphml").write_bytes(bytes(data))
    edit_one(src, 2)
    assert _kept(_build(src, out, capsys)) is None
    text = (out / "graph.graphml").read_text(encoding="utf-8")
    assert "[edit 2]" in text and "[edit 9]" not in text
    _equals_clean(src, out, tmp_path, "clean2")


def test_a_removed_and_restored_document_rewrites_the_graphml(
        synthetic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src = tmp_path / "src"
    shutil.copytree(synthetic, src)
    out = tmp_path / "warm" / "output"
    _build(src, out, capsys)
    evidence = sorted((src / "evidence").glob("*.yaml"))[-1]
    text = src / "texts" / f"{evidence.stem}.txt"  # the synthetic corpus names them alike
    kept = evidence.read_bytes(), text.read_bytes()
    before = (out / "graph.graphml").read_bytes()
    evidence.unlink()
    text.unlink()
    assert _kept(_build(src, out, capsys, "--allow-shrink")) is None  # other nodes: whole
    assert (out / "graph.graphml").read_bytes() != before
    _equals_clean(src, out, tmp_path, "removed")
    evidence.write_bytes(kept[0])
    text.write_bytes(kept[1])
    assert _kept(_build(src, out, capsys)) is None
    assert (out / "graph.graphml").read_bytes() == before
    _equals_clean(src, out, tmp_path, "restored")
