"""Arm and value forms of real abstracts, each with a made-up paper of our own words.

Arms named only where the results report them, sides listed in a bracket after the assignment,
three sized arms sharing a drug, a clause naming its own arm, and values in a bracket whose
arms follow them. Each draft must also build: the builders meet arms of no drug at all.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.assemble import build
from kg.draft import draft_paper
from kg.draft.lexicon import Lexicon
from kg.draft.unlinked import unlinked_names
from kg.sources.loader import load_corpus, load_entities, load_evidence_file, load_identifier_table
from tests.conftest import FIXTURES
from tests.test_draft import DRAFTS, sources_with


def drafted_and_built(tmp_path: Path, paper: str):
    root = sources_with(tmp_path)
    report = draft_paper(DRAFTS / paper, root, add_names=True)
    (study,) = load_evidence_file(report.evidence, []).studies
    result = build(root)  # every builder runs on the draft: none may fail
    assert result.report.counts["drafted statements"] > 0
    return study


def addon_lexicon() -> Lexicon:
    """The drafter's lexicon of the made-up entities the fixture papers use."""
    problems: list[str] = []
    table = load_identifier_table(FIXTURES / "addon" / "identifiers.yaml", problems)
    return Lexicon(load_entities(FIXTURES / "addon" / "entities.yaml", table, problems))


def values(study, statistic: str | None = None) -> set[tuple]:
    return {(r.endpoint, r.arm, r.value if r.value is not None else r.count)
            for r in study.results if statistic in (None, r.statistic)}


def test_arms_named_only_in_the_results_and_a_drug_against_observation(tmp_path: Path):
    s = drafted_and_built(tmp_path, "arms-in-results.txt")
    assert [(a.id, a.regimen) for a in s.arms] == [("examplinib", ("examplinib",)),
                                                   ("observation", ("observation",))]
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {("examplinib", 706),
                                                                ("observation", 696)}
    # "the control arm" is the observation arm
    assert ("new-contralateral-tumours", "observation", 88) in values(s, "count")
    assert values(s, "median") == {("os", "examplinib", Decimal("3.1")),
                                   ("os", "observation", Decimal("2.6"))}
    assert [(c.experimental, c.reference, c.p_value) for c in s.comparisons] == [
        ("examplinib", "observation", Decimal("0.04"))]
    corpus, _ = load_corpus(tmp_path / "sources")
    assert corpus.entities.interventions["observation"].label == "observation"


def test_sides_listed_in_a_bracket_after_the_assignment(tmp_path: Path):
    s = drafted_and_built(tmp_path, "bracket-sides.txt")
    assert [a.id for a in s.arms] == ["examplinib", "no-further-treatment"]
    sizes = {(p.kind, p.arm, p.size) for p in s.populations}
    # "1210 patients between the ages of 30 and 75 years were randomly assigned": the total
    assert sizes == {("randomised", None, 1210), ("randomised", "examplinib", 604),
                     ("randomised", "no-further-treatment", 606)}


def test_three_sized_arms_sharing_a_drug(tmp_path: Path):
    s = drafted_and_built(tmp_path, "three-sized-arms.txt")
    assert [a.regimen for a in s.arms] == [("examplinib",), ("erlotinib", "carboplatin"),
                                           ("erlotinib", "examplinib")]
    assert sorted(p.size for p in s.populations) == [300, 301, 302, 903]
    rates = values(s, "proportion")
    # each value's arm is the whole chain named after it, not the first drug of the chain
    assert {("local-recurrence", "erlotinib-carboplatin", Decimal("8.1")),
            ("local-recurrence", "erlotinib-examplinib", Decimal("3.3"))} <= rates
    # two values of three arms: the arms named after them, in that order
    assert {("second-operation", "examplinib", Decimal("77")),
            ("second-operation", "erlotinib-carboplatin", Decimal("70"))} <= rates


