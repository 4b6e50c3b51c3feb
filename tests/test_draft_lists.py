"""Values a paper lists arm by arm, and arm sizes printed in the forms real reports use.

Made-up sentences of our own words: sizes after each arm's dose, sizes given by what patients
were treated with, groups' sets from denominators that make the total, kinds of response
counted per arm, two endpoints' rates per arm, medians listed in a bracket of statistics.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.test_draft_forms import drafted_and_built
from tests.test_draft_guards import study

A = "Patients were randomly assigned to examplinib or erlotinib. "


def test_a_paper_listing_values_arm_by_arm_drafts_each_in_its_arm(tmp_path: Path):
    s = drafted_and_built(tmp_path, "arm-lists.txt")
    assert [a.id for a in s.arms] == ["examplinib", "erlotinib"]
    # "examplinib 200 mg every 2 weeks (n = 64) or erlotinib 150 mg daily (n = 61)"
    sizes = {(p.arm, p.kind, p.size) for p in s.populations if p.arm}
    assert {("examplinib", "randomised", 64), ("erlotinib", "randomised", 61)} <= sizes
    # "Of the 58 assessable patients in the examplinib group": that arm's analysed set
    assert ("examplinib", "analysed", 58) in sizes
    counts = {(r.endpoint, r.arm, r.count) for r in s.results if r.statistic == "count"}
    assert counts == {("cr", "examplinib", 2), ("pr", "examplinib", 15), ("sd", "examplinib", 20),
                      ("pd", "examplinib", 21), ("cr", "erlotinib", 1), ("pr", "erlotinib", 8),
                      ("sd", "erlotinib", 25), ("pd", "erlotinib", 20)}
    values = {(r.endpoint, r.arm, r.statistic, r.value) for r in s.results if r.value is not None}
    # "disease control" names no arm, though "control" alone may
    assert ("dcr", "examplinib", "proportion", Decimal("63.8")) in values
    assert ("dcr", "erlotinib", "proportion", Decimal("55.7")) in values
    # "rates of PFS and OS were 22 and 61% for examplinib, and 14 and 52% for erlotinib"
    assert {("pfs-rate-2-year", "examplinib", "rate", Decimal("22")),
            ("survival-rate-2-year", "examplinib", "rate", Decimal("61")),
            ("pfs-rate-2-year", "erlotinib", "rate", Decimal("14")),
            ("survival-rate-2-year", "erlotinib", "rate", Decimal("52"))} <= values
    # "(median OS: examplinib, 31 months; erlotinib, 24 months; P = 0.03)"
    assert {("os", "examplinib", "median", Decimal("31")),
            ("os", "erlotinib", "median", Decimal("24"))} <= values
    # "Time to next therapy was longer for ... examplinib (median, 9 months) than ..."
    assert {("time-to-next-therapy", "examplinib", "median", Decimal("9")),
            ("time-to-next-therapy", "erlotinib", "median", Decimal("6"))} <= values


@pytest.mark.parametrize(("body", "sizes"), [
    # sizes given by what patients were treated with, making the enrolled total
    ("A total of 97 patients were enrolled. Forty-six patients were treated with examplinib and "
     "cisplatin, and 51 others were treated with erlotinib and cisplatin.",
     {("examplinib", 46), ("erlotinib", 51)}),
    # ... or the assessable set, one arm's word left out
    ("In all, 90 patients were enrolled, of whom 70 were assessable. Thirty-six received "
     "examplinib and 34 erlotinib.", {("examplinib", 36), ("erlotinib", 34)}),
    ("We randomised 230 patients. Examplinib was administered to 112 patients and erlotinib to "
     "118 patients.", {("examplinib", 112), ("erlotinib", 118)}),
    # a bracket after each arm, however far after its name
    ("The quality-of-life scores did not differ between the examplinib (n = 402) and erlotinib "
     "(n = 398) groups.", {("examplinib", 402), ("erlotinib", 398)}),
])
def test_arm_sizes_in_the_forms_reports_print_them(tmp_path: Path, body: str, sizes: set):
    s = study(tmp_path, f"Title: t\n\n{A}{body}\n")
    assert {(p.arm, p.size) for p in s.populations if p.arm} == sizes


def test_sizes_that_make_the_assessable_set_are_the_arms_assessable_sets(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\n" + A + "In all, 90 patients were enrolled, of whom 70 "
              "were assessable. Thirty-six received examplinib and 34 erlotinib.\n")
    assert {p.kind for p in s.populations if p.arm} == {"analysed"}


def test_group_rates_with_denominators_that_make_the_total_give_the_groups_sets(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nFifty women were randomly assigned to have either 2 "
              "(group 1) or 5 (group 2) courses of examplinib. A complete response was seen in "
              "11% (3 of 27) in group 1 and in 39% (9 of 23) in group 2. Breast-conserving "
              "surgery could be offered in 52% (14 of 27) in group 1 and in 61% (14 of 23) in "
              "group 2.\n")
    assert {(p.arm, p.kind, p.size) for p in s.populations if p.arm} == {
        ("group-1", "analysed", 27), ("group-2", "analysed", 23)}
    # an outcome named like a treatment no arm gives is an outcome
    assert {(r.endpoint, r.arm, r.count) for r in s.results} == {
        ("cr", "group-1", 3), ("cr", "group-2", 9),
        ("breast-conserving-surgery", "group-1", 14), ("breast-conserving-surgery", "group-2", 14)}


def test_denominators_that_do_not_make_the_total_are_each_arms_analysed_set(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nFifty women were randomly assigned to have either 2 "
              "(group 1) or 5 (group 2) courses of examplinib. A complete response was seen in "
              "11% (3 of 27) in group 1 and in 40% (8 of 20) in group 2.\n")
    # the patients each count is over, never the arm's assigned size (27 + 20 is not 50)
    assert {(p.kind, p.arm, p.size) for p in s.populations if p.arm} == {
        ("analysed", "group-1", 27), ("analysed", "group-2", 20)}
    assert {(r.arm, r.population) for r in s.results} == {
        ("group-1", "analysed-group-1"), ("group-2", "analysed-group-2")}


def test_a_treatment_named_only_before_its_groups_letter_forms_its_arm(tmp_path: Path):
    s = study(tmp_path, "Title: Zetarod with erlotinib for bone pain\n\nSixty patients were "
              "randomly allocated to three groups: 20 patients received (99)Zr-ZETA (group A), "
              "20 patients received erlotinib (group B) and 20 patients were treated by "
              "(99)Zr-ZETA plus erlotinib (group C). Pain relief was reported by 60.0%, 55.0% "
              "and 85.0% in groups A, B and C, respectively.\n", add_names=True)
    assert [a.regimen for a in s.arms] == [("99-zr-zeta",), ("erlotinib",),
                                           ("99-zr-zeta", "erlotinib")]
    assert sorted(p.size for p in s.populations if p.arm) == [20, 20, 20]
    # twenty patients treated by one of the arms are no enrolled total below the randomised 60
    assert [(p.kind, p.size) for p in s.populations if not p.arm] == [("randomised", 60)]
    assert [r.value for r in s.results] == [Decimal("60.0"), Decimal("55.0"), Decimal("85.0")]


@pytest.mark.parametrize("body", [
    # one kind of response only: no list
    A + "In the examplinib arm, 9 patients had a partial response.",
    # a list naming both arms: whose the counts are is not said
    A + "With examplinib or erlotinib, 3 CR and 9 PR were seen.",
])
def test_response_counts_need_a_list_in_one_arm(tmp_path: Path, body: str):
    s = study(tmp_path, f"Title: t\n\n{body}\n")
    assert not [r for r in s.results if r.endpoint in {"cr", "pr"} and r.count]


def test_days_of_a_schedule_are_no_arm_sizes(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nA total of 300 patients were randomly assigned to take "
              "erlotinib 100 mg daily (ERL, n = 148), or examplinib 40 mg on days 1, 8, and 29 "
              "plus erlotinib 100 mg daily (EXA-ERL, n = 152).\n")
    assert sorted(p.size for p in s.populations if p.arm) == [148, 152]


@pytest.mark.parametrize("body", [
    A + "We analysed 870 women (436 in the examplinib arm and 434 in the erlotinib arm), "
    "representing 58% of the original cohort.",
    A + "Women from one centre (402 and 398 in the examplinib and erlotinib arms, respectively, "
    "who accounted for 41% of all participants) gave blood samples.",
])
def test_a_share_of_the_trial_is_no_outcome(tmp_path: Path, body: str):
    s = study(tmp_path, f"Title: t\n\n{body}\n")
    assert not [r for r in s.results if r.value in {Decimal("58"), Decimal("41")}]


@pytest.mark.parametrize("body", [
    A + "Grade 3 adverse events with > or = 12% incidence were rash (31% v 14%) and diarrhoea "
    "(18% v 13%).",
    A + "Events seen in at least 12% of patients were rash (31% v 14%) and diarrhoea (18% v 13%).",
])
def test_a_threshold_is_no_rate(tmp_path: Path, body: str):
    s = study(tmp_path, f"Title: t\n\n{body}\n")
    values = [*(r.value for r in s.results), *(e.percent for e in s.adverse_events)]
    assert Decimal("12") not in values and Decimal("31") in values


def test_events_among_each_arms_patients_are_counts_over_them(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nWe randomised 4,900 patients to examplinib or erlotinib. With "
              "50 months of median follow-up, we observed 340 DFS events among 2,452 women "
              "receiving examplinib and 410 events among 2,448 women receiving erlotinib.\n")
    assert {(r.endpoint, r.arm, r.count, r.denominator) for r in s.results} == {
        ("dfs", "examplinib", 340, 2452), ("dfs", "erlotinib", 410, 2448)}


def test_patients_on_an_arm_with_their_percentage_are_no_arm_size(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nWe randomised 160 patients to examplinib or erlotinib. Most "
              "patients (67 patients receiving examplinib [93%]; 61 patients receiving erlotinib "
              "[90%]) reached the target dose.\n")
    assert not [p for p in s.populations if p.arm]


def test_a_treatment_group_getting_something_is_an_arm(tmp_path: Path):
    s = study(tmp_path, "Title: Sealant spray after axillary surgery\n\nSixty women were "
              "randomised either to the treatment group (n = 29) getting a fibrin spray applied to "
              "the wound or to the control group (n = 31). Seromas resolved in 65% of patients in "
              "the treatment group, while in the control group 40% of patients had resolution.\n",
              add_names=True)
    assert len(s.arms) == 2 and s.arms[1].regimen == ("control",)
    assert "fibrin spray" in s.arms[0].label
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {(s.arms[0].id, 29),
                                                                ("control", 31)}
    assert {(r.arm, r.value) for r in s.results} == {(s.arms[0].id, Decimal("65")),
                                                     ("control", Decimal("40"))}


def test_a_list_of_three_groups_makes_three_arms(tmp_path: Path):
    s = study(tmp_path, "Title: Reminders for screening\n\nWomen were randomised to a control "
              "group, a letter group or a text-message group. The screening rate was 51.5% for "
              "the control group, 60.1% for the letter group, and 66.2% for the text-message "
              "group.\n", add_names=True)
    assert [a.id for a in s.arms] == ["control", "letter", "text-message"]
    assert {(r.arm, r.value) for r in s.results} == {
        ("control", Decimal("51.5")), ("letter", Decimal("60.1")),
        ("text-message", Decimal("66.2"))}


def test_a_value_for_a_group_that_is_no_arm_goes_to_no_arm(tmp_path: Path):
    s = study(tmp_path, "Title: Reminders for screening\n\nWomen were randomised to a control "
              "group or a text-message group. The screening rate was 51.5% for the control "
              "group, 60.1% for the employee group, and 66.2% for the text-message group.\n",
              add_names=True)
    assert {(r.arm, r.value) for r in s.results if r.arm} == {
        ("control", Decimal("51.5")), ("text-message", Decimal("66.2"))}


def test_safety_counts_printed_as_patients_before_their_percentage(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nWe randomised 240 patients to examplinib or erlotinib. Dose "
              "reductions were needed in 22 patients (18%) on examplinib and 9 patients (7.5%) "
              "on erlotinib.\n")
    assert {(e.arm, e.count, e.percent) for e in s.adverse_events} == {
        ("examplinib", 22, Decimal("18")), ("erlotinib", 9, Decimal("7.5"))}


def test_safety_counts_in_square_brackets_and_deaths_in_each_arm(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nWomen were randomised to examplinib, erlotinib or placebo. "
              "Adverse events led to discontinuation in the active groups (8% [N=1] for "
              "examplinib, 16% [N=2] for erlotinib), as in the placebo-treated patients "
              "(17% [N=2]). Forty-one participants in each arm had died of any cause.\n")
    assert {(e.arm, e.count, e.percent) for e in s.adverse_events} == {
        ("examplinib", 1, Decimal("8")), ("erlotinib", 2, Decimal("16")),
        ("placebo", 2, Decimal("17"))}
    assert {(r.arm, r.count) for r in s.results} == {("examplinib", 41), ("erlotinib", 41),
                                                     ("placebo", 41)}


def test_an_abbreviation_before_a_bracket_of_dosed_drugs_names_the_regimen(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nPatients were randomly assigned to examplinib plus CIPE "
              "(carboplatin AUC 5 on day 1 and paclitaxel 175 mg/m2 on day 1, every 21 days) "
              "or to CIPE alone. In all, 300 patients were enrolled: 151 were assigned to "
              "examplinib plus CIPE and 149 to CIPE alone. Median survival was 12.5 months with "
              "examplinib versus 10.1 months with CIPE alone.\n")
    assert [a.regimen for a in s.arms] == [("examplinib", "carboplatin", "paclitaxel"),
                                           ("carboplatin", "paclitaxel")]
    combo, control = (a.id for a in s.arms)
    # "149 to CIPE alone": the arm named by its regimen's abbreviation only
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {(combo, 151), (control, 149)}
    assert {(r.arm, r.value) for r in s.results} == {(combo, Decimal("12.5")),
                                                     (control, Decimal("10.1"))}


def test_two_levels_of_one_treatment_are_two_arms(tmp_path: Path):
    s = study(tmp_path, "Title: Two extents of axillary surgery\n\nIn all, 240 women were "
              "randomly assigned to level-I or level-III axillary clearance.\n",
              add_names=True)
    assert [a.id for a in s.arms] == ["level-i-axillary-clearance",
                                      "level-iii-axillary-clearance"]


def test_a_value_in_a_numbered_group_is_that_groups(tmp_path: Path):
    s = study(tmp_path, "Title: Two schedules of examplinib\n\nWe reviewed 246 patients. Group 1 "
              "(N = 176) comprised women given examplinib every 3 weeks. Group 2 (N = 70) "
              "comprised women given examplinib weekly. Hormone receptor status was negative in "
              "51 cases (29%) in group 1 and 41 cases (59%) in group 2.\n")
    assert {(r.arm, r.count, r.value) for r in s.results} == {
        ("group-1", 51, Decimal("29")), ("group-2", 41, Decimal("59"))}


@pytest.mark.parametrize("body", [
    "Ninety women were randomised to undergo axillary clearance by either using (Group A, 44 "
    "women) or not using (Group B, 46 women) a sealing device. Seroma occurred in 9% in "
    "group A and 24% in group B.",
    "Ninety women were randomised to have (44 women) or not have (46) a sealing device at "
    "axillary clearance. Seroma occurred in 9% of the sealing device group and 24% of the no "
    "sealing device group.",
])
def test_one_thing_had_or_not_makes_two_arms(tmp_path: Path, body: str):
    s = study(tmp_path, f"Title: Sealing device in axillary surgery\n\n{body}\n", add_names=True)
    assert [a.id for a in s.arms] == ["sealing-device", "no-sealing-device"]
    assert {(r.arm, r.value) for r in s.results} == {("sealing-device", Decimal("9")),
                                                     ("no-sealing-device", Decimal("24"))}
