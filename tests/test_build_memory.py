"""What kg build does to stay small and fast gives the very files a plain write gives.

The CLI's build computes the answer tables on its store in the store thread (no second store),
and drops its quads once the views' index holds them; ``write_outputs`` called plainly (as the
tests and the API do) does neither. Both must write the same bytes.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from kg.assemble import build
from kg.pipeline import check_build, give_back_memory, write_outputs
from tests.conftest import MINI


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("html", [False, True])
def test_threaded_and_released_build_writes_the_same_files(tmp_path: Path, html: bool):
    plain, cli = tmp_path / "plain", tmp_path / "cli"
    plain.mkdir()
    cli.mkdir()
    write_outputs(build(MINI), plain, html=html)
    checked = check_build(MINI, background=True)
    result = checked.result
    write_outputs(result, cli, html=html, checked=checked, release=html)
    assert not checked.violations
    want, got = _files(plain), _files(cli)
    assert (cli / "answers" / "index.json").is_file()
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], f"{name} differs"
    assert not filecmp.dircmp(plain, cli).diff_files
    if html:  # released: a later use of the quads fails instead of seeing an empty graph
        assert result.graphs is None
        with pytest.raises(AttributeError):
            result.triples  # noqa: B018


def test_release_graphs_keeps_other_views_working():
    result = build(MINI)
    n = len(result.triples)
    assert n > 0
    trig = result.trig
    result.release("trig", "graphs")
    assert result.make_trig is None and result.pieces is None
    with pytest.raises(AttributeError):
        result.union()
    assert trig  # what was made before stays the caller's
    give_back_memory()  # harmless wherever it runs


def test_trig_text_is_dropped_once_written_and_loaded():
    result = build(MINI)
    trig = result.trig
    result.trig_written()  # written, but the store is not loaded yet: the text is kept for it
    assert result._trig is trig
    n = len(result.store)
    assert n > 0 and result._trig is None  # loaded: dropped
    assert result.trig == trig  # asked for again, made again, the same bytes


def test_trig_text_is_dropped_when_written_after_the_store_loaded():
    result = build(MINI)
    trig = result.trig
    result.store  # noqa: B018
    assert result._trig is trig  # not written yet: kept
    result.trig_written()
    assert result._trig is None
    assert result.trig == trig


def test_released_union_is_made_again_the_same():
    result = build(MINI)
    before = result.triples
    result.release("union")
    assert "triples" not in result.__dict__
    again = result.triples
    assert again == before and again is not before