def test_a_clause_naming_its_arm_and_a_value_before_its_ci(tmp_path: Path):
    s = drafted_and_built(tmp_path, "clause-arms.txt")
    got = {(r.endpoint, r.arm, r.value, r.count, r.ci_low, r.ci_high) for r in s.results}
    assert got == {
        # "Seven (8%) complete responses occurred with examplinib ..., while 3 (3.5%) ..."
        ("cr", "examplinib", Decimal("8"), 7, None, None),
        ("cr", "erlotinib", Decimal("3.5"), 3, None, None),
        # "(overall response rate 41%, 95% confidence interval: 31-52%)"
        ("orr", "examplinib", Decimal("41"), None, Decimal("31"), Decimal("52")),
        ("orr", "erlotinib", Decimal("29"), None, Decimal("20"), Decimal("39")),
        # "(64% and 58% for patients in the A arm and those in the B arm, respectively; P ...)"
        ("resumed-work", "examplinib", Decimal("64"), None, None, None),
        ("resumed-work", "erlotinib", Decimal("58"), None, None, None)}


def test_a_misprinted_drug_is_no_new_drug():
    lex = addon_lexicon()
    text = ("Patients were randomly assigned to erlotinib or carboplatin. The response rate "
            "was 30% in the erlotnib group and 20% in the carboplatin group.")
    names = unlinked_names(text, 0, len(text), lex)
    assert "erlotnib" not in {u.label for u in names}
    text = text.replace("erlotinib or", "ervotanib or")  # a drug the entity file lacks
    assert "ervotanib" in {u.label for u in unlinked_names(text, 0, len(text), lex)}


def test_a_side_given_as_treatment_including_an_abbreviated_name(tmp_path: Path):
    s = drafted_and_built(tmp_path, "including-arms.txt")
    assert [(a.id, a.regimen) for a in s.arms] == [
        ("ventricular-chemotherapy", ("ventricular-chemotherapy",)),
        ("systemic-treatment", ("systemic-treatment",))]
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {
        ("ventricular-chemotherapy", 19), ("systemic-treatment", 21)}
    assert values(s, "median") == {("os", "ventricular-chemotherapy", Decimal("17.5")),
                                   ("os", "systemic-treatment", Decimal("29.0"))}


def test_a_drug_of_a_known_stem_is_proposed():
    lex = addon_lexicon()
    text = "A randomised phase II study of velnoxifene against erlotinib in breast cancer."
    assert "velnoxifene" in {u.label for u in unlinked_names(text, 0, len(text), lex)}


def test_groups_called_by_the_abbreviations_the_text_defines(tmp_path: Path):
    s = drafted_and_built(tmp_path, "abbreviated-groups.txt")
    assert [a.id for a in s.arms] == ["combined-tracing", "coloured-dye"]
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {("combined-tracing", 44),
                                                                ("coloured-dye", 60)}
    got = {(r.arm, r.count, r.value) for r in s.results}
    assert got == {("combined-tracing", 43, Decimal("98")), ("coloured-dye", 54, Decimal("90"))}


def test_arm_sizes_that_add_up_and_counts_in_two_clauses(tmp_path: Path):
    s = drafted_and_built(tmp_path, "counts-clauses.txt")
    assert [a.regimen for a in s.arms] == [("surgery", "examplinib"), ("examplinib",)]
    both, alone = (a.id for a in s.arms)
    # "(905 women in the A arm and 905 in the B arm)" after the 1810 they add up to
    assert {(p.kind, p.arm, p.size) for p in s.populations if p.arm} == {
        ("analysed", both, 905), ("analysed", alone, 905)}
    counts = sorted((r.arm, r.count) for r in s.results if r.statistic == "count")
    # "97 in the examplinib-alone group"; each clause's pair on its own
    assert counts == sorted([(both, 41), (alone, 97), (both, 25), (alone, 33), (both, 16),
                             (alone, 64)])


def test_arms_named_as_hyphened_chains_and_values_beside_their_arms(tmp_path: Path):
    s = drafted_and_built(tmp_path, "hyphen-arms.txt")
    combo, control = (a.id for a in s.arms)
    assert [a.regimen for a in s.arms] == [("examplinib", "carboplatin", "paclitaxel"),
                                           ("carboplatin", "paclitaxel")]
    got = {(r.arm, r.value) for r in s.results}
    # "the examplinib-CP group" is the combination, "(6.1% in the A group versus 5.2% in the B
    # group; ...)" and "the B group (11.9%; difference ...)" keep their values, never the
    # difference
    assert got == {(combo, Decimal("12.0")), (control, Decimal("8.5")),
                   (combo, Decimal("30.2")), (control, Decimal("11.9"))}


