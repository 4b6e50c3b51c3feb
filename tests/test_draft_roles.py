"""Arms called by their role, and per-arm values listed after the outcome they measure.

Made-up papers of our own words: an add-on trial whose results say "the experimental arm" and
"the standard arm", list "(52% [68/130] velbrinib; 48% [62/130] placebo)" after "reported no
pain", and compare "(9/130 (6.9%) vs. 6/130 (4.6%), ...)" after naming both groups; and a trial
of a combination against one of its drugs that counts deaths "with the combination" and "with
monotherapy"; and a three-arm study whose sizes follow "into the study:" and whose
values each follow their arm's label and a colon.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.test_draft_forms import drafted_and_built
from tests.test_draft_guards import study

NEW, REF = "letrozole-velbrinib", "letrozole-placebo"


def test_role_names_lists_after_their_outcome_and_a_compared_pair(tmp_path: Path):
    s = drafted_and_built(tmp_path, "role-names.txt")
    assert {a.id for a in s.arms} == {NEW, REF}
    rows = {(r.endpoint, r.arm, r.count, r.denominator, r.value) for r in s.results}
    # "(52% [68/130] velbrinib; 48% [62/130] placebo)": each share with its count and set, of
    # "no pain" (the "no" kept), not of the words before it
    assert {("no-pain", NEW, 68, 130, Decimal("52")),
            ("no-pain", REF, 62, 130, Decimal("48"))} <= rows
    # "in the experimental arm: 40 patients (30.8%) versus 12 patients (9.2%) in the standard
    # arm": the roles name the arms; the outcome is named before the colon
    assert {("nausea", NEW, 40, None, Decimal("30.8")),
            ("nausea", REF, 12, None, Decimal("9.2"))} <= rows
    # "between the velbrinib and placebo groups (9/130 (6.9%) vs. 6/130 (4.6%), ...)": in the
    # order the groups were named; before, the second had no arm and was dropped
    assert {("delays", NEW, 9, 130, Decimal("6.9")),
            ("delays", REF, 6, 130, Decimal("4.6"))} <= rows


def test_the_combination_and_monotherapy_are_the_arms_that_add_and_are_added_to(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "combination-monotherapy.txt")
    assert {(r.endpoint, r.arm, r.count) for r in s.results} == {
        ("os", NEW, 21), ("os", "letrozole", 25)}


def test_sizes_listed_after_the_study_and_values_after_each_arms_label(tmp_path: Path):
    s = drafted_and_built(tmp_path, "study-list.txt")
    # "randomised 97 women into the study: 32 had A, 30 had B and 35 had no treatment": three
    # arms with their sizes, the untreated one among them; "the study" is no arm
    assert {p.arm: p.size for p in s.populations if p.arm} == {
        "velbrinib": 32, "placebo": 30, "no-treatment": 35}
    # "(velbrinib: 41%, placebo: 57%, no treatment: 71%; P = 0.01)": the label before each
    # value is its arm; the outcome is "hot flushes", not "most"
    assert {(r.endpoint, r.arm, r.value) for r in s.results} == {
        ("hot-flushes", "velbrinib", Decimal("41")), ("hot-flushes", "placebo", Decimal("57")),
        ("hot-flushes", "no-treatment", Decimal("71"))}


def test_double_dummy_arms_and_a_treatment_group_for_a_programme(tmp_path: Path):
    (tmp_path / "a").mkdir()
    s = study(tmp_path / "a", "Title: t\n\nWomen were randomly assigned to velbrinib 1 mg plus "
              "zelmoxifene placebo or zelmoxifene 20 mg plus velbrinib placebo.\n",
              add_names=True)
    # "zelmoxifene placebo" is a placebo, not zelmoxifene: before, both arms had both drugs
    assert sorted(a.regimen for a in s.arms) == [("velbrinib", "placebo"),
                                                 ("zelmoxifene", "placebo")]
    (tmp_path / "b").mkdir()
    s = study(tmp_path / "b", "Title: t\n\nWomen were randomly assigned to a treatment group "
              "(n = 40) for individual high-intensity training, or a control group (n = 41) "
              "with usual activity.\n", add_names=True)
    assert {a.id for a in s.arms} == {"individual-high-intensity-training", "control"}



def test_groups_of_so_many_cases_treated_by_something_are_named_by_it(tmp_path: Path):
    s = study(tmp_path, "Title: Herbal tea with chemotherapy: a randomised trial\n\nWomen were "
              "allocated at random into two groups: a control group of 60 women treated with "
              "standard chemotherapy only, and a study group of 62 women treated with standard "
              "chemotherapy plus herbal tea.\n", add_names=True)
    # before, the study group stayed "study", a name that says nothing of its treatment; and
    # "a control group of 60 women" is that group's size, no total
    assert {a.label for a in s.arms} == {"standard chemotherapy",
                                         "standard chemotherapy plus herbal tea"}
    assert not [p.size for p in s.populations if p.parent is None and p.size]




def test_a_treatment_new_to_the_lexicon_with_or_without_a_drug(tmp_path: Path):
    s = study(tmp_path, "Title: Velbrinib before surgery: a randomised trial\n\nWe compared "
              "outcomes in women receiving preoperative chemotherapy with or without 6 months of "
              "velbrinib. In all, 230 patients were randomised. Event-free survival at 3 years was "
              "71% with velbrinib and 56% without velbrinib.\n", add_names=True)
    # "preoperative chemotherapy" is proposed as a treatment; before, no arm was formed
    both, alone = "preoperative-chemotherapy-velbrinib", "preoperative-chemotherapy"
    assert {a.id: a.regimen for a in s.arms} == {
        both: ("preoperative-chemotherapy", "velbrinib"), alone: ("preoperative-chemotherapy",)}
    # "without velbrinib" is the arm that goes without it
    assert {(r.arm, r.value) for r in s.results} == {(both, Decimal("71")),
                                                     (alone, Decimal("56"))}



def test_a_study_group_named_by_what_its_own_bracket_says_it_was_treated_with(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nAfter 4 dropped out, 181 women were allocated at random to "
              "two groups: the study group (n = 91, treated with velbrinib 25 mg each day) and the "
              "control group (n = 90, treated with zelmoxifene 2.5 mg each day). The response "
              "rate was 41% in the study group and 30% in the control group.\n", add_names=True)
    assert {(r.arm, r.value) for r in s.results} == {("velbrinib", Decimal("41")),
                                                     ("zelmoxifene", Decimal("30"))}




def test_arms_the_assignment_calls_control_and_experimental_keep_those_names(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nWomen were allocated at random to one of two study arms: "
              "axillary surgery (control arm) or watchful waiting (experimental arm). Of 250 women "
              "randomised, 124 were in the control arm and 126 in the experimental arm.\n",
              add_names=True)
    # the arm the paper calls the control is the surgery, though waiting sounds like one
    assert {p.arm: p.size for p in s.populations if p.arm} == {
        "surgery": 124, "watchful-waiting": 126}



def test_a_side_that_goes_without_is_the_arm_of_no_such_treatment():
    from kg.draft.grouparms import group_sides
    sides = group_sides("Women were randomized to receive treatment with axillary clearance "
                        "(AC) or without (no-AC).")
    # before, the second side was an arm named "without"
    assert [s.name for s in sides] == ["axillary clearance", "no axillary clearance"]
