"""Per-arm numbers printed after their arm's label, and counts in a bare "x vs y" bracket.

A made-up paper of our own words: "(VB 156, observation 154)" after the randomised total,
"Sixty-one events (VB 27, observation 34) occurred", and "Fewer second cancers occurred in the
VB group than in the observation group (2 vs 9, p = 0.03)".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.test_draft_forms import drafted_and_built


def test_numbers_after_their_arm_label_are_the_arms_sizes_and_counts(tmp_path: Path):
    s = drafted_and_built(tmp_path, "label-first.txt")
    # "observation alone" is the observation arm: no intervention named "observation alone"
    assert {a.id: a.regimen for a in s.arms} == {"velbrinib": ("velbrinib",),
                                                 "observation": ("observation",)}
    (root,) = [p for p in s.populations if p.parent is None]
    assert (root.kind, root.size) == ("randomised", 310)
    assert {p.arm: p.size for p in s.populations if p.arm} == {"velbrinib": 156,
                                                               "observation": 154}
    counts = {(r.endpoint, r.arm, r.count) for r in s.results}
    # the bracket's counts are of what it follows
    assert {("events", "velbrinib", 27), ("events", "observation", 34)} <= counts
    # "(2 vs 9, ...)" after a sentence naming both arms in that order: their counts
    assert {("second-cancers", "velbrinib", 2), ("second-cancers", "observation", 9)} <= counts
    assert len(counts) == 4


def test_groups_defined_inline_by_letter_and_a_list_after_the_whole_count(tmp_path: Path):
    s = drafted_and_built(tmp_path, "lettered-inline.txt")
    # "Group A (SLNB alone, 51 women) and group B (SLNB plus ANS, 53 women)": two arms, the
    # second adding node sampling, each with its size; "Two groups" counts no patients
    regimens = {a.id: set(a.regimen) for a in s.arms}
    assert sorted(map(sorted, regimens.values())) == [
        ["axillary-node-sampling", "sentinel-lymph-node-biopsy"], ["sentinel-lymph-node-biopsy"]]
    size = {frozenset(regimens[p.arm]): p.size for p in s.populations if p.arm}
    assert size == {frozenset({"sentinel-lymph-node-biopsy"}): 51,
                    frozenset({"sentinel-lymph-node-biopsy", "axillary-node-sampling"}): 53}
    assert not any(p.size == 2 for p in s.populations)
    # "in 30 (28.8%) patients: group A = 12 (23.5%), group B = 18 (34.0%)": each group's
    # count and share, and the 30 of all patients on no arm
    got = {(frozenset(regimens[r.arm]) if r.arm else None, r.count, r.value) for r in s.results}
    assert got == {
        (frozenset({"sentinel-lymph-node-biopsy"}), 12, Decimal("23.5")),
        (frozenset({"sentinel-lymph-node-biopsy", "axillary-node-sampling"}), 18, Decimal("34.0")),
        (None, 30, Decimal("28.8"))}


def test_abbreviations_match_in_their_case_and_a_stratified_total_is_randomised(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "cased-abbreviations.txt")
    # "Eligible women (n = 240) with X were stratified by Y and randomly assigned": the total
    (root,) = [p for p in s.populations if p.parent is None]
    assert (root.kind, root.size) == ("randomised", 240)
    # "uNTx/Cr" holds no complete response, and "PCR testing" is no pathological response
    assert not {e.type for e in s.endpoints} & {"cr", "pcr"}


def test_a_group_named_by_a_short_word_is_what_its_bracket_says(tmp_path: Path):
    s = drafted_and_built(tmp_path, "described-groups.txt")
    # "the INTRA group (intratumoral tracer injection, n=44)": the arm is that treatment, the
    # short word its synonym, and its size the bracket's
    assert {p.arm: p.size for p in s.populations if p.arm} == {
        "intratumoral-tracer-injection": 44, "peritumoral-tracer-injection": 46}
    # "Nodes were detected in 95.5% (42/44) for intratumoral injection and 84.8% (39/46) for ...":
    # one outcome, each arm by the first word of its name
    rates = {(r.endpoint, r.arm, r.count, r.value) for r in s.results if r.value is not None}
    assert rates == {
        ("nodes", "intratumoral-tracer-injection", 42, Decimal("95.5")),
        ("nodes", "peritumoral-tracer-injection", 39, Decimal("84.8"))}
    # "seen in 9 cases (two in the INTRA group and seven in the PERI group)": counts of what
    # was seen, not of "cases"
    assert {(r.endpoint, r.arm, r.count) for r in s.results if r.value is None} == {
        ("poor-tracer-uptake", "intratumoral-tracer-injection", 2),
        ("poor-tracer-uptake", "peritumoral-tracer-injection", 7)}


def test_counts_over_each_arms_patients_with_no_share_printed(tmp_path: Path):
    s = drafted_and_built(tmp_path, "counts-over-arms.txt")
    arm = {a.id: a for a in s.arms}
    assert set(arm) == {"hormone-therapy", "control"}
    # "Thirty-one of the 198 women in the HT arm and 14 of the 198 women in the control arm
    # had a second breast tumour": counts over each arm's set, named by what they had
    got = {(r.endpoint, r.arm, r.count, r.denominator) for r in s.results if r.count}
    assert got == {("second-breast-tumour", "hormone-therapy", 31, 198),
                   ("second-breast-tumour", "control", 14, 198)}
    # "(HR = 2.1, ...)" after them is of that event
    (hr,) = [c for c in s.comparisons if c.estimate is not None]
    assert (hr.endpoint, hr.estimate, hr.experimental, hr.reference) == (
        "second-breast-tumour", Decimal("2.1"), "hormone-therapy", "control")
    # "Cumulative incidences by year 5 were ...": no outcome named after the modifier, so
    # the phrase itself; a power calculation is no result
    rates = {(r.endpoint, r.arm, r.value) for r in s.results if r.value is not None}
    assert rates == {("cumulative-incidences", "hormone-therapy", Decimal("19.5")),
                     ("cumulative-incidences", "control", Decimal("7.1"))}


def test_routine_care_is_the_control_and_an_added_procedure_is_called_by_its_name(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "added-procedure.txt")
    ids = {a.id for a in s.arms}
    assert ids == {"routine-care", "additional-mri"}
    # "allocated to MRI", "the control group": the arms of "additional MRI" and routine care
    assert {p.arm: p.size for p in s.populations if p.arm and p.kind == "randomised"} == {
        "additional-mri": 196, "routine-care": 194}
    got = {(r.endpoint, r.arm, r.count, r.value) for r in s.results}
    assert {("re-excisions", "additional-mri", 17, Decimal(34)),
            ("re-excisions", "routine-care", 7, Decimal(14))} <= got  # "17/50 (34%)"
    assert {(r.arm, r.value) for r in s.results if r.endpoint == "breast-conserving-surgery"} \
        == {("additional-mri", Decimal(70)), ("routine-care", Decimal(67))}
    # the p-value compares the added procedure with the control, in that order
    (p,) = [c for c in s.comparisons if c.p_value is not None]
    assert (p.experimental, p.reference) == ("additional-mri", "routine-care")


def test_a_drug_added_after_the_last_side_is_every_arms(tmp_path: Path):
    s = drafted_and_built(tmp_path, "shared-after-comma.txt")
    # "with A or placebo, in combination with B": B is in both arms
    assert {a.regimen for a in s.arms} == {("zelmoxifene", "vitamin-e"), ("placebo", "vitamin-e")}
    assert sorted(p.size for p in s.populations if p.arm) == [41, 43]


def test_three_groups_given_their_treatments_in_one_sentence(tmp_path: Path):
    s = drafted_and_built(tmp_path, "groups-in-one-sentence.txt")
    # "Group 1 received X, group 2 was given Y for two days after surgery and group 3
    # similarly received Z": three arms; what every group had after surgery is no group's own
    assert {a.regimen for a in s.arms} == {("usual-wound-care",), ("zelmoxifene",),
                                           ("velbrinib",)}
    arm_of = {a.id: a.regimen[0] for a in s.arms}
    # "9 of 32 patients in group 1, 3 of 32 in group 2 and 2 of 32 in group 3"
    assert {(arm_of[r.arm], r.count, r.denominator) for r in s.results} == {
        ("usual-wound-care", 9, 32), ("zelmoxifene", 3, 32), ("velbrinib", 2, 32)}


def test_medians_with_their_interval_before_the_unit_and_sizes_in_respective_order(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "add-on-phase2.txt")
    arms = [a.id for a in s.arms]
    assert arms == ["capecitabine-velbrinib", "capecitabine-placebo"]
    # "96 were enrolled, randomized, and treated (47 and 49 patients in the respective
    # treatment groups)": the randomised total and each arm's part, in the arms' order
    (root,) = [p for p in s.populations if p.parent is None]
    assert (root.kind, root.size) == ("randomised", 96)
    assert [p.size for a in arms for p in s.populations if p.arm == a] == [47, 49]
    # "3.4 (2.5-4.9) months on A against 4.7 (3.1-6.0) months on B", and square brackets
    medians = {(r.endpoint, r.arm, r.value) for r in s.results if r.statistic == "median"}
    assert medians == {("pfs", arms[0], Decimal("3.4")), ("pfs", arms[1], Decimal("4.7")),
                       ("os", arms[0], Decimal("10.8")), ("os", arms[1], Decimal("15.6"))}
    # "Grade 3/4 adverse events were commoner on A (44.7% vs 30.6%)": any event, not A
    assert {(a.event, a.grade, a.arm, a.percent) for a in s.adverse_events} == {
        ("any adverse event", "3-4", arms[0], Decimal("44.7")),
        ("any adverse event", "3-4", arms[1], Decimal("30.6"))}


def test_a_whole_regimens_abbreviation_names_its_arm_before_a_bracket(tmp_path: Path):
    s = drafted_and_built(tmp_path, "regimen-abbreviations.txt")
    # "velbrinib plus docetaxel (VD)": VD is that arm; "comparing VD (70 of 205, 34.1%) and ZD
    # (80 of 195, 41.0%)": each bracket is the arm named before it
    got = {(r.arm, r.count, r.denominator, r.value) for r in s.results if r.endpoint == "rr"}
    assert got == {("velbrinib-docetaxel", 70, 205, Decimal("34.1")),
                   ("zelmoxifene-docetaxel", 80, 195, Decimal("41.0"))}
    # "8.3% (5.0-11.9%)": a range after a value is no value
    assert not any(r.value == Decimal("11.9") for r in s.results)
    assert {r.value for r in s.results if r.endpoint != "rr"} == {Decimal("12.0"),
                                                                   Decimal("8.3")}


def test_a_group_consisting_of_n_patients_is_that_arms_size(tmp_path: Path):
    s = drafted_and_built(tmp_path, "group-consisting-of.txt")
    # "The control group consisting of 46 patients received X, and the breath-hold group
    # consisting of 34 patients received Y"; "0.7% (0.0-2.5%) and 0.4% (0.0-1.3%)": two values
    assert {p.arm: p.size for p in s.populations if p.arm} == {"control": 46, "breath-hold": 34}
    assert {(r.arm, r.value) for r in s.results} == {("control", Decimal("0.7")),
                                                     ("breath-hold", Decimal("0.4"))}


def test_the_arm_another_adds_to_is_the_reference_whichever_is_named_first(tmp_path: Path):
    s = drafted_and_built(tmp_path, "add-on-order.txt")
    # "to receive either docetaxel (n = 298) or velbrinib followed by docetaxel (n = 302)":
    # the hazard ratio compares the added drug's arm with docetaxel alone
    (hr,) = [c for c in s.comparisons if c.estimate is not None]
    assert (hr.experimental, hr.reference, hr.estimate) == (
        "velbrinib-docetaxel", "docetaxel", Decimal("0.71"))


def test_counts_in_a_bracket_keep_the_outcome_named_before_it(tmp_path: Path):
    s = drafted_and_built(tmp_path, "bracketed-counts.txt")
    # "Ninety-one relapse-free patients were included in the analyses": an analysed set
    assert {(p.kind, p.size) for p in s.populations if not p.arm} == {
        ("randomised", 240), ("analysed", 91)}
    # "Fifteen patients developed spinal fractures (four of 43 ..., and 11 of 48 ...), and
    # 13 of 91 were diagnosed with hip fractures (six of 43 ..., and eight of 47 ...)": each
    # bracket's counts are of the outcome before it, never "Fifteen" or "diagnosed"
    got = {(r.endpoint, r.arm, r.count) for r in s.results if r.count is not None}
    assert got == {("spinal-fractures", "zelmoxifene", 4), ("spinal-fractures", "control", 12),
                   ("hip-fractures", "zelmoxifene", 6), ("hip-fractures", "control", 8)}
    # "Wrist fractures were about as frequent in either arm (8.4% v 9.9%; ...)"
    assert {r.endpoint for r in s.results if r.count is None} == {"wrist-fractures"}


def test_a_no_arm_is_called_no_and_the_other_arms_name(tmp_path: Path):
    s = drafted_and_built(tmp_path, "no-arm-named-by-negation.txt")
    # "an open trial across 40 centres, with 1500 women": the total; "752 patients were
    # allocated to MRI and 748 to no MRI": each arm's part, "no MRI" being "no further imaging"
    (root,) = [p for p in s.populations if p.parent is None]
    assert root.size == 1500
    assert {p.arm: p.size for p in s.populations if p.arm} == {"mri": 752,
                                                               "no-further-imaging": 748}
    assert {(r.arm, r.count) for r in s.results} == {("mri", 140), ("no-further-imaging", 142)}


def test_a_drug_alone_or_with_another_is_two_arms_sharing_it(tmp_path: Path):
    s = drafted_and_built(tmp_path, "alone-or-with.txt")
    # "capecitabine (...) alone or with continuation of velbrinib": capecitabine, and both
    assert [a.regimen for a in s.arms] == [("capecitabine",), ("capecitabine", "velbrinib")]
    # "We randomly assigned 80 patients to A and 76 patients to B": sizes, no total of 80
    assert [p.size for p in s.populations if p.arm] == [80, 76]
    assert not [p for p in s.populations if p.parent is None and p.size]
    # "Median times to progression came to 5.1 months in the A group and 7.7 months in the
    # A-plus-B group": TTP, each arm's
    assert {(r.endpoint, r.arm, r.value) for r in s.results} == {
        ("ttp", "capecitabine", Decimal("5.1")), ("ttp", "capecitabine-velbrinib", Decimal("7.7"))}


def test_sets_named_by_age_or_evaluation_and_counts_with_slashes(tmp_path: Path):
    s = drafted_and_built(tmp_path, "evaluable-and-slashes.txt")
    # "women ages 45 to 75 years (n = 52) were evenly randomized": the randomised total;
    # "thus 49 patients remained for evaluation (A, n = 24; B, n = 25)": the analysed set
    pops = {(p.kind, p.size, p.arm) for p in s.populations}
    assert pops == {("randomised", 52, None), ("analysed", 49, None),
                    ("analysed", 24, "velbrinib"), ("analysed", 25, "zelmoxifene")}
    # "Responses were seen in 4/24 patients treated with A (16.7%; ...)": one record each
    # and "Fewer women in the velbrinib group reported pain at rest (9 vs 17, ...)": the group
    # the sentence is about has the first count
    assert {(r.endpoint, r.arm, r.count, r.denominator, r.value) for r in s.results} == {
        ("rr", "velbrinib", 4, 24, Decimal("16.7")), ("rr", "zelmoxifene", 2, 25, Decimal("8.0")),
        ("pain", "velbrinib", 9, None, None), ("pain", "zelmoxifene", 17, None, None)}


def test_two_kinds_of_event_counted_per_arm_in_one_sentence(tmp_path: Path):
    s = drafted_and_built(tmp_path, "two-kinds-per-arm.txt")
    # "Sixty events and 35 deaths in the A group and 58 events and 30 deaths in the B group"
    assert {(r.endpoint, r.arm, r.count) for r in s.results} >= {
        ("events", "capecitabine", 60), ("os", "capecitabine", 35),
        ("events", "capecitabine-velbrinib", 58), ("os", "capecitabine-velbrinib", 30)}


def test_counted_harms_of_both_arms_in_respective_order(tmp_path: Path):
    s = drafted_and_built(tmp_path, "counted-harm-pairs.txt")
    # "randomly assigned velbrinib (54 patients) or zelmoxifene (50 patients)"
    assert {p.arm: p.size for p in s.populations if p.arm} == {"velbrinib": 54, "zelmoxifene": 50}
    # "At least one grade 3-4 toxic event occurred in 38 (70.4%) and 18 (36.0%) patients with A
    # and B, respectively": any adverse event, each arm's count and share
    assert {(a.event, a.grade, a.arm, a.count, a.percent) for a in s.adverse_events} == {
        ("any adverse event", "3-4", "velbrinib", 38, Decimal("70.4")),
        ("any adverse event", "3-4", "zelmoxifene", 18, Decimal("36.0"))}


def test_a_no_drug_arm_is_never_the_drugs_arm(tmp_path: Path):
    s = drafted_and_built(tmp_path, "no-drug-arm.txt")
    # "to oral zelmoxifene (n=446) ... or no adjuvant zelmoxifene (n=454)": two arms, the
    # second of no zelmoxifene
    assert {a.id: a.regimen for a in s.arms} == {
        "zelmoxifene": ("zelmoxifene",), "no-adjuvant-zelmoxifene": ("no-adjuvant-zelmoxifene",)}
    assert {p.arm: p.size for p in s.populations if p.arm} == {
        "zelmoxifene": 446, "no-adjuvant-zelmoxifene": 454}
    # "33 in the control group and 29 in the zelmoxifene group"; "9.8% versus 7.1% for the no
    # zelmoxifene and the zelmoxifene group, respectively": "zelmoxifene" in "no zelmoxifene"
    # names no zelmoxifene arm
    got = {(r.arm, r.count or r.value) for r in s.results}
    assert got == {("no-adjuvant-zelmoxifene", 33), ("zelmoxifene", 29),
                   ("no-adjuvant-zelmoxifene", Decimal("9.8")), ("zelmoxifene", Decimal("7.1"))}


def test_the_one_arm_named_before_a_pair_takes_its_first_value(tmp_path: Path):
    s = drafted_and_built(tmp_path, "one-arm-named.txt")
    block = "paravertebral-block-general-anesthesia"
    # "More patients were free of pain in the PVB group at 2 hours (47% vs 21%, ...) and 4
    # hours (55% vs 24%, ...)": the PVB arm's first, both pairs of one outcome
    got = {(r.endpoint, r.arm, r.value) for r in s.results}
    assert {(a, v) for _, a, v in got} == {
        (block, Decimal(47)), ("general-anesthesia", Decimal(21)), (block, Decimal(55)),
        ("general-anesthesia", Decimal(24))}
    assert len({e for e, _, _ in got}) == 1


def test_patients_experiencing_a_symptom_randomized_and_those_who_could_be_followed(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "followed-set.txt")
    # "64 breast cancer patients experiencing hot flushes were randomized"; "Of the 64 women
    # randomly assigned, 60 could be followed": the randomised total and its analysed set
    assert {(p.kind, p.size, p.parent) for p in s.populations if not p.arm} == {
        ("randomised", 64, None), ("analysed", 60, "randomised")}


def test_shares_of_each_arms_treated_patients_with_a_hyphenated_outcome(tmp_path: Path):
    s = drafted_and_built(tmp_path, "treated-patients-shares.txt")
    # "On-study fractures occurred in 12% (25 of 208) of A-treated patients and 17% (7 of 42)
    # of B-treated patients": "study" inside "on-study" is no reason to drop the outcome
    assert {(r.endpoint, r.arm, r.count, r.denominator, r.value) for r in s.results} == {
        ("on-study-fractures", "velbrinib", 25, 208, Decimal(12)),
        ("on-study-fractures", "pamidronate", 7, 42, Decimal(17))}