def test_sides_with_their_sizes_in_a_bracket_without_to(tmp_path: Path):
    s = drafted_and_built(tmp_path, "bracket-sizes-words.txt")
    assert [a.id for a in s.arms] == ["morning-walking", "evening-walking"]
    # "Fifty-one women were randomized (25 morning walking and 26 evening walking)"
    assert sorted((p.arm or "", p.size) for p in s.populations) == [
        ("", 51), ("evening-walking", 26), ("morning-walking", 25)]
    # "in morning walking group": no article before the group's name
    assert {(r.arm, r.count, r.value) for r in s.results} == {
        ("morning-walking", 12, Decimal("48")), ("evening-walking", 8, Decimal("31"))}


def test_a_code_named_drug_of_a_group_is_proposed_once_as_a_drug():
    lex = addon_lexicon()
    text = ("Women were randomised. Responses occurred in 30% of the XQ-417 group and 20% of "
            "the control group.")
    names = {(u.kind, u.key) for u in unlinked_names(text, 0, len(text), lex)}
    assert ("drugs", "xq-417") in names and ("interventions", "xq-417") not in names


def test_a_group_named_by_an_abbreviation_is_proposed_by_its_long_form(tmp_path: Path):
    s = drafted_and_built(tmp_path, "abbreviation-only.txt")
    assert [a.id for a in s.arms] == ["nipple-self-inspection", "control"]
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {
        ("nipple-self-inspection", 210), ("control", 214)}
    corpus, _ = load_corpus(tmp_path / "sources")
    nsi = corpus.entities.interventions["nipple-self-inspection"]
    assert (nsi.label, nsi.unclassified) == ("nipple self-inspection", True)
    assert "NSI" in nsi.synonyms


def test_totals_after_a_long_who_clause_and_two_analysed_sets(tmp_path: Path):
    s = drafted_and_built(tmp_path, "totals-4.txt")
    assert sorted((p.kind, p.size) for p in s.populations) == [
        ("analysed", 398), ("analysed", 401), ("randomised", 420)]
    assert len({p.id for p in s.populations}) == 3


def test_a_no_treatment_arm_after_a_bracket_holding_a_semicolon_is_proposed(tmp_path: Path):
    s = drafted_and_built(tmp_path, "semicolon-bracket.txt")
    assert [a.id for a in s.arms] == ["examplinib", "no-additional-treatment"]
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {
        ("examplinib", 301), ("no-additional-treatment", 296)}
    assert {(r.arm, r.value) for r in s.results} == {
        ("examplinib", Decimal("70.1")), ("no-additional-treatment", Decimal("71.9"))}


def test_group_sizes_with_a_verb_before_them_and_after_a_group_name(tmp_path: Path):
    s = drafted_and_built(tmp_path, "group-sizes-2.txt")
    # "included 4,911 women in the examination group and 4,901 in the control group": the
    # arms' sizes, not a total of 4,911
    assert sorted((p.arm or "", p.size) for p in s.populations) == [
        ("", 9812), ("control", 4901), ("examination", 4911)]
    s = drafted_and_built(tmp_path / "3", "group-sizes-3.txt")
    # "Apart from 6 women who withdrew, the remaining 970 women were divided into two groups:
    # counselling group (n = 488, ...), and control group (n = 482, ...)"
    assert sorted((p.arm or "", p.size) for p in s.populations) == [
        ("", 970), ("control", 482), ("counselling", 488)]
    assert {(r.arm, r.value) for r in s.results} == {("counselling", Decimal("41")),
                                                    ("control", Decimal("25"))}


