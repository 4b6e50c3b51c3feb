"""Values headed by their arm's label, subgroup sizes per arm, ratios other than hazard ratios.

Made-up papers of our own words: "(TC group=29 out of 106, 27%; AC group=38 out of 106, 36%)",
"relapsed or died: TC, 25 patients (10 deaths); AC, ...", groups lettered "group-A" after
"stratified into", "(23 on TC versus 27 on AC)" after a subgroup's name, "the risk ratio for a
first relapse was 0.62", and a title whose "65 or older" is no second arm.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.draft.armlist import arm_list
from kg.draft.armlists import arm_lists
from tests.test_draft_forms import addon_lexicon, drafted_and_built
from tests.test_draft_guards import study

TC, AC = "docetaxel-cyclophosphamide", "doxorubicin-cyclophosphamide"


def test_values_headed_by_their_arms_label_are_drafted_in_that_arm(tmp_path: Path):
    s = drafted_and_built(tmp_path, "labelled-lists.txt")
    assert [a.id for a in s.arms] == [TC, AC]  # "women aged 65 or older" is no third arm
    rows = {(r.endpoint, r.arm, r.statistic, r.value, r.count, r.denominator) for r in s.results}
    # "(TC group=29 out of 106, 27%; AC group=38 out of 106, 36%; P=0.18) reported ..."
    assert ("good-cosmetic-result", TC, "proportion", Decimal("27"), 29, 106) in rows
    assert ("good-cosmetic-result", AC, "proportion", Decimal("36"), 38, 106) in rows
    # "relapsed or died: TC, 25 patients (10 deaths); AC, 33 patients (17 deaths)"
    assert {("relapsed-or-died", TC, "count", None, 25, None), ("os", TC, "count", None, 10, None),
            ("relapsed-or-died", AC, "count", None, 33, None),
            ("os", AC, "count", None, 17, None)} <= rows
    # "63.2% of the TC group women rated ..., compared to 48.1% of women in the AC group"
    assert ("schedule-convenient", TC, "proportion", Decimal("63.2"), None, None) in rows
    assert ("schedule-convenient", AC, "proportion", Decimal("48.1"), None, None) in rows
    # "12 admissions for a fever in the TC group and 21 such admissions in the AC group"
    assert ("admissions-for-a-fever", TC, "count", None, 12, None) in rows
    assert ("admissions-for-a-fever", AC, "count", None, 21, None) in rows
    # "(94 patients receiving TC [89%]; 90 patients receiving AC [85%]) completed ..."
    assert ("every-planned-cycle", TC, "proportion", Decimal("89"), 94, None) in rows
    assert ("every-planned-cycle", AC, "proportion", Decimal("85"), 90, None) in rows
    # "In women with diabetes (23 on TC versus 27 on AC)": the subgroup's size in each arm
    sizes = {(p.parent, p.arm, p.size) for p in s.populations if p.kind == "subgroup" and p.arm}
    assert sizes == {("women-with-diabetes", TC, 23), ("women-with-diabetes", AC, 27)}
    assert not any(r.count in {23, 27} for r in s.results)  # no counts of "diabetes"
    # "the risk ratio for a first relapse was 0.62 (95% CI, 0.31 to 1.24)", in that subgroup
    (c,) = s.comparisons
    assert (c.measure, c.estimate, c.ci_low, c.ci_high, c.endpoint, c.population) == (
        "risk-ratio", Decimal("0.62"), Decimal("0.31"), Decimal("1.24"), "a-first-relapse",
        "women-with-diabetes")


def test_groups_lettered_with_a_hyphen_after_stratified_into_are_the_arms(tmp_path: Path):
    s = drafted_and_built(tmp_path, "hyphen-groups.txt")
    assert [a.id for a in s.arms] == ["extended-clearance", "limited-clearance"]
    sizes = {(p.arm, p.size) for p in s.populations if p.arm}
    assert sizes == {("extended-clearance", 212), ("limited-clearance", 209)}
    # "overall and relapse-free survival ... were 90.2 and 78.4% for group-A vs 88.9 and 76.7%
    # for group-B": two endpoints sharing "survival", each arm's pair in that order
    rows = {(r.endpoint, r.arm, r.value) for r in s.results}
    assert rows == {("survival-rate-8-year", "extended-clearance", Decimal("90.2")),
                    ("rfs", "extended-clearance", Decimal("78.4")),
                    ("survival-rate-8-year", "limited-clearance", Decimal("88.9")),
                    ("rfs", "limited-clearance", Decimal("76.7"))}


@pytest.mark.parametrize(("text", "items"), [
    ("(A=3 out of 30, 10%; B=6 out of 30, 20%) had X", [("A", 3, 30, 10), ("B", 6, 30, 20)]),
    ("X: AB, 21 patients (9 deaths); CD, 27 patients (13 deaths).", [("AB", 21, None, None),
                                                                      ("CD", 27, None, None)]),
    ("(61 patients receiving AB [88%]; 57 patients receiving CD [85%])",
     [("AB", 61, None, 88), ("CD", 57, None, 85)]),
    ("(median 9 months; 95% CI 7 to 11)", []),  # no labelled items
    ("(A=3 out of 30, 10%) had X", []),  # one item is no list
])
def test_arm_lists_reads_labelled_items(text: str, items: list):
    found = [(x.label, *(int(text[k:].split()[0].strip("%,;[]()")) if k is not None else None
                         for k in (x.count, x.total, x.percent)))
             for _, _, xs in arm_lists(text) for x in xs]
    assert found == items


@pytest.mark.parametrize("text", [
    "Effect of examplinib versus placebo in women who had finished 4 or more years of erlotinib",
    "Examplinib versus placebo given for 2 or 3 cycles after erlotinib",
])
def test_an_amount_with_or_is_no_second_side(text: str):
    assert [r for _, r in arm_list(text, addon_lexicon())] == [["examplinib"], ["placebo"]]


A = "Examplinib versus erlotinib: a randomised trial\n\nPatients were randomly assigned to " \
    "examplinib or erlotinib. "


@pytest.mark.parametrize(("body", "rows"), [
    # "CBR" is the clinical benefit rate
    ("CBR was higher with examplinib than with erlotinib (44.1% v 27.5%).",
     {("dcr", "examplinib", "proportion", Decimal("44.1"), None),
      ("dcr", "erlotinib", "proportion", Decimal("27.5"), None)}),
    # the count of responders in the bracket after a rate
    ("The response rate was 15% (seven PR; 95% CI, 6% to 28%) with examplinib and 9% (four PR; "
     "95% CI, 2% to 20%) with erlotinib.",
     {("rr", "examplinib", "proportion", Decimal("15"), 7),
      ("rr", "erlotinib", "proportion", Decimal("9"), 4)}),
    # a named duration with a leading "total", the median after each arm
    ("Total duration of oral therapy was longer (P =.01) for patients first on examplinib "
     "(median, 13 months) than for patients first on erlotinib (median, 7 months).",
     {("total-duration-of-oral-therapy", "examplinib", "median", Decimal("13"), None),
      ("total-duration-of-oral-therapy", "erlotinib", "median", Decimal("7"), None)}),
    # "the median times needed for ...": an outcome of its own
    ("The median times needed for skin healing were 12 days in the examplinib group and 17 "
     "days in the erlotinib group.",
     {("times-needed-for-skin-healing", "examplinib", "median", Decimal("12"), None),
      ("times-needed-for-skin-healing", "erlotinib", "median", Decimal("17"), None)}),
    # an outcome named up to a comparison sign, after a bracket of "N patients receiving A [x%]"
    ("Most patients (52 patients receiving examplinib [81%]; 47 patients receiving erlotinib "
     "[75%]) exhibited a haemoglobin level > or = 12 g/dL.",
     {("haemoglobin-level", "examplinib", "proportion", Decimal("81"), 52),
      ("haemoglobin-level", "erlotinib", "proportion", Decimal("75"), 47)}),
    # "the proportions of patients ...": no outcome called "proportions"
    ("The proportions of patients needing transfusion were 7% for examplinib and 15% for "
     "erlotinib.", {("needing-transfusion", "examplinib", "proportion", Decimal("7"), None),
                    ("needing-transfusion", "erlotinib", "proportion", Decimal("15"), None)}),
    # a bracket of statistics opened by a long outcome name and each arm's value
    ("Fewer relapses followed examplinib (six-year rates of breast relapse, 0.7 percent with "
     "examplinib and 6.2 percent with erlotinib; P<0.001).",
     {("breast-relapse", "examplinib", "proportion", Decimal("0.7"), None),
      ("breast-relapse", "erlotinib", "proportion", Decimal("6.2"), None)}),
])
def test_more_value_forms_are_drafted_in_their_arms(tmp_path: Path, body: str, rows: set):
    s = study(tmp_path, A + body)
    assert {(r.endpoint, r.arm, r.statistic, r.value, r.count) for r in s.results} == rows


B = "Examplinib versus placebo after surgery: a randomised trial\n\nWe randomly assigned 4,410 " \
    "women to examplinib or placebo. "


@pytest.mark.parametrize(("text", "sizes"), [
    # a side's bracket with its number alone, the other side's with its noun
    ("Lining ablation for polyps: a randomised study\n\nWomen with polyps were randomized to "
     "undergo (12 women) or not undergo (11) concomitant lining ablation.",
     {("concomitant-lining-ablation", "randomised", 12),
      ("no-concomitant-lining-ablation", "randomised", 11)}),
    # a group named in its side's bracket with its size: "(trial group, n = 86)"
    ("Diaries on a tablet for women in breast clinics: a randomised trial\n\nWomen were randomly "
     "assigned to a tablet diary (trial group, n = 46) or a paper diary (usual group, n = 44). "
     "Overall, 72.1% of the trial group women rated the diary easy, compared to 51.3% of women "
     "in the usual group.",
     {("tablet-diary", "randomised", 46), ("paper-diary", "randomised", 44)}),
    # the patients events are counted among are each arm's analysed set
    (B + "At 58 months we counted 301 DFS events among 2,210 women receiving examplinib and 377 "
     "events among 2,198 women receiving placebo.",
     {("examplinib", "analysed", 2210), ("placebo", "analysed", 2198)}),
    # "the N in the A group ... the M in the B group", in an analysis
    (B + "In the diary analyses, the 1,802 in the examplinib group reported more joint pain than "
     "the 1,777 in the placebo group.",
     {("examplinib", "analysed", 1802), ("placebo", "analysed", 1777)}),
])
def test_more_size_forms_give_each_arm_its_set(tmp_path: Path, text: str, sizes: set):
    s = study(tmp_path, text, add_names=True)
    assert {(p.arm, p.kind, p.size) for p in s.populations if p.arm} == sizes


def test_a_single_arm_papers_cohorts_counts_cis_and_marker_pair(tmp_path: Path):
    s = drafted_and_built(tmp_path, "cohort-values.txt")
    rows = {(r.endpoint, r.population, r.statistic, r.value, r.count, r.denominator, r.ci_low,
             r.ci_high) for r in s.results}
    # "54.5% [95% CI, 36.4–71.9] (18 of 33) in cohort 1": its CI in square brackets, its
    # count after them; no value "1" read from "cohort 1"
    assert ("orr", "cohort-1", "proportion", Decimal("54.5"), 18, 33, Decimal("36.4"),
            Decimal("71.9")) in rows
    assert ("orr", "cohort-2", "proportion", Decimal("31.9"), 15, 47, Decimal("19.1"),
            Decimal("47.1")) in rows
    assert ("pfs", "cohort-1", "median", Decimal("9.4"), None, None, Decimal("6.1"),
            Decimal("12.8")) in rows
    assert not any(r.value in {1, 2} for r in s.results)
    # "38.8% (31 of 80 patients; 95% CI 28.1–50.3)"
    assert ("pfs-rate-6-month", "enrolled", "rate", Decimal("38.8"), 31, 80, Decimal("28.1"),
            Decimal("50.3")) in rows
    # "Three patients (4%) had a complete response and 29 (36%) had stable disease"
    assert {(r.endpoint, r.value, r.count) for r in s.results if r.endpoint in {"cr", "sd"}} == {
        ("cr", Decimal("4"), 3), ("sd", Decimal("36"), 29)}
    # "KRAS-mutant tumours (n = 30) ... than those with wild-type tumours (n = 41): 8.8 vs 4.9"
    pops = {p.id: p for p in s.populations}
    pfs = {(pops[r.population].biomarker_status, r.value) for r in s.results
           if r.endpoint == "pfs" and pops[r.population].biomarker}
    assert pfs == {("mutated", Decimal("8.8")), ("not mutated", Decimal("4.9"))}
    # "Grade 3 or 4 neutropenia occurred in 12 of 80 patients (15%)": one adverse event, with
    # its percentage, and no result made of the same numbers
    assert {(e.event, e.grade, e.count, e.denominator, e.percent) for e in s.adverse_events} == {
        ("neutropenia", "3-4", 12, 80, Decimal("15"))}
    assert not any(r.value == 15 for r in s.results)


def test_an_event_beside_a_dose_modification_and_a_threshold(tmp_path: Path):
    s = study(tmp_path, A + "Patients with at least 30% shrinkage went on. Rash occurred in 61% "
              "of the patients receiving examplinib, and 44% of them required a dose reduction.")
    got = {(e.kind, e.event, e.arm, e.percent) for e in s.adverse_events}
    # the rash is an adverse event, the dose reduction its own record; "at least 30%" is neither
    assert got == {("adverse-event", "Rash", "examplinib", Decimal("61")),
                   ("dose-reduction", None, "examplinib", Decimal("44"))}


def test_a_single_arm_papers_responses_subject_group_and_event(tmp_path: Path):
    s = study(tmp_path, "Title: Examplinib in pretreated lung cancer: a phase 2 study\n\nIn this "
              "single-arm phase 2 study, 60 patients received examplinib. The ORR was 45.0% "
              "(27/60), with 4 complete and 23 partial responses. Patients with liver "
              "metastases (n = 22) had an ORR of 31.8% (7/22). Pneumonitis occurred in 6 "
              "patients (10.0%), including one grade 5 event.")
    rows = {(r.endpoint, r.population, r.value, r.count) for r in s.results}
    # "with 4 complete and 23 partial responses": each kind's count, in the one arm
    assert {("cr", "enrolled", None, 4), ("pr", "enrolled", None, 23)} <= rows
    # "Patients with liver metastases (n = 22) had ...": that group's value
    group = next(p for p in s.populations if p.label.startswith("Patients with liver"))
    assert group.size == 22 and ("orr", group.id, Decimal("31.8"), 7) in rows
    # "Pneumonitis occurred in 6 patients (10.0%)": the event before the verb
    assert {(e.event, e.count, e.percent) for e in s.adverse_events} == {
        ("Pneumonitis", 6, Decimal("10.0"))}


def test_safety_counts_in_arm_order_and_a_grade_or_higher(tmp_path: Path):
    s = study(tmp_path, A + "Grade 3 or 4 anaemia occurred in 31 of 152 (20.4%) vs 12 of 149 "
              "(8.1%) treated patients.")
    assert {(e.event, e.grade, e.arm, e.count, e.denominator, e.percent)
            for e in s.adverse_events} == {
        ("anaemia", "3-4", "examplinib", 31, 152, Decimal("20.4")),
        ("anaemia", "3-4", "erlotinib", 12, 149, Decimal("8.1"))}
    (tmp_path / "2").mkdir()
    s = study(tmp_path / "2", "Title: Examplinib in melanoma: a phase 2 study\n\nIn this "
              "single-arm study, 38 patients received examplinib. Three patients had a partial "
              "response. Skin adverse events of grade 3 or higher occurred in five patients "
              "(13%).")
    assert {(r.endpoint, r.count) for r in s.results} == {("pr", 3)}
    # the event is named before the verb, not "five"; "grade 3 or higher" is ">=3"
    assert {(e.event, e.grade, e.percent) for e in s.adverse_events} == {
        ("Skin", ">=3", Decimal("13"))}


def test_a_first_in_human_papers_parts_cohort_and_any_adverse_event(tmp_path: Path):
    s = study(tmp_path, "Title: Examplinib first in human: a phase 1 study\n\nResults: Eighteen "
              "patients were treated in escalation and 24 in the expansion cohort. Treatment-"
              "related adverse events occurred in 29 of 42 patients (69%). In the expansion "
              "cohort, 6 of 24 patients (25%) had a partial response.")
    # 18 is a part of those treated, not the enrolled total
    assert not any(p.size == 18 for p in s.populations)
    (pr,) = [r for r in s.results if r.endpoint == "pr"]
    assert (pr.population, pr.count, pr.denominator) == ("expansion-cohort", 6, 24)
    assert {(e.event, e.relatedness, e.count, e.denominator, e.percent)
            for e in s.adverse_events} == {
        ("any adverse event", "treatment-related", 29, 42, Decimal("69"))}


def test_regimen_abbreviations_over_doses_and_followed_by(tmp_path: Path):
    s = study(tmp_path, "Title: Two-weekly epirubicin/paclitaxel against a sequence of "
              "epirubicin/cyclophosphamide/paclitaxel before surgery: a randomised trial\n\n"
              "The schedule of epirubicin 90 mg/m2 and paclitaxel 175 mg/m2 (ddEP) was tested "
              "against epirubicin/cyclophosphamide followed by paclitaxel (EC-PAC). In all, 402 "
              "patients were randomised. Safety data came from 380 patients (ddEP, n = 193; "
              "EC-PAC, n = 187).", add_names=True)
    arms = {a.id: a.regimen for a in s.arms}
    assert arms == {"epirubicin-paclitaxel": ("epirubicin", "paclitaxel"),
                    "epirubicin-cyclophosphamide-paclitaxel": (
                        "epirubicin", "cyclophosphamide", "paclitaxel")}
    # each abbreviation names its own arm: the sizes land in the right one
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {
        ("epirubicin-paclitaxel", 193), ("epirubicin-cyclophosphamide-paclitaxel", 187)}


def test_a_count_above_its_denominator_in_a_safety_sentence_drafts_without_a_crash(
        tmp_path: Path):
    # "90 of 80 patients (15%)" is a misprint; the draft goes on (the build judges the numbers)
    s = study(tmp_path, A + "Grade 3 rash occurred in 90 of 80 patients (15%) given examplinib.")
    assert [(e.event, e.percent) for e in s.adverse_events] == [("rash", Decimal("15"))]
