"""The study's size in the printed forms real abstracts use, each in a sentence of our own.

A total is drafted once, as the root population; sets over fewer patients ("the remaining N",
"N of these patients", "N completed the trial") are analysed sets under it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.draft import draft_paper
from kg.sources.loader import load_evidence_file
from tests.test_draft import sources_with

ARMS = "Patients were randomly assigned to examplinib or erlotinib. "


def sizes(tmp_path: Path, body: str) -> list[tuple]:
    root = sources_with(tmp_path)
    paper = tmp_path / "p.txt"
    paper.write_text(f"Title: t\n\n{body}\n")
    (s,) = load_evidence_file(draft_paper(paper, root).evidence, []).studies
    return sorted((p.kind, p.size or 0, p.arm or "") for p in s.populations)


@pytest.mark.parametrize(("body", "expected"), [
    # a bracket of sizes adding up to the total names it a total, with no verb
    ("Two hundred ten women (104 examplinib and 106 erlotinib) aged over 60 took part. " + ARMS,
     [("randomised", 104, "examplinib"), ("randomised", 106, "erlotinib"),
      ("randomised", 210, "")]),
    # "A total of" opens a total, whatever describes the patients after it
    (ARMS + "A total of 164 older lung cancer patients, all previously treated, took part.",
     [("enrolled", 164, "")]),
    # an adverb, "and", then the verb
    ("Ninety-one patients were prospectively and randomly assigned to examplinib or erlotinib.",
     [("randomised", 91, "")]),
    # "in N women randomly assigned": a total, not a denominator
    ("Falls were counted in 480 older women randomly assigned to examplinib or erlotinib.",
     [("randomised", 480, "")]),
])
def test_totals_in_the_forms_of_real_abstracts(tmp_path: Path, body: str, expected: list):
    assert sizes(tmp_path, body) == expected


def test_fewer_patients_than_the_total_are_an_analysed_set(tmp_path: Path):
    got = sizes(tmp_path / "1", "We enrolled 130 patients. Apart from 4 who withdrew consent, the "
                "remaining 126 patients were randomly assigned to examplinib or erlotinib. "
                "Ninety of these patients (46 in the examplinib group and 44 in the erlotinib "
                "group) had a scan at 12 weeks. 118 patients were assessable for response.")
    # "the remaining 126 patients were randomly assigned": the randomised set beside the
    # enrolled one; "the remaining N were divided into groups" would be an analysed set
    assert ("enrolled", 130, "") in got and ("randomised", 126, "") in got
    assert {(k, n) for k, n, arm in got if not arm and k == "analysed"} == {
        ("analysed", 90), ("analysed", 118)}
    # "among the N eligible patients (a ... and b ...)": an analysed set adding up to its arms
    got = sizes(tmp_path / "2", ARMS + "We randomised 250 patients. Among the 240 eligible "
                "patients (121 patients in the examplinib arm and 119 in the erlotinib arm), "
                "rash was common.")
    assert ("randomised", 250, "") in got and ("analysed", 240, "") in got
    # "the remaining N were divided into groups" after a total: fewer, so an analysed set
    got = sizes(tmp_path / "3", "We enrolled 130 patients. Leaving out 4 who moved away, the "
                "remaining 126 patients were divided into two groups. " + ARMS)
    assert ("enrolled", 130, "") in got and ("analysed", 126, "") in got


def test_arm_sizes_in_a_sentence_each_and_denominators_of_arms_without_one(tmp_path: Path):
    # "Forty patients in the A group were given ...", then "Twenty ... in the control group"
    got = sizes(tmp_path, ARMS + "Sixty patients took part. Forty patients in the examplinib "
                "group were given two doses. Twenty patients in the erlotinib group were given "
                "one dose.")
    assert ("randomised", 40, "examplinib") in got and ("randomised", 20, "erlotinib") in got
    # "in 8 of the 41 patients in the A group": the set that arm's count is over
    got = sizes(tmp_path / "2", ARMS + "Rash occurred in 8 of the 40 patients in the examplinib "
                "group (20.0 percent) and in 3 of the 39 patients in the erlotinib group (7.7 "
                "percent).")
    assert {(k, n, arm) for k, n, arm in got if arm} == {("analysed", 40, "examplinib"),
                                                         ("analysed", 39, "erlotinib")}
    # ... but not when the text says that many were assigned to it: then it is the arm itself
    got = sizes(tmp_path / "4", "Patients were randomly assigned to examplinib or erlotinib. "
                "In the end 150 were assigned to examplinib. Responses were seen in 60 (40%) of "
                "150 patients in the examplinib group and 30 (20%) of 150 patients in the "
                "erlotinib group.")
    assert ("analysed", 150, "examplinib") not in got
