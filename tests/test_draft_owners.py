"""Values in a bracket right after their arm, arms called by part of their name or described.

Made-up papers of our own words: "in the velbrinib group (30 [68%]) and in the placebo group
(25 [54%])" with sizes as "(n = 44, velbrinib; n = 46, placebo)"; a "top-up dose" arm called
"top-up" beside "no top-up", with sizes written with thousands separators; and an "additional
PET preceding biopsy" arm the results call "the PET group"; numbered groups given things no
lexicon names; and a control group "comprising usual activity".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.test_draft_forms import drafted_and_built


def test_a_value_opening_the_bracket_after_an_arm_is_that_arms(tmp_path: Path):
    s = drafted_and_built(tmp_path, "bracket-owners.txt")
    arms = {a.id: set(a.regimen) for a in s.arms}
    by_drug = {("velbrinib" if "velbrinib" in arms[r.arm] else "placebo"): (r.count, r.value)
               for r in s.results}
    # before, the first value went to the arm named after it ("... (68%) and in the placebo
    # group"), and "30 [68%]" lost its count
    assert by_drug == {"velbrinib": (30, Decimal("68")), "placebo": (25, Decimal("54"))}
    # "(n = 44, velbrinib; n = 46, placebo)": a part of the bracket per arm
    sizes = {("velbrinib" if "velbrinib" in arms[p.arm] else "placebo"): p.size
             for p in s.populations if p.arm}
    assert sizes == {"velbrinib": 44, "placebo": 46}


def test_a_no_arm_and_its_treatment_by_the_first_word_and_thousands_in_sizes(tmp_path: Path):
    s = drafted_and_built(tmp_path, "top-up-dose.txt")
    assert {p.arm: p.size for p in s.populations if p.arm} == {"top-up-dose": 1604,
                                                               "no-top-up-dose": 1606}
    got = {(r.arm, r.value if r.value is not None else r.count) for r in s.results}
    # "for the no top-up and the top-up group, respectively": 9.1% is the no top-up arm's
    assert {("no-top-up-dose", Decimal("9.1")), ("top-up-dose", Decimal("5.5")),
            ("no-top-up-dose", 150), ("top-up-dose", 90)} <= got
    assert ("top-up-dose", Decimal("9.1")) not in got


def test_a_qualified_procedure_is_called_by_its_head_before_a_link_word(tmp_path: Path):
    s = drafted_and_built(tmp_path, "qualified-procedure.txt")
    pet = "additional-pet-preceding-biopsy"
    assert {a.id for a in s.arms} == {"routine-care", pet}
    # "149 were allocated to PET and 151 to the control group"
    assert {p.arm: p.size for p in s.populations if p.arm} == {pet: 149, "routine-care": 151}
    # "with 20 (13%) needing repeat surgery in the PET group versus 30 (20%) ...": the
    # outcome after the verb, each value its arm's
    assert {(r.endpoint, r.arm, r.count, r.value) for r in s.results} == {
        ("repeat-surgery", pet, 20, Decimal("13")),
        ("repeat-surgery", "routine-care", 30, Decimal("20"))}


def test_numbered_groups_given_what_no_lexicon_names_are_arms_of_new_treatments(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "numbered-new-treatments.txt")
    # "Group 1 (n = 40) received tailored advice to lower ...": the treatment, cut before its
    # purpose, proposed as a new intervention; before, no arm at all
    assert {a.id: a.regimen for a in s.arms} == {
        "tailored-advice": ("tailored-advice",),
        "general-healthy-eating-leaflets": ("general-healthy-eating-leaflets",)}
    assert {p.arm: p.size for p in s.populations if p.arm} == {
        "tailored-advice": 40, "general-healthy-eating-leaflets": 41}
    # "30 women in group 1 (75%)": the count is 30, never the group's number
    assert {(r.arm, r.count, r.value) for r in s.results} == {
        ("tailored-advice", 30, Decimal("75")),
        ("general-healthy-eating-leaflets", 12, Decimal("29"))}


def test_a_treatment_group_and_a_control_group_are_named_by_what_each_comprised(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "described-control.txt")
    assert {a.id for a in s.arms} == {"supervised-strength-programme", "usual-activity"}
    # the control group is still called so in the results
    assert {(r.arm, r.count) for r in s.results} == {("supervised-strength-programme", 20),
                                                     ("usual-activity", 9)}
