"""Rates per arm in forms real abstracts use, each in a sentence of our own."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.assemble import build
from kg.draft import draft_paper
from kg.sources.loader import load_evidence_file
from tests.test_draft import sources_with
from tests.test_draft_forms import drafted_and_built


def study(tmp_path: Path, body: str):
    """The one study drafted from a made-up paper titled "t" with this body."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    paper = tmp_path / "p.txt"
    paper.write_text(f"Title: t\n\n{body}\n")
    (s,) = load_evidence_file(draft_paper(paper, sources_with(tmp_path)).evidence, []).studies
    return s


def results(tmp_path: Path, body: str) -> set[tuple]:
    s = study(tmp_path, body)
    return {(r.endpoint, r.arm, r.statistic, r.value) for r in s.results}


def test_survival_rates_at_a_time_written_in_words_are_survival_rates(tmp_path: Path):
    # two survival rates at a time in words, each in "percent", then "respectively":
    # a rate at a time point, not a median, so it is kept with its time
    got = results(tmp_path, "Patients were randomly assigned to examplinib or erlotinib. Overall "
                  "survival rates at five years came to 77 percent and 70 percent, "
                  "respectively.")
    assert got == {("survival-rate-5-year", "examplinib", "rate", Decimal("77")),
                   ("survival-rate-5-year", "erlotinib", "rate", Decimal("70"))}


def test_a_count_in_each_arm_is_every_arm_s_count(tmp_path: Path):
    s = study(tmp_path, "Patients were randomly assigned to examplinib or erlotinib. "
                     "Three patients in each arm had to stop for severe diarrhoea.")
    assert {(r.endpoint, r.arm, r.count) for r in s.results} == {
        ("had-to-stop-for-severe-diarrhoea", "examplinib", 3),
        ("had-to-stop-for-severe-diarrhoea", "erlotinib", 3)}
    # a design, a dose or follow-up is no event of each arm
    for sentence in ("At least 100 patients in each arm were required to show a difference.",
                     "Four patients in each arm received a median of six cycles.",
                     "Two women in each arm were lost to follow-up."):
        s = study(tmp_path / sentence[:8], "Patients were randomly assigned to examplinib or "
                  f"erlotinib. {sentence}")
        assert not s.results, sentence


def test_a_value_takes_the_arm_its_sentence_or_the_one_before_opened_with(tmp_path: Path):
    s = drafted_and_built(tmp_path, "arm-context.txt")
    # "In the A arm, ...; the overall response rate was 30%", "There were ... in the B arm;
    # the overall response rate was 15%"; "Median time to progression was 5.1 months (2-11
    # months)" after a sentence opening with the A arm: A's, and the range is no value; the
    # 1-year and 2-year rates of one sentence keep their own time points
    assert {(r.endpoint, r.arm, r.value) for r in s.results if r.count is None} == {
        ("orr", "examplinib", Decimal("30")), ("ttp", "examplinib", Decimal("5.1")),
        ("orr", "erlotinib", Decimal("15")),
        ("survival-rate-1-year", "erlotinib", Decimal("52.5")),
        ("survival-rate-2-year", "erlotinib", Decimal("20.0"))}
    # "2 patients had a complete response and 10 a partial response": the second kind with
    # its verb left out is counted too, in the arm the sentence opened with
    assert {(r.endpoint, r.arm, r.count) for r in s.results if r.count is not None} == {
        ("cr", "examplinib", 2), ("pr", "examplinib", 10)}


def test_safety_lists_take_the_arm_named_after_each_list(tmp_path: Path):
    s = study(tmp_path, "Patients were randomly assigned to examplinib or erlotinib. "
                     "Grade 3 or 4 toxicities were rash (22%) and fatigue (9%) in the examplinib "
                     "arm and rash (8%), diarrhoea (14%) and anaemia (5%) in the erlotinib arm.")
    assert {(a.event, a.arm, a.percent) for a in s.adverse_events} == {
        ("rash", "examplinib", Decimal("22")), ("fatigue", "examplinib", Decimal("9")),
        ("rash", "erlotinib", Decimal("8")), ("diarrhoea", "erlotinib", Decimal("14")),
        ("anaemia", "erlotinib", Decimal("5"))}


def test_a_count_bracketed_after_its_percentage_and_a_safety_cue_s_own_clause(tmp_path: Path):
    s = study(tmp_path, "Women were randomly assigned to examplinib or erlotinib. The "
                     "rate of response in the erlotinib group was low (20% [N=4]); adverse events "
                     "led to discontinuation in some women (5% [N=1] for examplinib, 10% [N=2] "
                     "for erlotinib).")
    # the count in "[N=4]" is the rate's, and no statistics bracket hides the values
    assert {(r.endpoint, r.arm, r.value, r.count) for r in s.results} == {
        ("rr", "erlotinib", Decimal("20"), 4)}
    # discontinuations only from the clause that says so, each with the arm after it
    assert {(a.kind, a.arm, a.percent) for a in s.adverse_events} == {
        ("discontinuation", "examplinib", Decimal("5")),
        ("discontinuation", "erlotinib", Decimal("10"))}


def test_a_percentage_before_its_count_of_a_denominator(tmp_path: Path):
    got = results(tmp_path, "Patients were randomly assigned to examplinib or erlotinib. A "
                  "complete response occurred in 15% (three of 20) in the examplinib group and "
                  "in 40% (eight of 20) in the erlotinib group (p=0.04).")
    assert got == {("cr", "examplinib", "proportion", Decimal("15")),
                   ("cr", "erlotinib", "proportion", Decimal("40"))}


def test_survival_rates_named_without_a_time_and_counts_split_before_a_statistic(tmp_path: Path):
    s = study(tmp_path, "Women were randomly assigned to examplinib or erlotinib. "
                     "Overall survival rates for examplinib and erlotinib were 81% and 77%, "
                     "respectively (HR = 0.80; P = .20). In all, 120 developed a relapse (50 on "
                     "examplinib and 70 on erlotinib; hazard ratio 0.70).")
    got = {(r.endpoint, r.arm, r.value if r.value is not None else r.count) for r in s.results}
    assert {("survival-rate", "examplinib", Decimal("81")),
            ("survival-rate", "erlotinib", Decimal("77"))} <= got
    assert {(arm, n) for e, arm, n in got if e not in {"survival-rate"}} == {
        ("examplinib", 50), ("erlotinib", 70)}
    build(tmp_path / "sources")  # a survival rate with no time point builds


def test_a_rate_s_time_printed_before_its_mention_in_a_later_clause(tmp_path: Path):
    got = results(tmp_path, "Patients were randomly assigned to examplinib or erlotinib. The "
                  "1-year survival rate was 80% with examplinib and 70% with erlotinib; at 2 "
                  "years, the survival rate was 60% and 50%, respectively.")
    assert {(e, arm, v) for e, arm, _, v in got} == {
        ("survival-rate-1-year", "examplinib", Decimal("80")),
        ("survival-rate-1-year", "erlotinib", Decimal("70")),
        ("survival-rate-2-year", "examplinib", Decimal("60")),
        ("survival-rate-2-year", "erlotinib", Decimal("50"))}
