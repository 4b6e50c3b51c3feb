"""Evidence files: every problem reported at once, as file:line: field: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.sources.loader import InputError, load_corpus

EVIDENCE = Path("evidence") / "examplinib.yaml"


def problems_after(root: Path, old: str, new: str, file: Path = EVIDENCE) -> list[str]:
    path = root / file
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as exc:
        load_corpus(root)
    return exc.value.problems


def test_mini_corpus_loads(mini_copy: Path):
    corpus, texts = load_corpus(mini_copy)
    assert [f.document.id for f in corpus.files] == ["examplinib-abstract"]
    assert texts["examplinib-abstract"].text.startswith("Examplinib in lung cancer")


def test_all_problems_are_reported_at_once(mini_copy: Path):
    path = mini_copy / EVIDENCE
    text = path.read_text().replace("        count: 10\n", "        count: 50\n")
    text = text.replace("    target: EGFR\n", "    target: NOPE\n")
    path.write_text(text)
    with pytest.raises(InputError) as exc:
        load_corpus(mini_copy)
    fields = sorted(p.split(": ")[1] for p in exc.value.problems)
    # the count disagrees with its percentage and with its quote: both are reported
    assert fields == ["count", "count", "target", "value"], exc.value.problems


def test_problem_points_at_the_field_line(mini_copy: Path):
    problems = problems_after(mini_copy, "        count: 10\n", "        count: 50\n")
    lines = (mini_copy / EVIDENCE).read_text().splitlines()
    count_problem = next(p for p in problems if ": count: " in p)
    line = int(count_problem.split(":")[1])
    assert lines[line - 1].strip() == "count: 50"


def test_missing_sources_folder(tmp_path: Path):
    with pytest.raises(InputError, match="problem"):
        load_corpus(tmp_path / "nope")
