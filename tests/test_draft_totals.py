"""Totals the size rules cannot read alone: found as the arms' sum, or as the arms' own set.

Made-up papers of our own words: "A total of 118 women who had ..., and who gave written
consent, were randomly assigned to A or to B" with each arm's size in the next sentence; "260
women were enrolled, and 248 were eligible" with arms of 125 and 123; "a trial comparing A with
placebo in 44 premenopausal women".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.test_draft_forms import drafted_and_built


def test_a_total_too_far_from_its_verb_is_found_as_the_sum_of_the_arms(tmp_path: Path):
    s = drafted_and_built(tmp_path, "totals-from-arms.txt")
    (root,) = [p for p in s.populations if p.parent is None]
    assert (root.kind, root.size) == ("randomised", 118)
    assert "A total of 118 women" in root.quotes[0]
    assert sorted((p.size, p.parent) for p in s.populations if p.arm) == [
        (57, root.id), (61, root.id)]


def test_arms_adding_up_to_the_eligible_set_hang_under_it(tmp_path: Path):
    s = drafted_and_built(tmp_path, "eligible-set.txt")
    pops = {p.id: p for p in s.populations}
    assert (pops["enrolled"].size, pops["analysed"].size) == (260, 248)
    assert pops["analysed"].parent == "enrolled"
    assert sorted((p.size, p.kind, p.parent) for p in s.populations if p.arm) == [
        (97, "analysed", "enrolled"), (101, "analysed", "enrolled"),
        (123, "analysed", "analysed"), (125, "analysed", "analysed")]
    # "the 101 in the A group ... than the 97 in the B group": a further set of each arm
    assert {(p.arm, p.size) for p in s.populations if p.size in {97, 101}} == {
        ("padded-sling", 101), ("strap-sling", 97)}


def test_a_comparison_in_n_women_gives_the_total(tmp_path: Path):
    s = drafted_and_built(tmp_path, "comparing-total.txt")
    assert [a.id for a in s.arms] == ["velbrinib", "placebo"]
    assert [(p.kind, p.size) for p in s.populations if p.parent is None] == [("enrolled", 44)]


def test_a_second_pair_of_counts_keeps_the_arm_order_and_ratios_are_no_response_rate(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "ratio-and-pairs.txt")
    rows = {(r.endpoint, r.arm, r.count) for r in s.results}
    # "71 events in the A arm and 104 in the B arm ..., and 77 and 58 events in older women"
    assert {("events", "velbrinib", 71), ("events", "observation", 104),
            ("events", "velbrinib", 77), ("events", "observation", 58)} <= rows
    # "Grades 3-4 anaemia (19% versus 7%)": adverse events of each arm, with their grades
    assert {(a.arm, a.percent, a.grade) for a in s.adverse_events
            if a.event == "anaemia"} == {("velbrinib", 19, "3-4"), ("observation", 7, "3-4")}
    # "Grade 3 or worse adverse events arose in 101 (64%) of 158 women in the A arm and 88 (56%)
    # of 157 in the B arm": one event, both arms, the grade a lower bound
    assert {(a.arm, a.event, a.grade, a.count, a.denominator) for a in s.adverse_events
            if a.count in {101, 88}} == {("velbrinib", "any adverse event", ">=3", 101, 158),
                                         ("observation", "any adverse event", ">=3", 88, 157)}
    # the hazard ratios of a sentence counting events per arm are of those events, each in the
    # group it is reported "among" or "in"
    assert {(c.endpoint, c.estimate, c.population) for c in s.comparisons if c.estimate} >= {
        ("events", Decimal("0.66"), "younger-women"), ("events", Decimal("1.31"), "older-women")}
    assert {p.id: p.kind for p in s.populations if p.id.endswith("-women")} == {
        "younger-women": "subgroup", "older-women": "subgroup"}
    # a treatment-related death is a harm of its own, not the overall-survival endpoint
    assert ("treatment-related-death", "velbrinib", 1) in rows
    assert not any(e.type == "os" for e in s.endpoints)
    # "(RR=6.1; 95% CI ...)" is a risk ratio: no response rate; "64 out of 80 (80.0%)" is
    # never a count of 80
    assert not any(e.type == "rr" for e in s.endpoints)
    assert not any(r.count == 80 for r in s.results)
    # "23 clots on observation and 37 on velbrinib, 70% of which were ...": a share of the
    # counts before, no arm's rate
    assert {("clots", "observation", 23), ("clots", "velbrinib", 37)} <= rows
    assert not any(r.value == 70 for r in s.results)


def test_background_findings_time_windows_bounds_and_differences_are_no_results(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "background-values.txt")
    # "previously demonstrated ... a pCR rate of 11.2% (the PRIMA trial)", before the methods;
    # "over the first 36 months", "a median survival benefit of 9 months", "in less than 10
    # months": none of them is a value of an arm
    assert sorted((r.arm, r.statistic, r.value) for r in s.results) == [
        ("chemotherapy", "median", Decimal("33.0")),
        ("velbrinib-chemotherapy", "median", Decimal("41.5"))]


def test_lettered_groups_defined_by_what_each_was_given_with_their_sizes(tmp_path: Path):
    s = drafted_and_built(tmp_path, "lettered-treatments.txt")
    # "underwent adjuvant therapy based on anthracycline schedules (group B)": the treatment is
    # named (and proposed) without its basis, so both groups become arms
    regimens = [set(a.regimen) for a in s.arms]
    assert regimens[0] == {"radiotherapy", "surgery"} and "adjuvant-therapy" in regimens[1]
    # "Four hundred and twelve women were treated with ... (group A)": that group's size, no
    # total of the study
    assert sorted(p.size for p in s.populations if p.arm) == [168, 412]
    assert not any(p.size == 412 for p in s.populations if p.arm is None)
    assert sorted((r.arm == s.arms[0].id, r.value) for r in s.results) == [
        (False, Decimal("9.4")), (True, Decimal("6.2"))]


def test_common_harm_terms_with_per_arm_shares_are_adverse_events(tmp_path: Path):
    s = drafted_and_built(tmp_path, "ratio-and-pairs.txt")
    # "Ankle oedema (31% vs. 7%) and hypoalbuminaemia (22% vs. 5%) were commoner with A": no
    # "adverse" or "grade" in the sentence, but the terms name harms
    assert {(a.event.lower(), a.arm, a.percent) for a in s.adverse_events
            if a.event != "anaemia" and a.percent in {31, 7, 22, 5}} == {
        ("ankle oedema", "velbrinib", 31), ("ankle oedema", "observation", 7),
        ("hypoalbuminaemia", "velbrinib", 22), ("hypoalbuminaemia", "observation", 5)}


def test_harm_terms_a_trial_is_about_stay_its_outcomes(tmp_path: Path):
    s = drafted_and_built(tmp_path, "antiemetic-outcomes.txt")
    # the title names nausea and vomiting: their rates are the trial's results, no harms
    assert not s.adverse_events
    assert {(r.endpoint, r.arm, r.value) for r in s.results} >= {
        ("nausea", "velbrinib", Decimal(44)), ("nausea", "placebo", Decimal(63))}


def test_a_set_split_in_two_and_a_subgroup_analysis_set_are_sized_subgroups(tmp_path: Path):
    s = drafted_and_built(tmp_path, "split-subgroups.txt")
    subs = {p.id: p for p in s.populations if p.kind == "subgroup"}
    # "Of these 300 women, 128 women had X and 172 had Y": two groups that split the 300
    assert (subs["nodal-spread-on-biopsy"].size, subs["clinically-clear-nodes"].size) == (128, 172)
    assert subs["nodal-spread-on-biopsy"].complement_of == ("clinically-clear-nodes",)
    # "A planned subgroup analysis of 214 women with ...": that analysis's own set
    assert any(p.size == 214 for p in subs.values())
    # "A complete pathological response": the pCR endpoint, whichever word comes first
    assert {(r.arm, r.value) for r in s.results if r.endpoint == "pcr"} == {
        ("velbrinib", Decimal(27)), ("zelmoxifene", Decimal(16))}


def test_an_arms_evaluable_set_holds_its_counts_and_a_three_arm_test_pairs_no_arms(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "three-arm-sets.txt")
    pops = {p.id: p for p in s.populations}
    # "Of the 280 evaluable women in the A group, 40 achieved a partial response and 6 a
    # complete response": that arm's analysed set, and both counts over it
    (evaluable,) = [p for p in s.populations if p.size == 280]
    assert (evaluable.kind, evaluable.arm) == ("analysed", "velbrinib")
    assert {(r.endpoint, r.count, r.population) for r in s.results if r.count} == {
        ("pr", 40, evaluable.id), ("cr", 6, evaluable.id)}
    assert pops[evaluable.id].parent == "randomised"
    # "Cumulative incidence of local relapse ...": the outcome is what follows the modifier
    rates = {(r.endpoint, r.arm, r.value) for r in s.results if r.value is not None}
    assert {("local-relapse", "velbrinib", Decimal("14.1")),
            ("local-relapse", "radiotherapy-velbrinib", Decimal("3.3"))} <= rates
    # "Survival in the three groups was 91%, ...": survival rates of each arm
    assert {(e, v) for e, a, v in rates if e.startswith("survival")} == {
        ("survival-rate", Decimal(91)), ("survival-rate", Decimal(92)), ("survival-rate",
                                                                        Decimal(90))}
    # one p-value beside three arms' values is a test across them, not any pair's comparison
    assert not any(c.p_value == Decimal("0.81") for c in s.comparisons)


def test_a_later_analysis_set_and_its_arms_hang_together(tmp_path: Path):
    s = drafted_and_built(tmp_path, "later-sets.txt")
    pops = {p.id: p for p in s.populations}
    # "available from 402 women at 6 weeks (130 placebo, 136 A 20 mg, and 136 A 60 mg)": the
    # arms' parts hang under the set they add up to, not under the randomised 450
    first = {p.arm: (p.size, p.parent) for p in s.populations if p.arm and p.size in {130, 136}}
    assert first == {"placebo": (130, "analysed"), "zelmoxifene-20-mg": (136, "analysed"),
                     "zelmoxifene-60-mg": (136, "analysed")}
    assert (pops["analysed"].size, pops["analysed"].parent) == (402, "randomised")
    # "... and 368 at 12 weeks (120 placebo, 123 A 20 mg, and 125 A 60 mg)": a later set of
    # its own, each arm's part under it (the doses are no sizes)
    (later,) = [p for p in s.populations if p.size == 368]
    assert later.kind == "analysed" and "12 weeks" in later.label
    assert {p.arm: p.size for p in s.populations if p.parent == later.id} == {
        "placebo": 120, "zelmoxifene-20-mg": 123, "zelmoxifene-60-mg": 125}
    # "Night sweats fell by 21%, ...": the outcome is what fell, not the verb
    assert {e.name for e in s.endpoints if e.type == "other"} == {"Night sweats"}


def test_totals_in_the_forms_of_the_third_hundred(tmp_path: Path):
    from tests.test_draft_guards import study
    cases = {
        "One hundred and sixty-two women with confirmed disease took part.": ("randomised", 162),
        "After inclusion of 171 eligible patients, the monitoring board closed the trial.":
            ("enrolled", 171),
        "From a total sample of 250 patients, 12 withdrew.": ("enrolled", 250),
        "A total of 190 breast cancer survivors from a larger sample took part.":
            ("enrolled", 190),
        "Breast cancer patients (N = 250) initiating chemotherapy were randomly assigned.":
            ("randomised", 250),
        "We conducted a randomized controlled trial of 88 female breast cancer survivors.":
            ("enrolled", 88),
        "We evaluated 4900 patients allocated to velbrinib or placebo.": ("enrolled", 4900),
        "Among 140 patients, 71 were treated with velbrinib and 69 with placebo.":
            ("randomised", 140),
        "A two-arm trial was conducted in 330 postmenopausal, sedentary women.": ("enrolled", 330),
        "Sixty-two postmenopausal women prescribed letrozole were randomly assigned.":
            ("randomised", 62),
    }
    for k, (body, want) in enumerate(cases.items()):
        (tmp_path / str(k)).mkdir()
        s = study(tmp_path / str(k), f"Title: t\n\nWomen were randomly assigned to velbrinib or "
                  f"placebo. {body}\n", add_names=True)
        assert [(p.kind, p.size) for p in s.populations if p.parent is None] == [want], body