def test_randomised_patients_who_received_one_of_two_named_treatments(tmp_path: Path):
    s = drafted_and_built(tmp_path, "received-arms.txt")
    # "Randomised women (n=120) received HI or usual-pace (UP) walking"; HI defined in the title
    assert [a.id for a in s.arms] == ["high-intensity", "usual-pace-walking"]
    assert [(p.kind, p.size) for p in s.populations] == [("randomised", 120)]
    assert {(r.arm, r.value) for r in s.results} == {("high-intensity", Decimal("58")),
                                                    ("usual-pace-walking", Decimal("37"))}


def test_a_count_of_a_named_group_and_a_clause_opening_with_its_group(tmp_path: Path):
    s = drafted_and_built(tmp_path, "count-of-group.txt")
    clearance, sampling = (a.id for a in s.arms)
    assert {(r.arm, r.count, r.denominator, r.value) for r in s.results} == {
        # "61 of the 198 women in the clearance group (30.8 percent)": that group's count
        (clearance, 61, 198, Decimal("30.8")), (sampling, 66, 202, Decimal("32.7")),
        # "In the clearance group, the accuracy of the sampling-node status was 97.0 percent"
        (clearance, None, None, Decimal("97.0"))}


def test_groups_named_by_sizes_adding_up_and_one_outcome_a_bracket(tmp_path: Path):
    s = drafted_and_built(tmp_path, "summed-groups.txt")
    # "Two hundred and one women (99 control and 102 intervention)": the arms and their sizes
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {("intervention", 102),
                                                                ("control", 99)}
    # "received lumpectomy (30.3% vs 17.2%; P=.03) and radiotherapy (40.4% vs 21.2%; ...)"
    assert {(r.endpoint, r.arm, r.value) for r in s.results} == {
        ("lumpectomy", "intervention", Decimal("30.3")), ("lumpectomy", "control", Decimal("17.2")),
        ("radiotherapy", "intervention", Decimal("40.4")),
        ("radiotherapy", "control", Decimal("21.2"))}


def test_arms_of_one_drug_named_by_their_schedules(tmp_path: Path):
    s = drafted_and_built(tmp_path, "schedule-arms.txt")
    assert [(a.id, a.regimen) for a in s.arms] == [
        ("examplinib-weekly", ("examplinib",)), ("examplinib-every-3-weeks", ("examplinib",))]
    # a clause opening with its arm, past a bracket holding a semicolon; ranges are no medians;
    # "a study of two examplinib schedules for patients" is no study of two patients
    assert {(r.endpoint, r.arm, r.value) for r in s.results} == {
        ("orr", "examplinib-weekly", Decimal("21")), ("os", "examplinib-weekly", Decimal("10.2")),
        ("orr", "examplinib-every-3-weeks", Decimal("12")),
        ("os", "examplinib-every-3-weeks", Decimal("8.9")),
        # "(two CR, 9 PR; ...)": how many had each kind of response, as counts
        ("cr", "examplinib-weekly", None), ("pr", "examplinib-weekly", None)}
    # "12% (six PR; ...)": the responders the rate counts, all six partial
    assert {(r.endpoint, r.count) for r in s.results if r.count} == {("cr", 2), ("pr", 9),
                                                                      ("orr", 6)}
    assert all(p.size is None for p in s.populations)
    from kg.draft.grouparms import group_sides
    # "or 200 mg every 3 weeks": a dose, not a group's size
    assert group_sides("Patients were randomly assigned to A 80 mg weekly or 200 mg every 3 "
                       "weeks.") == []


def test_a_comparative_word_says_which_arm_has_which_value(tmp_path: Path):
    s = drafted_and_built(tmp_path, "comparative.txt")
    alone, combo = (a.id for a in s.arms)
    # "patients given erlotinib plus examplinib had fewer skin reactions (31% versus 18%)":
    # the fewer is theirs, whatever the order; "more responses (22% versus 35%)" likewise
    assert {(r.endpoint, r.arm, r.value) for r in s.results} == {
        ("skin-reactions", alone, Decimal("31")), ("skin-reactions", combo, Decimal("18")),
        ("responses", alone, Decimal("22")), ("responses", combo, Decimal("35"))}


