"""Counts given "respectively", pairs of counts over their sets, shares with their counts.

A made-up paper of our own words: "Four and nine relapses were observed in the velbrinib and
placebo groups, respectively"; "The velbrinib group, unlike the placebo group, showed more
improvement in mood scores: 25/44 (56.8%) vs 13/40 (32.5%)"; "(6% treated with velbrinib, 4 of
70 vs 4% receiving placebo, 2 of 52, ...)"; and "118 received their allocated treatment (68
received velbrinib and 50 received placebo)", which counts no outcome.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.test_draft_forms import drafted_and_built
from tests.test_draft_guards import study


def test_respective_counts_pairs_over_their_sets_and_shares_with_their_counts(tmp_path: Path):
    s = drafted_and_built(tmp_path, "respective-counts.txt")
    rows = {(r.endpoint, r.arm, r.count, r.denominator, r.value) for r in s.results}
    assert rows == {
        ("relapses", "velbrinib", 4, None, None), ("relapses", "placebo", 9, None, None),
        # before, "42 (" read as the count and the arm came from the words after the value
        ("improvement", "velbrinib", 25, 44, Decimal("56.8")),
        ("improvement", "placebo", 13, 40, Decimal("32.5")),
        # before, the 70 of "4 of 70 vs 4%" was read as a percentage
        ("clots", "velbrinib", 4, 70, Decimal("6")), ("clots", "placebo", 2, 52, Decimal("4"))}
    # the patients who received their allocated treatment count no outcome
    assert not any("allocated" in r.endpoint for r in s.results)


def test_a_pair_of_shares_after_the_women_who_took_one_drug_is_theirs_first(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nA total of 100 women were randomly assigned to velbrinib or "
              "placebo. More falls occurred in the women who took velbrinib (6.1% v 2.9%, "
              "P = .03).\n", add_names=True)
    assert {(r.arm, r.value) for r in s.results} == {("velbrinib", Decimal("6.1")),
                                                     ("placebo", Decimal("2.9"))}


def test_bare_count_pairs_and_counts_in_square_brackets_take_their_arms(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nA total of 200 women were randomly assigned to velbrinib or "
              "placebo. More patients in the velbrinib arm stopped treatment early (11/97 vs. "
              "3/95). Fractures were more common with velbrinib [90 of 1000 women (9.0%)] than "
              "with placebo [60 of 1001 women (6.0%)].\n", add_names=True)
    # "(11/97 vs. 3/95)": counts over their sets in the order the arms were named
    # "with A [90 of 1000 women (9.0%)]": the arm before the square bracket, not the one after
    assert {(r.arm, r.count, r.denominator, r.value) for r in s.results} == {
        ("velbrinib", 11, 97, None), ("placebo", 3, 95, None),
        ("velbrinib", 90, 1000, Decimal("9.0")), ("placebo", 60, 1001, Decimal("6.0"))}


def test_a_bare_pair_after_the_second_arms_group_is_that_arms_first(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nA total of 100 women were randomly assigned to velbrinib or "
              "placebo. More patients in the placebo group needed extra pain relief (19 vs. 7; "
              "p = 0.02).\n", add_names=True)
    # the group the sentence is about comes first, whatever order the methods named the arms
    assert {(r.arm, r.count) for r in s.results} == {("placebo", 19), ("velbrinib", 7)}


def test_slashed_pairs_follow_the_order_of_their_header(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nA total of 200 women were randomly assigned to placebo or "
              "velbrinib. The most common grade 3 events (velbrinib/placebo) were rash "
              "(12.1%/1.0%) and diarrhoea (8.0%/2.2%).\n", add_names=True)
    # "(velbrinib/placebo)" orders each "x%/y%" pair; before, only the first value was kept,
    # on the arm the methods named first
    assert {(e.event, e.arm, e.percent) for e in s.adverse_events} == {
        ("rash", "velbrinib", Decimal("12.1")), ("rash", "placebo", Decimal("1.0")),
        ("diarrhoea", "velbrinib", Decimal("8.0")), ("diarrhoea", "placebo", Decimal("2.2"))}


def test_medians_each_in_a_bracket_with_its_interval_after_its_arm(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nA total of 300 women were randomly assigned to velbrinib or "
              "zelmoxifene. Median progression-free survival was longer with velbrinib (8.8 "
              "months; 95% CI, 7.1 to 10.2 months) than with zelmoxifene (6.1 months; 95% CI, "
              "5.0 to 7.4 months).\n", add_names=True)
    # before, each bracket was blanked as a statistics bracket for its interval
    assert {(r.endpoint, r.arm, r.statistic, r.value) for r in s.results} == {
        ("pfs", "velbrinib", "median", Decimal("8.8")),
        ("pfs", "zelmoxifene", "median", Decimal("6.1"))}


def test_shares_each_followed_by_their_arms_label_in_a_statistics_bracket(tmp_path: Path):
    s = study(tmp_path, "Title: t\n\nA total of 2000 women were randomly assigned to velbrinib or "
              "zoledronic acid. Jaw necrosis was rare (2.2%, velbrinib; 1.3%, zoledronic acid; "
              "P = .41).\n", add_names=True)
    # before, the p-value made the whole bracket a statistics bracket, blanked
    assert {(r.arm, r.value) for r in s.results} == {
        ("velbrinib", Decimal("2.2")), ("zoledronic-acid", Decimal("1.3"))}
