"""Nothing silently lost: emptied or cut-short files, unused texts, and shrinking documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.assemble import build
from kg.export.buildreport import REPORT_FILE, report_json, write_build_report
from kg.paths import SOURCES_DIR
from kg.pipeline import check_build
from kg.sources.loader import InputError, load_corpus

EVIDENCE = Path("evidence") / "examplinib.yaml"


def problems_of(root: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_corpus(root)
    return [p.replace(f"{root}/", "") for p in exc.value.problems]


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A writable copy of the shipped sources."""
    dst = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, dst, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dst


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n"])
def test_an_empty_evidence_file_is_an_error_naming_it(mini_copy: Path, content: str):
    (mini_copy / EVIDENCE).write_text(content)
    assert problems_of(mini_copy) == [
        "evidence/examplinib.yaml:1: document: the file holds no document record (it is empty "
        "or only comments); remove it if the document is meant to go",
        "texts/examplinib.txt:1: text: no evidence file uses this text (no document has text: "
        "examplinib.txt); add its evidence file or remove the text"]


def test_emptying_the_review_is_an_error_not_a_smaller_graph(shipped: Path):
    (shipped / "evidence" / "nsclc-review.yaml").write_text("")
    problems = problems_of(shipped)
    assert problems[0].startswith("evidence/nsclc-review.yaml:1: document: the file holds no "
                                  "document record")
    assert problems[1].startswith("texts/nsclc-sorafenib-review.txt:1: text: no evidence file "
                                  "uses this text")
    assert len(problems) == 2


def test_a_document_without_records_is_an_error(mini_copy: Path):
    path = mini_copy / EVIDENCE
    text = path.read_text()
    path.write_text(text[:text.index("target_interactions:")])  # cut after the document block
    assert problems_of(mini_copy) == [
        "evidence/examplinib.yaml:2: document: 'examplinib-abstract' has no records "
        "(target_interactions, studies, claims or contradictions); was the file cut short?"]


def test_a_file_without_a_document_is_reported_with_the_text_it_leaves_unused(mini_copy: Path):
    path = mini_copy / EVIDENCE
    text = path.read_text()
    path.write_text(text[text.index("target_interactions:"):])
    assert problems_of(mini_copy) == [
        "evidence/examplinib.yaml:1: document: required field is missing",
        "texts/examplinib.txt:1: text: no evidence file uses this text (no document has text: "
        "examplinib.txt); add its evidence file or remove the text"]


def test_a_text_no_evidence_file_uses_is_reported(mini_copy: Path):
    (mini_copy / "texts" / "stray.txt").write_text("A text nobody curated.\n")
    assert problems_of(mini_copy) == [
        "texts/stray.txt:1: text: no evidence file uses this text (no document has text: "
        "stray.txt); add its evidence file or remove the text"]


def test_a_missing_text_is_reported_with_both_file_names(mini_copy: Path):
    (mini_copy / "texts" / "examplinib.txt").unlink()
    assert problems_of(mini_copy) == [
        "evidence/examplinib.yaml:3: document.text: cannot read examplinib.txt: No such file or "
        "directory"]


def test_a_broken_evidence_file_does_not_make_its_text_look_unused(mini_copy: Path):
    path = mini_copy / EVIDENCE
    path.write_text(path.read_text().replace("claims:\n", "claims: [\n", 1))
    problems = problems_of(mini_copy)
    assert len(problems) == 1 and ": syntax: " in problems[0]


@pytest.mark.parametrize(("file", "content", "expect"), [
    ("entities.yaml", "", "entities.yaml:1: sections: expected a mapping of sections, got "
                          "nothing (the file is empty)"),
    ("identifiers.yaml", "- a\n", "identifiers.yaml:1: sections: expected a mapping of sections, "
                                  "got a list"),
])
def test_an_empty_entity_or_identifier_file_is_named_first(mini_copy: Path, file: str,
                                                          content: str, expect: str):
    (mini_copy / file).write_text(content)
    assert problems_of(mini_copy)[0] == expect