def test_values_in_percent_words_each_with_its_arm_inside_a_p_value_bracket(tmp_path: Path):
    s = drafted_and_built(tmp_path, "percent-words.txt")
    combo, alone = (a.id for a in s.arms)
    # a time in words, then a value in "percent" per arm, the second "in the group given B":
    # each value its arm, and "five" is a time, no count
    assert {(r.arm, r.value, r.count) for r in s.results} == {
        (alone, Decimal("2.4"), None), (combo, Decimal("0.6"), None)}


def test_counts_in_words_of_an_outcome_naming_a_procedure(tmp_path: Path):
    s = drafted_and_built(tmp_path, "word-counts.txt")
    # counts in words per group ("three ... and four ..."), of an outcome whose abbreviation
    # names the procedure: "false negative SNB results" is the outcome, not a treatment
    assert {(r.endpoint, r.arm, r.count) for r in s.results} == {
        ("false-negative-snb-results", "combined-tracing", 3),
        ("false-negative-snb-results", "coloured-dye", 4)}


def test_plural_response_rates_name_the_response_rate():
    from kg.draft.lexicon import endpoint_mentions
    for text in ("the ORRs were similar", "overall response rates were similar"):
        assert [t for _, t in endpoint_mentions(text)] == ["orr"], text


def test_three_arms_sized_with_a_capital_n(tmp_path: Path):
    s = drafted_and_built(tmp_path, "three-arms-upper-n.txt")
    assert [(a.id, p.size) for a in s.arms for p in s.populations if p.arm == a.id] == [
        ("examplinib", 13), ("erlotinib", 11), ("placebo", 11)]


def test_values_of_a_group_the_sentence_opens_with_stay_in_that_group(tmp_path: Path):
    s = drafted_and_built(tmp_path, "leading-subgroups.txt")
    groups = {p.id: (p.kind, p.size) for p in s.populations}
    young = next(k for k in groups if k.startswith("subgroup-of-women"))
    assert groups[young] == ("subgroup", None)
    high = next(k for k in groups if k.startswith("patients-whose-tumours"))
    assert groups[high] == ("subgroup", 238)
    got = {(r.arm, r.value, r.population) for r in s.results}
    assert got == {
        ("examplinib", Decimal("34"), "randomised"), ("erlotinib", Decimal("21"), "randomised"),
        # "In the subgroup of women younger than sixty, ... (examplinib, 26%; erlotinib, 22%)"
        ("examplinib", Decimal("26"), young), ("erlotinib", Decimal("22"), young),
        ("examplinib", Decimal("41"), high), ("erlotinib", Decimal("19"), high)}


def test_arm_sizes_given_as_who_received_what_when_they_make_the_total(tmp_path: Path):
    s = drafted_and_built(tmp_path, "received-sizes.txt")
    # "Eighty-two patients received ... examplinib; 88 patients received ... erlotinib" make the
    # 170 randomised; "Twelve patients received second-line carboplatin" is no total
    assert sorted((p.kind, p.arm or "", p.size) for p in s.populations) == [
        ("randomised", "", 170), ("randomised", "erlotinib", 88),
        ("randomised", "examplinib", 82)]


def test_totals_of_a_conducted_study_of_the_patients_assigned_and_of_consecutive_patients(
        tmp_path: Path):
    s = drafted_and_built(tmp_path, "totals-5.txt")
    # "conducted among 212 patients"; "Of the 210 eligible patients, 106 were assigned to A and
    # 104 to B": the randomised total and its arms
    assert sorted((p.kind, p.arm or "", p.size) for p in s.populations) == [
        ("enrolled", "", 212), ("randomised", "", 210), ("randomised", "erlotinib", 104),
        ("randomised", "examplinib", 106)]
    s = drafted_and_built(tmp_path / "6", "totals-6.txt")
    # who the patients were comes before the verb ("199 consecutive patients hospitalized ...
    # were enrolled"): the enrolled total
    assert [(p.kind, p.size) for p in s.populations] == [("enrolled", 199)]


