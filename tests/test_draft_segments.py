"""Per-arm parts of a list, three arms of one drug at two doses, and clauses that turn.

Made-up papers of our own words: "18% (95% CI 10 to 26) and 14% (2 to 26) in the placebo group;
29% ... in the group assigned velbrin 10 mg; and ...", "to placebo, velbrin 10 mg or velbrin
40 mg", "In the A group X was found in 3.1% of women, while in the control group ... 5.6%",
"Of 802 women randomised to A, 119 (14.8%) ...", "while receiving A (7.4% v 2.2%)".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.draft.grouparms import group_sides
from tests.test_draft_forms import drafted_and_built

ZX = "zelmoxifene"


def test_each_part_of_a_semicolon_list_goes_to_the_arm_that_closes_it(tmp_path: Path):
    s = drafted_and_built(tmp_path, "segment-lists.txt")
    assert [a.id for a in s.arms] == ["placebo", "velbrin-10-mg", "velbrin-40-mg"]
    rows = {(r.arm, r.value, r.ci_low, r.ci_high) for r in s.results
            if r.endpoint == "mean-falls-in-night-sweat-scores"}
    assert rows == {("placebo", Decimal(18), Decimal(10), Decimal(26)),
                    ("placebo", Decimal(14), Decimal(2), Decimal(26)),
                    ("velbrin-10-mg", Decimal(29), Decimal(20), Decimal(38)),
                    ("velbrin-10-mg", Decimal(27), Decimal(14), Decimal(40)),
                    ("velbrin-40-mg", Decimal(44), Decimal(37), Decimal(51)),
                    ("velbrin-40-mg", Decimal(41), Decimal(30), Decimal(52))}


def test_a_list_of_sides_before_the_last_or_makes_one_arm_each():
    names = [s.name for s in group_sides(
        "Women were randomly assigned to placebo, velbrin 10 mg or velbrin 40 mg.")]
    assert names == ["placebo", "velbrin 10 mg", "velbrin 40 mg"]
    # a schedule or a dose after a comma is no side of its own
    assert [s.name for s in group_sides(
        "Patients were randomly assigned to docetaxel, every 3 weeks, or to doxorubicin.")] == \
        ["docetaxel", "doxorubicin"]
    # a regimen listed with "and" is one side
    assert len(group_sides("Patients were randomly assigned to docetaxel, doxorubicin and "
                           "cyclophosphamide or to doxorubicin.")) == 2


def test_clauses_that_turn_keep_each_value_with_its_own_arm(tmp_path: Path):
    s = drafted_and_built(tmp_path, "clause-turns.txt")
    assert [a.id for a in s.arms] == ["no-treatment", ZX]
    rows = {(r.endpoint, r.arm, r.value, r.count) for r in s.results}
    # the control arm named first still takes "the control arm": each arm's own size
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {(ZX, 512),
                                                                ("no-treatment", 497)}
    # "Of 802 women randomised to A, 119 (14.8%) later stopped ...": A's, and the next
    # sentence, naming no arm, goes on with it
    assert ("stopped-treatment-early", ZX, Decimal("14.8"), 119) in rows
    assert ("mild-rash", ZX, Decimal("33.5"), 87) in rows
    # "In the A group ... 3.1% ..., while in the control group ... 5.6%"
    assert ("second-cancer", ZX, Decimal("3.1"), None) in rows
    assert ("second-cancer", "no-treatment", Decimal("5.6"), None) in rows
    # "while receiving A (7.4% v 2.2%)": the arm the bracket follows comes first
    assert ("lost-bone-density", ZX, Decimal("7.4"), None) in rows
    assert ("lost-bone-density", "no-treatment", Decimal("2.2"), None) in rows
    # "the objective response (a complete [CR] or partial [PR] shrinkage) rate was 27%": the
    # endpoint outside the bracket that defines it
    assert ("orr", ZX, Decimal(27), None) in rows
    # "who made up 41% of the trial" is no outcome; "at 4 years" is no median
    assert not any(r.value == Decimal(41) for r in s.results)
    assert {(r.arm, r.value) for r in s.results if r.statistic == "median"} == {
        ("no-treatment", Decimal("20.5")), (ZX, Decimal("31.2"))}
    # the rate's time point is the one printed with it, not the "1 months" of "31.2 months"
    assert {(r.endpoint, r.arm, r.value) for r in s.results if r.statistic == "rate"} == {
        ("survival-rate-4-year", "no-treatment", Decimal("46.1")),
        ("survival-rate-4-year", ZX, Decimal("58.3"))}


def test_subgroup_estimates_said_to_be_consistent_are_of_the_primary_endpoint(tmp_path: Path):
    s = drafted_and_built(tmp_path, "consistent-subgroups.txt")
    types = {e.id: e.type for e in s.endpoints}
    by_estimate = {c.estimate: types[c.endpoint] for c in s.comparisons if c.estimate}
    # the sentence before gives progression-free survival; "Results were consistent in ..."
    # speaks of the primary outcome, overall survival
    assert by_estimate == {Decimal("1.04"): "os", Decimal("0.92"): "pfs",
                           Decimal("0.99"): "os", Decimal("1.08"): "os"}