# -- the last build's counts --------------------------------------------------------------------


@pytest.fixture
def last_build(shipped: Path, tmp_path: Path) -> Path:
    out = tmp_path / "output"
    out.mkdir()
    write_build_report(build(shipped).report, out / REPORT_FILE)
    return out


def cut_review(sources: Path, keep_lines: int = 66) -> None:
    path = sources / "evidence" / "nsclc-review.yaml"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:keep_lines]))


def test_report_holds_records_and_triples_per_document(last_build: Path):
    data = json.loads((last_build / REPORT_FILE).read_text())
    assert set(data["documents"]) == {"nsclc-review", "santoro-2013"}
    review = data["documents"]["nsclc-review"]
    assert review["file"] == "nsclc-review.yaml"
    assert review["records"] > 300 and review["triples"] > 3000
    assert 0 < data["triples"] <= sum(data["triples_per_graph"].values())
    assert data["triples_per_graph"]["nsclc-review"] == review["triples"]


def previous_records(out: Path, doc: str) -> int:
    return json.loads((out / REPORT_FILE).read_text())["documents"][doc]["records"]


def test_a_document_that_lost_most_records_is_refused(shipped: Path, last_build: Path):
    cut_review(shipped)
    with pytest.raises(InputError) as exc:
        check_build(shipped, last_build, validate=False)
    report = check_build(shipped, last_build, allow_shrink=True, validate=False).result.report
    now = report.documents["nsclc-review"]
    assert exc.value.problems == [
        f"{shipped}/evidence/nsclc-review.yaml:{now.line}: document: 'nsclc-review' has "
        f"{now.records} records, the last build ({last_build / REPORT_FILE}) had "
        f"{previous_records(last_build, 'nsclc-review')}: more than half are gone; if that is "
        "intended, build with --allow-shrink"]


def test_a_document_that_is_gone_is_refused(shipped: Path, last_build: Path):
    (shipped / "evidence" / "santoro-2013.yaml").unlink()
    (shipped / "texts" / "santoro-2013-sarcoma.txt").unlink()
    with pytest.raises(InputError) as exc:
        check_build(shipped, last_build, validate=False)
    assert exc.value.problems == [
        f"{shipped}/evidence/santoro-2013.yaml:1: document: 'santoro-2013' is gone: the last build "
        f"({last_build / REPORT_FILE}) had it with {previous_records(last_build, 'santoro-2013')} "
        "records; if that is intended, build with --allow-shrink"]
    check_build(shipped, last_build, allow_shrink=True, validate=False)


def test_losing_less_than_half_is_accepted(shipped: Path, last_build: Path):
    path = shipped / "evidence" / "nsclc-review.yaml"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:lines.index("contradictions:\n")]))  # drops a few records
    report = check_build(shipped, last_build, validate=False).result.report
    before = previous_records(last_build, "nsclc-review")
    assert before / 2 < report.documents["nsclc-review"].records < before


def test_no_report_means_nothing_to_compare(shipped: Path, tmp_path: Path):
    cut_review(shipped)
    check_build(shipped, tmp_path / "never-built", validate=False)


@pytest.mark.parametrize(("content", "where"), [
    ("{not json", ":1: build report: not JSON"),
    ('{"documents": 3}', ":1: build report: no per-document record counts in it"),
    ('{"documents": {"x": {"file": "x.yaml"}}}', ":1: build report: no per-document"),
])
def test_an_unreadable_report_is_a_problem_not_a_skip(shipped: Path, last_build: Path,
                                                      content: str, where: str):
    (last_build / REPORT_FILE).write_text(content)
    with pytest.raises(InputError) as exc:
        check_build(shipped, last_build, validate=False)
    (problem,) = exc.value.problems
    assert problem.startswith(f"{last_build / REPORT_FILE}{where}")
    assert "--allow-shrink" in problem
    check_build(shipped, last_build, allow_shrink=True, validate=False)


def test_report_json_is_deterministic(shipped: Path):
    assert report_json(build(shipped).report) == report_json(build(shipped).report)
