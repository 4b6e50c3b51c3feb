"""libyaml's loader with its one-pass builder reads every file as the pure-Python loader does."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kg.paths import SOURCES_DIR
from kg.sources.yamlfile import LIBYAML, FastLoader, LineDict, PyLoader, parse_yaml

pytestmark = pytest.mark.skipif(not LIBYAML, reason="PyYAML was built without libyaml")

SAMPLES = [
    "a: &x [1, 2]\nb: *x\n",  # an alias: the same list
    "base: &x {k: 1}\nmerged:\n  <<: *x\n  b: 2\n",  # a merge key
    "a: &a {k: 1, j: 1}\nb: &b {k: 2, m: 2}\nc: &c {<<: [*a, *b], j: 3}\nd: {<<: *c, z: 0}\n",
    "1: a\n01: b\n",  # two spellings of one key: the last wins, as in PyYAML
    "k: 2013-04-01\nf: 1.50\nb: yes\nn: ~\nt: !!binary aGVsbG8=\ni: 0x1f\nu: 1_000\nc: .inf\n",
    "- {id: a, quote: \"x: y\"}\n- [1, [2, [3]]]\n- ''\n",
]
BAD = ["a: 1\na: 2\n", "x: !!int abc\n", "x: !foo 1\n", "? [1, 2]\n: x\n", "a: {<<: 1}\n",
       "a: &a [1]\nb: {<<: [*a]}\n"]


def _deep(v: Any) -> Any:
    if isinstance(v, LineDict):
        return ("map", v.line, sorted(v.key_lines.items()), [(k, _deep(x)) for k, x in v.items()])
    if isinstance(v, list):
        return [_deep(x) for x in v]
    return (type(v).__name__, v)


@pytest.mark.parametrize("text", SAMPLES + [
    p.read_text(encoding="utf-8") for p in (SOURCES_DIR / "identifiers.yaml",
                                            SOURCES_DIR / "entities.yaml",
                                            *sorted((SOURCES_DIR / "evidence").glob("*.yaml")))])
def test_same_values_and_lines(text: str) -> None:
    """Values, types, key order and every line number agree with the pure-Python loader."""
    assert _deep(yaml.load(text, Loader=FastLoader)) == _deep(yaml.load(text, Loader=PyLoader))  # noqa: S506


@pytest.mark.parametrize("text", BAD)
def test_same_refusals(text: str) -> None:
    """What PyYAML's constructor refuses, the fast loader refuses with the same message."""
    with pytest.raises(yaml.YAMLError) as fast:
        yaml.load(text, Loader=FastLoader)  # noqa: S506
    with pytest.raises(yaml.YAMLError) as slow:
        yaml.load(text, Loader=PyLoader)  # noqa: S506
    assert fast.value.problem == slow.value.problem  # type: ignore[attr-defined]


def test_alias_is_one_object() -> None:
    """An alias gives the very object of its anchor, as PyYAML's constructor does."""
    data = yaml.load(SAMPLES[0], Loader=FastLoader)  # noqa: S506
    assert data["a"] is data["b"]


def test_plain_documents_take_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain document (merge keys too) never reaches PyYAML's constructor; a tag does."""
    def refuse(self: object, node: object) -> None:
        raise AssertionError("PyYAML's constructor was used")

    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_document", refuse)
    assert yaml.load(SAMPLES[5], Loader=FastLoader)[0]["quote"] == "x: y"  # noqa: S506
    assert yaml.load(SAMPLES[2], Loader=FastLoader)["c"] == {"k": 1, "j": 3, "m": 2}  # noqa: S506
    with pytest.raises(AssertionError, match="constructor was used"):
        yaml.load("a: !!set {x}\n", Loader=FastLoader)  # noqa: S506


@pytest.mark.parametrize("text", [
    "a: &x {k: 1}\nb: {<<: *x, k: 2}\nc: !!set {q}\n",  # merged, then left to PyYAML
    "b: {<<: {[1]: 2}}\n",  # a merged key that is no text
])
def test_after_a_merge_read_afresh(text: str) -> None:
    """Once a merge has changed the nodes, what the one pass cannot build is read afresh."""
    try:
        want: Any = _deep(yaml.load(text, Loader=PyLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        with pytest.raises(yaml.YAMLError) as got:
            parse_yaml(text)
        assert got.value.problem == exc.problem  # type: ignore[attr-defined]
    else:
        assert _deep(parse_yaml(text)) == want
