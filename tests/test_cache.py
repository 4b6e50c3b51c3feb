"""The build cache: a cached build is byte-identical to a clean one, and never serves stale data.

Each case edits a copy of the mini corpus in one way (a number with its quote and text, a quote,
an entity label, the ontology folder's files are covered by the fingerprint), rebuilds with the
cache warm, and requires the output to equal, file for file, a clean build of the edited sources
in a fresh folder, and to contain the new value.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from kg import cli
from kg.cache import BuildCache, cache_dir, fingerprint
from tests.conftest import MINI

EVIDENCE = "evidence/examplinib.yaml"
TEXT = "texts/examplinib.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file but the cache's own."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != ".cache"}


def kg_build(sources: Path, out: Path, *extra: str) -> int:
    return cli.main(["build", "--sources", str(sources), "--out", str(out), "--quiet",
                     "--no-html", *extra])


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the mini corpus, built once so that the cache holds its evidence file."""
    src = tmp_path / "src"
    shutil.copytree(MINI, src)
    out = tmp_path / "build" / "output"
    assert kg_build(src, out) == 0
    assert list((cache_dir(out) / "documents").glob("*.pickle"))
    return src, out


def clean_build(src: Path, tmp: Path) -> dict[str, bytes]:
    out = tmp / "clean" / "output"
    assert kg_build(src, out, "--no-cache") == 0
    assert not cache_dir(out).exists()
    return snapshot(out)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def reseal(src: Path) -> None:
    """Put the edited text's checksum into its evidence file, as a curator would."""
    digest = hashlib.sha256((src / TEXT).read_bytes()).hexdigest()
    ev = src / EVIDENCE
    lines = [f"  sha256: {digest}" if line.startswith("  sha256:") else line
             for line in ev.read_text(encoding="utf-8").splitlines()]
    ev.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_unchanged_corpus_is_not_built_again_and_a_cached_build_equals_a_clean_one(
        warm: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src, out = warm
    before = snapshot(out)
    capsys.readouterr()
    assert kg_build(src, out) == 0
    assert "is up to date" in capsys.readouterr().out
    assert snapshot(out) == before == clean_build(src, tmp_path)


def test_a_changed_number_shows_up(warm: tuple[Path, Path], tmp_path: Path):
    src, out = warm
    for path in (src / TEXT, src / EVIDENCE):
        replace(path, "survival was 4.2 months", "survival was 4.3 months")
    replace(src / EVIDENCE, "value: 4.2", "value: 4.3")
    reseal(src)
    assert kg_build(src, out) == 0
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "kg:value 4.3" in ttl and "kg:value 4.2" not in ttl
    assert snapshot(out) == clean_build(src, tmp_path)


def test_a_changed_quote_shows_up(warm: tuple[Path, Path], tmp_path: Path):
    src, out = warm
    before = (out / "graph.ttl").read_text(encoding="utf-8")
    assert '"Ten patients (25%) had a partial response."' in before
    endpoint = "\n      - id: pfs\n        type: pfs"  # the pr endpoint's quote, not the result's
    replace(src / EVIDENCE, "quote: Ten patients (25%) had a partial response." + endpoint,
            "quote: had a partial response" + endpoint)
    assert kg_build(src, out) == 0
    assert '"had a partial response"' in (out / "graph.ttl").read_text(encoding="utf-8")
    assert snapshot(out) == clean_build(src, tmp_path)


def test_a_changed_entity_label_shows_up_though_the_evidence_file_came_from_the_cache(
        warm: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src, out = warm
    replace(src / "entities.yaml", "label: examplinib", "label: examplinib (v2)")
    capsys.readouterr()
    assert cli.main(["build", "--sources", str(src), "--out", str(out), "--no-html"]) == 0
    assert "cache: 1 of 1 evidence file(s) unchanged" in capsys.readouterr().err
    assert '"examplinib (v2)"' in (out / "graph.ttl").read_text(encoding="utf-8")
    assert snapshot(out) == clean_build(src, tmp_path)


def test_a_failed_build_writes_no_cache(tmp_path: Path):
    src = tmp_path / "src"
    shutil.copytree(MINI, src)
    replace(src / "entities.yaml", "label: examplinib", "label: ''")
    out = tmp_path / "output"
    assert kg_build(src, out) == 1
    assert not out.exists()


def test_a_touched_output_file_or_another_option_builds_again(warm: tuple[Path, Path],
                                                               capsys: pytest.CaptureFixture[str]):
    src, out = warm
    (out / "graph.ttl").write_text("damaged\n")
    capsys.readouterr()
    assert kg_build(src, out) == 0
    assert "is up to date" not in capsys.readouterr().out
    assert (out / "graph.ttl").read_text() != "damaged\n"
    assert kg_build(src, out, "--no-validate") == 0
    assert "is up to date" not in capsys.readouterr().out


def test_the_fingerprint_covers_every_input_file(tmp_path: Path):
    src = tmp_path / "src"
    shutil.copytree(MINI, src)
    first = fingerprint(src, {})
    for rel in ("entities.yaml", "identifiers.yaml", EVIDENCE, TEXT):
        path = src / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert fingerprint(src, {}) != first, rel
        path.write_bytes(original)
    assert fingerprint(src, {}) == first
    assert fingerprint(src, {"no_html": True}) != first


def test_a_broken_cache_entry_is_parsed_again(warm: tuple[Path, Path], tmp_path: Path):
    src, out = warm
    for entry in (cache_dir(out) / "documents").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    cache = BuildCache(out)
    problems: list[str] = []
    record = cache.evidence_reader()(src / EVIDENCE, problems)
    assert record is not None and problems == [] and (cache.hits, cache.misses) == (0, 1)
    cache.record("after a build")
    again = BuildCache(out)
    assert again.evidence_reader()(src / EVIDENCE, problems) == record
    assert (again.hits, again.misses) == (1, 0)
