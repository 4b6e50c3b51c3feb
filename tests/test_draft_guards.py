"""What the rules for real abstracts must not do: made-up sentences a second reader wrote.

Each rule that reads a new form (generic groups, totals without a verb, counts in each arm,
values carried from the sentence before, a single arm) was tried on ordinary sentences it must
leave alone; each case here drafted something false, or crashed, before it was guarded.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.draft import draft_paper
from kg.sources.loader import load_evidence_file
from tests.test_draft import sources_with

A = "Patients were randomly assigned to examplinib or erlotinib. "


def study(tmp_path: Path, text: str, add_names: bool = False):
    paper = tmp_path / "p.txt"
    paper.write_text(text)
    report = draft_paper(paper, sources_with(tmp_path), add_names=add_names)
    (s,) = load_evidence_file(report.evidence, []).studies
    return s


def test_generic_groups_in_wrapped_text_and_a_spaced_title_draft_without_a_crash(tmp_path: Path):
    s = study(tmp_path, "Title: Effect of telephone  coaching on adherence\n\nWomen were "
              "randomised to an intervention group or a control group. The intervention\ngroup "
              "received telephone\ncoaching. Adherence was 80% in the intervention group and "
              "60% in the control group.\n", add_names=True)
    assert len(s.arms) == 2


@pytest.mark.parametrize("body", [
    A + "We randomised 120 patients. Grade 3 rash occurred in 22 patients, 12 in the "
    "examplinib arm and 10 in the erlotinib arm.",
    A + "We randomised 120 patients. Forty patients in the examplinib group were withdrawn "
    "because of rash. Thirty patients in the erlotinib group were withdrawn because of rash.",
])
def test_event_counts_are_no_arm_sizes(tmp_path: Path, body: str):
    s = study(tmp_path, f"Title: t\n\n{body}\n")
    assert not [p for p in s.populations if p.arm], body


@pytest.mark.parametrize("body", [
    A + "Grade 3 rash occurred in 30 patients (12 on examplinib and 18 on erlotinib).",
    A + "Rash occurred in 48 patients randomly assigned to examplinib and in 30 patients "
    "randomly assigned to erlotinib.",
    A + "We randomised 120 patients. A total of 45 patients experienced grade 3 neutropenia.",
    A + "We randomised 120 patients. Ten patients had a partial response and the remaining 40 "
    "patients had stable disease.",
    A + "We randomised 120 patients. Twelve patients developing rash were treated with topical "
    "steroids.",
])
def test_patients_with_an_event_are_no_total(tmp_path: Path, body: str):
    s = study(tmp_path, f"Title: t\n\n{body}\n")
    assert {p.size for p in s.populations if p.size} <= {120}, body


@pytest.mark.parametrize("body", [
    # the sentence before names an arm but reports nothing; this one is about everyone
    A + "In the examplinib arm, rash was the most common event. The objective response rate in "
    "all 120 patients was 25%.",
    # "a" is no arm called "(A)"
    "Patients were randomly assigned to examplinib (A) or erlotinib (B). Rash was rare in a few "
    "patients; the overall response rate was 25%.",
])
def test_a_whole_study_value_stays_off_the_arms(tmp_path: Path, body: str):
    s = study(tmp_path, f"Title: t\n\n{body}\n")
    assert [(r.arm, r.value) for r in s.results if r.value == Decimal("25")] == [(None, 25)]


def test_a_single_arm_keeps_to_its_own_patients(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nSixty patients were treated with examplinib and compared "
              "with 40 historical controls. Four (10%) of the 40 historical controls had "
              "infections.\n")
    assert not [r for r in s.results if r.arm]
    # a drug given before, in an exclusion, is no arm: the arm is what all patients received
    (tmp_path / "2").mkdir()
    s = study(tmp_path / "2", "Title: t\n\nPatients who had received prior erlotinib were "
              "excluded. All patients received examplinib.\n")
    assert [a.regimen for a in s.arms] == [("examplinib",)]


def test_a_group_size_in_brackets_is_no_count(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\n" + A + "The objective response rate was 25% (n = 60) "
              "with examplinib and 10% (n = 58) with erlotinib.\n")
    assert {(r.arm, r.value, r.count) for r in s.results} == {
        ("examplinib", Decimal("25"), None), ("erlotinib", Decimal("10"), None)}


def test_a_confidence_level_with_a_decimal_is_read_whole(tmp_path: Path):
    # before, "99.9% CI" matched its level at "9%", which is no printed number: a crash
    s = study(tmp_path, "Title: t\n\nWe randomised 600 patients to examplinib or erlotinib. "
              "Progression-free survival was longer with examplinib (HR, 0.81; 99.9% CI, 0.60 "
              "to 1.09).\n")
    (c,) = [c for c in s.comparisons if c.estimate is not None]
    assert (c.estimate, c.ci_low, c.ci_high, c.ci_level) == (
        Decimal("0.81"), Decimal("0.60"), Decimal("1.09"), Decimal("0.999"))


def test_with_or_without_something_no_name_reads_drafts_without_a_crash(tmp_path: Path):
    # before, "with or without" followed by no name the lexicon or the words give crashed the
    # draft (a look-up of no name)
    s = study(tmp_path, "Title: t\n\nWomen were randomized to a booster dose with or without "
              "12 Gy.\n", add_names=True)
    assert s.id
