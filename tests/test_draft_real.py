"""`make bench-draft-real`: the real-abstract scorer run on this checkout, its figures read back.

The corpus lives beside the project (``../shared/corpora/pico``) and is never copied in; without
it the end-to-end test skips and the benchmark says it measured nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import draft_real


def test_the_summary_line_is_read_exactly():
    line = ("pico: recall 10.2% (56/549) precision 36.6% (53/145) side-agnostic recall 24.6% "
            "over 60 abstracts (0 failed)")
    found = draft_real.LAST_LINE.search("table\n" + line + "\n")
    assert found and found["recall"] == "10.2" and found["drafted"] == "145"
    assert found["precision"] == "36.6%"
    empty = draft_real.LAST_LINE.search(line.replace("36.6% (53/145)", "- (0/0)"))
    assert empty and empty["precision"] == "-"
    assert found["n"] == "60" and found["failed"] == "0"


def test_without_the_corpus_nothing_is_measured(tmp_path: Path, capsys):
    assert draft_real.main(["--corpus", str(tmp_path / "none"), "--results",
                            str(tmp_path / "r")]) == 0
    assert "nothing measured" in capsys.readouterr().out
    assert not (tmp_path / "r").exists()


@pytest.mark.skipif(not (draft_real.CORPUS / "score.py").exists(),
                    reason="the real-abstract corpus is not beside the project")
def test_two_real_abstracts_are_drafted_built_and_scored(tmp_path: Path):
    assert draft_real.main(["--limit", "2", "--jobs", "1", "--results", str(tmp_path)]) == 0
    figures = json.loads((tmp_path / "draft-real.json").read_text())
    assert figures["n"] == 2 and figures["failed"] == 0 and figures["key"] > 0
    assert 0 <= figures["recall"] <= 100 and figures["found"] <= figures["key"]
    page = (tmp_path / "draft-real.md").read_text()
    assert "| arm-attributed recall | ≥ 75% |" in page
