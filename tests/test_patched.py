"""Turtle and JSON-LD patched from the last build's files equal the files written whole.

Unit cases on made-up blocks (a changed block, a tampered last file, subjects added and
removed, an empty file), then builds of a 10x synthetic corpus: after a changed number, a
study label, a removed and an added document, the cached build's files equal a clean
``--no-cache`` build's byte for byte, and the edits that keep the subjects were patched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cache import BuildCache
from kg.export import patched
from kg.export.patched import LastFiles
from tests.test_cache import snapshot
from tests.test_pieces import edit_number, run_build

HEAD, SEP, TAIL = b"[head]\n", b",\n", b"\n[tail]\n"


def frame(n: int) -> tuple[bytes, bytes, bytes]:
    """A JSON-LD-like frame: another head and tail around no blocks."""
    return (HEAD, SEP, TAIL) if n else (b"[]", b"", b"")


def whole(blocks: dict[str, bytes]) -> bytes:
    """The file written from every block."""
    head, sep, tail = frame(len(blocks))
    return head + sep.join(blocks[s] for s in sorted(blocks)) + tail


def write(out: Path, blocks: dict[str, bytes], keys: dict[str, bytes],
          asked: list[set[str]]) -> LastFiles:
    """One build's write of ``out/f.txt`` (the last one's is there), its state kept."""
    cache = BuildCache(out)
    last = LastFiles(cache, "files-test.pickle")
    tmp = out.parent / "tmp.txt"

    def make(missing: set[str]) -> dict[str, bytes]:
        asked.append(set(missing))
        return {s: blocks[s] for s in missing}

    last.write("f", tmp, out / "f.txt", keys, make, sorted, frame)
    last.save()
    tmp.replace(out / "f.txt")
    cache.record("fp")
    return last


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "output"
    folder.mkdir()
    return folder


def blocks_of(n: int) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Made-up blocks of ``n`` subjects (of several lengths, non-ASCII among them)."""
    blocks = {f"s{i:03d}": f"block {i} {'é' * (i % 5)}".encode() for i in range(n)}
    return blocks, {s: s.encode() + b"@1" for s in blocks}


@pytest.mark.parametrize("stride", [7, 4096])
def test_a_changed_block_is_patched_and_equals_the_whole_file(out: Path, stride: int,
                                                              monkeypatch):
    monkeypatch.setattr(patched, "STRIDE", stride)  # blocks joined a few at a time, or all
    blocks, keys = blocks_of(40)
    asked: list[set[str]] = []
    first = write(out, blocks, keys, asked)
    assert first.patched == [] and asked == [set(blocks)]
    assert (out / "f.txt").read_bytes() == whole(blocks)
    for s in ("s000", "s017", "s039"):  # the first, one inside, the last
        blocks[s] = b"a longer block than before " + s.encode()
        keys[s] = s.encode() + b"@2"
    asked.clear()
    second = write(out, blocks, keys, asked)
    assert second.patched == ["f"] and asked == [{"s000", "s017", "s039"}]
    assert (out / "f.txt").read_bytes() == whole(blocks)
    blocks["s017"] = b"short"  # and again, from the patched file's own layout
    keys["s017"] = b"@3"
    asked.clear()
    assert write(out, blocks, keys, asked).patched == ["f"] and asked == [{"s017"}]
    assert (out / "f.txt").read_bytes() == whole(blocks)
    asked.clear()
    assert write(out, blocks, keys, asked).patched == ["f"] and asked == []
    assert (out / "f.txt").read_bytes() == whole(blocks)


def test_a_touched_last_file_is_not_patched(out: Path):
    blocks, keys = blocks_of(10)
    write(out, blocks, keys, [])
    touched = (out / "f.txt").read_bytes().replace(b"block 3", b"block 9")
    (out / "f.txt").write_bytes(touched)  # same length, other bytes
    blocks["s005"], keys["s005"] = b"new", b"@2"
    asked: list[set[str]] = []
    assert write(out, blocks, keys, asked).patched == []
    assert asked == [set(blocks)]  # nothing of that file was trusted
    assert (out / "f.txt").read_bytes() == whole(blocks)


def test_added_and_removed_subjects_reuse_the_unchanged_blocks(out: Path, monkeypatch):
    monkeypatch.setattr(patched, "STRIDE", 5)
    blocks, keys = blocks_of(12)
    write(out, blocks, keys, [])
    del blocks["s004"], keys["s004"]
    blocks["s004b"], keys["s004b"] = b"added between", b"@new"
    blocks["s100"], keys["s100"] = b"added last", b"@new"
    blocks["s007"], keys["s007"] = b"changed", b"@2"
    asked: list[set[str]] = []
    assert write(out, blocks, keys, asked).patched == []
    assert asked == [{"s004b", "s100", "s007"}]
    assert (out / "f.txt").read_bytes() == whole(blocks)
    asked.clear()
    assert write(out, {}, {}, asked).patched == [] and asked == []  # every subject gone
    assert (out / "f.txt").read_bytes() == b"[]"


def test_an_edit_changing_most_blocks_writes_them_whole(out: Path, monkeypatch):
    blocks, keys = blocks_of(8)
    write(out, blocks, keys, [])
    for s in ("s001", "s002", "s003"):
        blocks[s], keys[s] = b"x" + blocks[s], b"@2"
    monkeypatch.setattr(patched, "LARGE", 0.25)
    asked: list[set[str]] = []
    assert write(out, blocks, keys, asked).patched == []  # 3 of 8: past a quarter
    assert asked == [{"s001", "s002", "s003"}]  # the others still read from the last file
    assert (out / "f.txt").read_bytes() == whole(blocks)


def test_edits_of_a_corpus_patch_the_files_and_equal_a_clean_build(
        synthetic: Path, tmp_path: Path, monkeypatch):
    from benchmarks.builds import edit_one

    src = tmp_path / "src"
    shutil.copytree(synthetic, src)
    out = tmp_path / "warm" / "output"
    seen: list[list[str]] = []
    save = LastFiles.save

    def noted(self: LastFiles) -> None:
        seen.append(list(self.patched))
        save(self)

    monkeypatch.setattr(LastFiles, "save", noted)
    run_build(src, out, "--no-html")
    assert seen == [[]]
    gone = [src / "evidence" / "syn-00001.yaml", src / "texts" / "syn-00001.txt"]
    kept = [path.read_bytes() for path in gone]

    def number(s: Path) -> None:
        edit_number(s, shipped=False)

    def label(s: Path) -> None:
        edit_one(s, 1)

    def remove(s: Path) -> None:
        for path in gone:
            path.unlink()

    def add(s: Path) -> None:
        for path, data in zip(gone, kept, strict=True):
            path.write_bytes(data)

    for name, edit, patch in (("number", number, True), ("study label", label, True),
                              ("removed", remove, False), ("added", add, False)):
        before = (out / "graph.ttl").read_bytes()
        edit(src)
        run_build(src, out, "--no-html", *(["--allow-shrink"] if name == "removed" else []))
        assert (out / "graph.ttl").read_bytes() != before, name
        assert seen[-1] == (["ttl", "jsonld"] if patch else []), name
        clean = tmp_path / name / "output"
        run_build(src, clean, "--no-html", "--no-cache")
        assert snapshot(out) == snapshot(clean), name