def test_each_arm_sized_in_a_sentence_of_its_own(tmp_path: Path):
    s = drafted_and_built(tmp_path, "arm-patients-n.txt")
    # "CP patients (n = 101; ...) were given ...", "SI patients (n = 99) ...": the arms
    # are called by the abbreviations defined with them, and no total of 101 is made
    assert sorted((p.arm or "", p.size) for p in s.populations) == [
        ("", None), ("compressed", 101), ("standard-interval", 99)]
    s = drafted_and_built(tmp_path / "had", "arm-had.txt")
    # each schedule's arm "had" its own count of assessable patients (48 weekly, 47 3-weekly)
    assert sorted((p.kind, p.arm or "", p.size) for p in s.populations) == [
        ("analysed", "examplinib-every-3-weeks", 47), ("analysed", "examplinib-weekly", 48),
        ("randomised", "", None)]


def test_counts_of_an_outcome_split_by_arm_in_a_bracket_adding_up(tmp_path: Path):
    s = drafted_and_built(tmp_path, "summed-counts.txt")
    pre, post = (a.id for a in s.arms)
    # "There were 17 distant recurrences (7 preoperative and 10 postoperative)"; the sizes
    # "(29 preoperative chemotherapy and 29 postoperative chemotherapy)" are no counts
    assert {(r.endpoint, r.arm, r.count) for r in s.results} == {
        ("distant-recurrences", pre, 7), ("distant-recurrences", post, 10)}
    assert {(p.arm, p.size) for p in s.populations if p.arm} == {(pre, 29), (post, 29)}


def test_patients_with_measurable_disease_are_an_analysed_set_not_a_subgroup(tmp_path: Path):
    s = drafted_and_built(tmp_path, "measurable.txt")
    assert not [p for p in s.populations if p.kind == "subgroup"]
    assert sorted((p.kind, p.size) for p in s.populations) == [
        ("analysed", 55), ("analysed", 56), ("randomised", 120)]


def test_event_counts_after_their_arms_quartiles_and_a_count_in_words(tmp_path: Path):
    s = drafted_and_built(tmp_path, "event-pairs.txt")
    assert [a.id for a in s.arms] == ["examplinib", "no-examplinib"]  # "no X" proposed too
    got = {(r.endpoint, r.arm, r.statistic, r.value if r.value is not None else r.count)
           for r in s.results}
    # "(relapse in the A group versus no-A group, 281 events versus 330 events, HR ...)";
    # "21 [14, 30] days ... and 18 [12, 26] days": quartiles are no values
    assert got == {("rfs", "examplinib", "count", 281), ("rfs", "no-examplinib", "count", 330),
                   ("times-to-return-to-work", "examplinib", "median", Decimal("21")),
                   ("times-to-return-to-work", "no-examplinib", "median", Decimal("18"))}


def test_a_count_before_a_percentage_is_the_whole_number_written_in_words(tmp_path: Path):
    root = sources_with(tmp_path)
    paper = tmp_path / "p.txt"
    paper.write_text("Title: t\n\nWomen were randomly assigned to examplinib or erlotinib. "
                     "A partial response was seen in nine hundred one (91%) patients in the "
                     "examplinib group and 850 (86%) in the erlotinib group.\n")
    (s,) = load_evidence_file(draft_paper(paper, root).evidence, []).studies
    assert {(r.arm, r.count, r.value) for r in s.results} == {
        ("examplinib", 901, Decimal("91")), ("erlotinib", 850, Decimal("86"))}


def test_one_drug_assigned_on_two_schedules(tmp_path: Path):
    s = drafted_and_built(tmp_path, "schedules-either.txt")
    assert [(a.id, a.regimen) for a in s.arms] == [
        ("examplinib-weekly", ("examplinib",)), ("examplinib-every-3-weeks", ("examplinib",))]
    # a rate for "weekly examplinib" compared with one for "once-every-3-weeks examplinib":
    # each schedule's words call its arm; the drug's own name calls neither arm
    assert {(r.arm, r.value) for r in s.results} == {
        ("examplinib-weekly", Decimal("31.5")), ("examplinib-every-3-weeks", Decimal("17.2"))}
