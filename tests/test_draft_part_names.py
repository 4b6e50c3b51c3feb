"""Arms called by the short names their part of the assignment gives them.

Made-up papers of our own words: "randomized to CT (docetaxel ...) or ET (letrozole ...)" then
"(41 CT, 39 ET)" and "61% for CT and 44% for ET"; and "AC (...) and then either P (...; AC-P)
or PG (...; AC-PG)" then "(36 AC-P, 34 AC-PG)" and "9 patients (25 %) with AC-P"; and "to a
12-week walking programme (n = 50) or to a standard care group (SC) (n = 48)".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.draft.armlist import part_names
from tests.test_draft_forms import drafted_and_built


def test_the_names_parts_give_their_arms():
    assert part_names(["CT (A 70 mg/m2)", "ET (B 2.5 mg)"]) == [["CT"], ["ET"]]
    assert part_names(["Arm A: A 5 mg/kg", "Arm B: B 7.5 mg/kg"]) == [["arm A"], ["arm B"]]
    # one letter names nothing ("P" is also a p-value)
    assert part_names(["P (A weekly; AC-P)", "PG (A plus B; AC-PG)"]) == [
        ["AC-P"], ["PG", "AC-PG"]]
    # a name both parts give names neither
    assert part_names(["XY (A; XY)", "XY (B)"]) == [[], []]


def test_a_short_name_before_each_regimen_names_its_arm(tmp_path: Path):
    s = drafted_and_built(tmp_path, "own-names.txt")
    ct, et = "docetaxel-cyclophosphamide", "letrozole"
    assert {p.arm: p.size for p in s.populations if p.arm} == {ct: 41, et: 39}
    assert {(r.arm, r.value) for r in s.results} == {(ct, Decimal("61")), (et, Decimal("44"))}


def test_an_abbreviation_closing_a_regimens_bracket_names_its_arm(tmp_path: Path):
    s = drafted_and_built(tmp_path, "own-names-after.txt")
    acp, pg = "doxorubicin-cyclophosphamide-paclitaxel", "paclitaxel-gemcitabine"
    assert {p.arm: p.size for p in s.populations if p.arm} == {acp: 36, pg: 34}
    assert {(r.arm, r.count, r.value) for r in s.results} == {
        (acp, 9, Decimal("25")), (pg, 12, Decimal("35"))}


def test_a_programme_of_some_length_and_a_group_abbreviated_after_its_name(tmp_path: Path):
    s = drafted_and_built(tmp_path, "programme-length.txt")
    # "to a 12-week walking programme (n = 50) or to a standard care group (SC) (n = 48)":
    # before, "a 12-week" hid the first side and no arm was formed
    assert {p.arm: p.size for p in s.populations if p.arm} == {"walking-programme": 50,
                                                               "standard-care": 48}
    # "17 (35%) in the SC group"
    assert {(r.arm, r.count, r.value) for r in s.results} == {
        ("walking-programme", 31, Decimal("62")), ("standard-care", 17, Decimal("35"))}


def test_an_assignment_after_a_design_clause_is_read_from_its_own_verb():
    from kg.draft.grouparms import group_sides
    sides = group_sides("In a randomized controlled trial, 150 women are assigned to receive "
                        "either STP, standard medical care or a supportive therapy at the start "
                        "of treatment.")
    assert [s.name for s in sides] == ["STP", "standard medical care", "supportive therapy"]
