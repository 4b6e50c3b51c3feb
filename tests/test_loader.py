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


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("        count: 10\n", "        count: 50\n", "count: 50 is above its denominator 40"),
    ("        value: 25\n", "        value: 35\n", "value: 10/40 is 25.00%, not 35%"),
    ("        ci_low: 3.1\n", "        ci_low: 5.5\n", "ci_low: CI low 5.5 is above CI high 5.0"),
    ("        ci_low: 3.1\n", "        ci_low: 4.5\n", "value: 4.2 lies outside its CI 4.5-5.0"),
    ("        value: 25\n", "        value: 125\n", "value: 125% is not between 0 and 100"),
    ("        size: 40\n", "        size: -4\n", "size: must not be negative, got -4"),
    ("    label: Phase II study of examplinib in NSCLC\n",
     "    label: Phase II study of examplinib in NSCLC\n    lable: typo\n", "lable: unknown field"),
    ("        endpoint: pfs\n", "        endpoint: pfs-typo\n",
     "endpoint: unknown endpoint 'pfs-typo' in study 'examplinib-phase2'"),
    ("    target: EGFR\n", "    target: EGFRR\n", "target: unknown target 'EGFRR'"),
    ("    quote: Examplinib was well tolerated.\n", "    quote: Examplinib was badly tolerated.\n",
     "quote: not found in examplinib.txt: 'Examplinib was badly tolerated.'"),
    ("    kind: tolerability\n", "    kind: tolerance\n", "kind: 'tolerance' is not one of"),
    ("      - id: pr-rate\n", "      - id: PR Rate\n", "id: 'PR Rate' must be lower case"),
    ("        statistic: median\n", "", "statistic: required field is missing"),
])
def test_broken_evidence_is_reported_with_file_and_line(mini_copy: Path, old: str, new: str,
                                                        expected: str):
    problems = problems_after(mini_copy, old, new)
    assert any(expected in p for p in problems), problems
    assert all(p.split(":")[1].isdigit() for p in problems), problems


def test_all_problems_are_reported_at_once(mini_copy: Path):
    path = mini_copy / EVIDENCE
    text = path.read_text().replace("        count: 10\n", "        count: 50\n")
    text = text.replace("    target: EGFR\n", "    target: NOPE\n")
    path.write_text(text)
    with pytest.raises(InputError) as exc:
        load_corpus(mini_copy)
    fields = sorted(p.split(": ")[1] for p in exc.value.problems)
    assert fields == ["count", "target", "value"], exc.value.problems


def test_problem_points_at_the_field_line(mini_copy: Path):
    problems = problems_after(mini_copy, "        count: 10\n", "        count: 50\n")
    lines = (mini_copy / EVIDENCE).read_text().splitlines()
    count_problem = next(p for p in problems if ": count: " in p)
    line = int(count_problem.split(":")[1])
    assert lines[line - 1].strip() == "count: 50"


def test_yaml_syntax_error_names_the_line(mini_copy: Path):
    problems = problems_after(mini_copy, "claims:\n", "claims: [\n")
    assert len(problems) == 1
    assert "examplinib.yaml:" in problems[0] and "syntax" in problems[0]


def test_duplicate_key_is_an_error(mini_copy: Path):
    problems = problems_after(mini_copy, "    label: examplinib was well tolerated\n",
                              "    label: a\n    label: b\n")
    assert any("duplicate key 'label'" in p for p in problems)


def test_bad_curie_in_identifier_table(mini_copy: Path):
    problems = problems_after(mini_copy, "HGNC:3236", "HGNC:EGFR", Path("identifiers.yaml"))
    assert any("'HGNC:EGFR'" in p and "does not match the HGNC pattern" in p for p in problems)


def test_unknown_identifier_key(mini_copy: Path):
    problems = problems_after(mini_copy, "identifiers: EGFR", "identifiers: EGFR2",
                              Path("entities.yaml"))
    assert any("'EGFR2' is not a key of section 'targets'" in p for p in problems)


def test_checksum_mismatch_is_reported(mini_copy: Path):
    text = mini_copy / "texts" / "examplinib.txt"
    text.write_text(text.read_text() + "edited\n")
    with pytest.raises(InputError) as exc:
        load_corpus(mini_copy)
    assert any("offsets would not match the text" in p for p in exc.value.problems)


def test_missing_sources_folder(tmp_path: Path):
    with pytest.raises(InputError, match="problem"):
        load_corpus(tmp_path / "nope")
