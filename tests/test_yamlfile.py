"""Reading YAML: both parsers agree, and no bytes make reading crash (kg/sources/yamlfile.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.paths import SOURCES_DIR
from kg.sources.yamlfile import LIBYAML, FastLoader, PyLoader, read_yaml


def lines(data: Any) -> list[tuple[int, tuple[tuple[str, int], ...]]]:
    """Every mapping's line and key lines, depth first."""
    if isinstance(data, dict):
        own = [(data.line, tuple(sorted(data.key_lines.items())))]
        return own + [x for v in data.values() for x in lines(v)]
    if isinstance(data, list):
        return [x for v in data for x in lines(v)]
    return []


@pytest.mark.skipif(not LIBYAML, reason="PyYAML built without libyaml: only one parser to test")
@pytest.mark.parametrize("path", sorted(SOURCES_DIR.rglob("*.yaml")), ids=lambda p: p.name)
def test_both_parsers_read_the_shipped_files_alike(path: Path):
    text = path.read_text(encoding="utf-8")
    slow = yaml.load(text, Loader=PyLoader)  # noqa: S506 - a SafeLoader subclass
    fast = yaml.load(text, Loader=FastLoader)  # noqa: S506 - a CSafeLoader subclass
    assert fast == slow
    assert lines(fast) == lines(slow)


def read(tmp_path: Path, data: bytes) -> tuple[Any, list[str]]:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    problems: list[str] = []
    return read_yaml(path, "f.yaml", problems), problems


@pytest.mark.parametrize(("data", "problem"), [
    (b"a: 1\nb: \xff\n", "f.yaml:2: encoding: not UTF-8 text (byte 0xff); save the file as UTF-8"),
    (b"a: 1\nb: \x1b\n", "f.yaml:2: syntax: character '<U+001B>' is not allowed in YAML"),
    (b"a: 1\nb: !!int abc\n", "f.yaml:2: syntax: cannot read 'abc' as int"),
    (b"a: 1\nb: !!float x\n", "f.yaml:2: syntax: cannot read 'x' as float"),
    (b"a: 1\n[b]: 2\n", "f.yaml:2: syntax: a key must be plain text, not a sequence"),
    (b"a: 1\na: 2\n", "f.yaml:2: syntax: duplicate key 'a'"),
    (b"a: &x [*x]\n", "f.yaml:1: syntax: found unconstructable recursive node"),
    (b"a: [\n- b\n", "f.yaml:2: syntax: expected the node content, but found '-'"),
    (b"[" * 50_000 + b"]" * 50_000, "f.yaml:1: syntax: nested too deeply to read"),
])
def test_unreadable_input_is_one_problem_with_a_line(tmp_path: Path, data: bytes, problem: str):
    assert read(tmp_path, data) == (None, [problem])


def test_dates_stay_text_as_written(tmp_path: Path):
    # a date is never turned into a date object (or rejected): records check its form
    assert read(tmp_path, b"d: 2013-04-01\ne: !!timestamp x\n") == (
        {"d": "2013-04-01", "e": "x"}, [])


def test_nesting_far_deeper_than_any_evidence_file_is_read(tmp_path: Path):
    depth = 50  # (Python's recursion limit stops value construction at about 200)
    data, problems = read(tmp_path, b"a: " + b"[" * depth + b"]" * depth + b"\n")
    assert problems == [] and isinstance(data["a"], list)


def test_special_floats_are_decimals_for_the_loader_to_reject(tmp_path: Path):
    data, problems = read(tmp_path, b"a: .inf\nb: -.Inf\nc: .nan\nd: 1_000.5\n")
    assert problems == []
    assert data["a"] == Decimal("Infinity") and data["b"] == Decimal("-Infinity")
    assert data["c"].is_nan() and data["d"] == Decimal("1000.5")


def test_a_tab_only_libyaml_accepts_is_read(tmp_path: Path):
    data, problems = read(tmp_path, b"label: sorafenib\tplus erlotinib\n")
    assert problems == [] if LIBYAML else len(problems) == 1
    if LIBYAML:
        assert data == {"label": "sorafenib\tplus erlotinib"}
