"""The drafting benchmark's scorer: gold against itself is perfect, each flaw costs what it should.

No drafter is needed: drafts here are gold files, perturbed as typed records (a changed value, a
dropped result, renamed ids, a result moved to another arm), or a gold file with a broken quote
written into a temporary sources folder. Perturbed records are scored without loading, since a
changed number would (rightly) fail the loader's quote check.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks.draft import (
    DEVSET,
    Case,
    DraftRun,
    drafter_problem,
    evaluate,
    first_report_of,
    iter_cases,
    prepare_sources,
    run_cases,
)
from benchmarks.draft_report import markdown, summary_facts, totals, write_results
from benchmarks.scoring import (
    CATEGORIES,
    Evidence,
    Score,
    is_key_comparison,
    is_key_result,
    score,
)
from kg import model as m
from kg.paths import SOURCES_DIR
from kg.sources.loader import load_corpus
from tests.conftest import with_second_report


@pytest.fixture(scope="module")
def golds() -> dict[Path, tuple]:
    """The development set and the shipped sources, loaded once."""
    return {DEVSET: load_corpus(DEVSET), SOURCES_DIR: load_corpus(SOURCES_DIR)}


def gold_of(golds: dict, doc: str) -> Evidence:
    for corpus, indexed in golds.values():
        if any(f.document.id == doc for f in corpus.files):
            return Evidence.of(corpus, doc, indexed)
    raise KeyError(doc)


def with_file(golds: dict, doc: str, new: m.EvidenceFile) -> Evidence:
    """The evidence of ``doc`` with its file replaced (studies merged afresh)."""
    for corpus, indexed in golds.values():
        if any(f.document.id == doc for f in corpus.files):
            files = tuple(new if f.document.id == doc else f for f in corpus.files)
            return Evidence.of(m.Corpus(corpus.entities, files, corpus.texts), doc, indexed)
    raise KeyError(doc)


def with_study(f: m.EvidenceFile, index: int, **changes) -> m.EvidenceFile:
    studies = list(f.studies)
    studies[index] = replace(studies[index], **changes)
    return replace(f, studies=tuple(studies))


def assert_perfect(s: Score) -> None:
    for c in CATEGORIES:
        t = s.tallies[c]
        assert t.draft == t.gold == t.matched, (c, t)
        assert t.precision in (None, 1.0) and t.recall in (None, 1.0), (c, t)
    assert s.spurious == () and s.missed == ()


def slots(rec: m.Result | m.Comparison) -> int:
    names = ("value", "count", "denominator", "ci_low", "ci_high") if isinstance(rec, m.Result) \
        else ("estimate", "ci_low", "ci_high", "p_value")
    return sum(getattr(rec, n) is not None for n in names)


# ---------------------------------------------------------------- renaming every id


def rename(f: m.EvidenceFile, prefix: str) -> m.EvidenceFile:
    """Every study and study-part id prefixed, and every reference to them (ids must not count)."""
    def p(x: str | None) -> str | None:
        return None if x is None else prefix + x

    def ps(xs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(prefix + x for x in xs)

    def derived(d: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple((k, v.replace("size of ", f"size of {prefix}")) for k, v in d)

    studies = []
    for s in f.studies:
        studies.append(replace(
            s, id=prefix + s.id, part_of=p(s.part_of),
            arms=tuple(replace(a, id=prefix + a.id) for a in s.arms),
            populations=tuple(replace(x, id=prefix + x.id, parent=p(x.parent), arm=p(x.arm),
                                      complement_of=ps(x.complement_of),
                                      derived=derived(x.derived)) for x in s.populations),
            endpoints=tuple(replace(e, id=prefix + e.id) for e in s.endpoints),
            results=tuple(replace(r, id=prefix + r.id, endpoint=prefix + r.endpoint,
                                  arm=p(r.arm), population=p(r.population),
                                  derived=derived(r.derived)) for r in s.results),
            comparisons=tuple(replace(c, id=prefix + c.id, endpoint=p(c.endpoint),
                                      experimental=p(c.experimental), reference=p(c.reference),
                                      population=p(c.population), groups=ps(c.groups),
                                      favoured=p(c.favoured), derived=derived(c.derived))
                              for c in s.comparisons),
            findings=tuple(replace(x, id=prefix + x.id, population=p(x.population))
                           for x in s.findings)))
    return replace(f, studies=tuple(studies))


# ---------------------------------------------------------------- gold against itself


@pytest.mark.parametrize("doc", ["velora-1", "velora-1-update", "forge-g", "quest-gbm",
                                 "norvelisib-breast", "fosmeltinib-ph1", "santoro-2013",
                                 "nsclc-review"])
def test_gold_against_itself_is_perfect(golds, doc):
    gold = gold_of(golds, doc)
    s = score(gold, gold)
    assert_perfect(s)
    assert s.tallies["numbers"].gold > 15 and s.tallies["key numbers"].gold > 10
    assert s.pairs == {e.id: e.id for e in gold.file.studies}


def test_second_report_that_extends_a_study_is_perfect_against_itself(tmp_path):
    corpus, indexed = load_corpus(with_second_report(tmp_path))
    ev = Evidence.of(corpus, "mission-followup", indexed)
    assert ev.file.studies[0].extends is not None
    s = score(ev, ev)
    assert_perfect(s)
    assert s.tallies["numbers"].gold >= 12


def test_draft_that_extends_the_first_report_pairs_with_a_standalone_gold(golds):
    """A draft attaching to VELORA-1 is scored against a gold file that defines its own study."""
    corpus, indexed = golds[DEVSET]
    gold = Evidence.of(corpus, "velora-1-update", indexed)
    entry = gold.file.studies[0]
    attached = with_study(gold.file, 0, id="velora-1", extends=("study", "velora-1"))
    first = next(f for f in corpus.files if f.document.id == "velora-1")
    draft = Evidence.of(m.Corpus(corpus.entities, (first, attached), corpus.texts),
                        "velora-1-update", indexed)
    assert {a.id for a in draft.merged(draft.file.studies[0]).arms} >= {a.id for a in entry.arms}
    s = score(draft, gold)
    assert_perfect(s)
    assert s.pairs == {"velora-1": "velora-1-update"}


# ---------------------------------------------------------------- perturbations


def test_one_changed_value_is_one_false_positive_and_one_false_negative(golds):
    gold = gold_of(golds, "velora-1")
    s0 = gold.file.studies[0]
    c = next(c for c in s0.comparisons if c.measure == "hazard-ratio")
    changed = replace(c, estimate=c.estimate + Decimal("0.01"))
    draft = with_file(golds, "velora-1", with_study(
        gold.file, 0, comparisons=tuple(changed if x is c else x for x in s0.comparisons)))
    s = score(draft, gold)
    for cat in ("numbers", "key numbers"):
        t = s.tallies[cat]
        assert (t.draft, t.gold, t.matched) == (t.gold, t.gold, t.gold - 1), cat
    assert [n.value for n in s.spurious] == [c.estimate + Decimal("0.01")]
    assert [n.value for n in s.missed] == [c.estimate]
    assert s.tallies["arms"].matched == s.tallies["arms"].gold


def test_values_compare_as_numbers_not_as_text(golds):
    gold = gold_of(golds, "velora-1")
    s0 = gold.file.studies[0]
    c = next(c for c in s0.comparisons if c.estimate is not None)
    rewritten = replace(c, estimate=Decimal(f"{c.estimate}000"))  # 0.72 -> 0.72000
    draft = with_file(golds, "velora-1", with_study(
        gold.file, 0, comparisons=tuple(rewritten if x is c else x for x in s0.comparisons)))
    assert_perfect(score(draft, gold))


def test_dropped_result_lowers_recall_only(golds):
    gold = gold_of(golds, "forge-g")
    s0 = gold.file.studies[0]
    dropped = s0.results[0]
    draft = with_file(golds, "forge-g", with_study(gold.file, 0, results=s0.results[1:]))
    t = score(draft, gold).tallies["numbers"]
    assert t.precision == 1.0
    assert t.recall is not None and t.recall < 1.0
    assert t.gold - t.draft == slots(dropped) > 0


@pytest.mark.parametrize("doc", ["velora-1", "norvelisib-breast", "nsclc-review"])
def test_renamed_ids_change_nothing(golds, doc):
    gold = gold_of(golds, doc)
    draft = with_file(golds, doc, rename(gold.file, "x-"))
    assert all(s.id.startswith("x-") for s in draft.file.studies)
    s = score(draft, gold)
    assert_perfect(s)
    assert s.pairs == {f"x-{e.id}": e.id for e in gold.file.studies}  # several studies: no
    #                                                                    pairing by position


def test_result_moved_to_another_arm_does_not_match(golds):
    gold = gold_of(golds, "velora-1")
    s0 = gold.file.studies[0]
    r = next(r for r in s0.results if r.arm is not None and r.statistic == "median")
    other = next(a.id for a in s0.arms if a.id != r.arm)
    moved = replace(r, arm=other)
    draft = with_file(golds, "velora-1", with_study(
        gold.file, 0, results=tuple(moved if x is r else x for x in s0.results)))
    s = score(draft, gold)
    t = s.tallies["numbers"]
    assert t.draft == t.gold and t.matched == t.gold - slots(r)
    assert {n.record for n in s.missed} == {f"{s0.id}/{r.id}"}
    assert s.tallies["numbers, context ignored"].matched == t.gold  # found, but misplaced


def test_key_numbers_are_hazard_ratios_p_values_medians_rates_and_sizes():
    assert is_key_comparison("hazard-ratio", "ci_low") and is_key_comparison(None, "p_value")
    assert not is_key_comparison(None, "estimate")
    assert is_key_result("os", "median", "value") and not is_key_result("os", "median", "ci_low")
    assert is_key_result("orr", "proportion", "denominator")
    assert not is_key_result("toxicity", "proportion", "value")


# ---------------------------------------------------------------- the harness


def test_draft_that_does_not_load_counts_as_zero_matches(golds, tmp_path):
    corpus, indexed = golds[DEVSET]
    case = next(c for c in iter_cases(golds) if c.doc == "velora-1")
    gold = Evidence.of(corpus, "velora-1", indexed)
    sources = prepare_sources(case, corpus, tmp_path)
    text = Path(gold.file.path).read_text(encoding="utf-8")
    quote = gold.file.studies[0].results[0].quotes[0]
    broken = text.replace(quote, quote + " and a phrase the abstract never prints", 1)
    assert broken != text
    draft = sources / "evidence" / "velora-1.yaml"
    draft.write_text(broken, encoding="utf-8")
    (sources / "texts" / gold.file.document.text_file).write_bytes(case.paper.read_bytes())

    res = evaluate(case, DraftRun(draft, 0.1), sources, gold)
    assert res.failed and not res.loaded
    assert any("quote: not found" in p for p in res.problems)
    assert res.quotes.not_found == 1 and res.quotes.located == res.quotes.total - 1
    for c in CATEGORIES:
        assert res.score.tallies[c].matched == 0, c
    assert res.score.tallies["numbers"].draft == res.score.tallies["numbers"].gold > 0
    facts = summary_facts([res])
    assert facts["failure_rate"] == 1.0 and facts["failed"] == ["velora-1"]
    page = markdown([res], {"date": "today", "machine": "test", "drafter": "test"})
    assert "did not load (counted as zero matches): 1 of 1" in page
    assert "| key numbers recall ≥ 85%, 1 abstract | 0.0%" in page and "missed" in page
    assert "| key numbers recall ≥ 85%, all 1 document | 0.0%" in page


def test_no_draft_at_all_is_a_failure(golds):
    case = next(c for c in iter_cases(golds) if c.doc == "forge-g")
    res = evaluate(case, DraftRun(None, 1.0, "timed out after 1 s"), Path("unused"),
                   gold_of(golds, "forge-g"))
    assert res.failed
    t = res.score.tallies["numbers"]
    assert (t.draft, t.matched) == (0, 0) and t.gold > 0 and t.recall == 0.0


def test_second_reports_are_drafted_beside_their_first_report(golds, tmp_path):
    cases = {c.doc: c for c in iter_cases(golds)}
    assert len(cases) == 28
    assert {d: c.first_report for d, c in cases.items() if c.first_report} == \
        {"velora-1-update": "velora-1", "trellis-ov-update": "trellis-ov"}
    sources = prepare_sources(cases["velora-1-update"], golds[DEVSET][0], tmp_path)
    assert sorted(p.name for p in (sources / "evidence").iterdir()) == ["velora-1.yaml"]
    assert sorted(p.name for p in sources.iterdir()) == \
        ["entities.yaml", "evidence", "identifiers.yaml", "texts"]


def test_first_report_found_from_extends(tmp_path):
    corpus, _ = load_corpus(with_second_report(tmp_path))
    f = next(f for f in corpus.files if f.document.id == "mission-followup")
    assert first_report_of(corpus, f) == "nsclc-review"


def test_gold_drafter_runs_the_harness_end_to_end(golds, tmp_path):
    cases = [c for c in iter_cases(golds) if c.doc in {"velora-1-update", "santoro-2013"}]
    results = run_cases(cases, golds, "gold", timeout=30)
    assert [r.loaded for r in results] == [True, True]
    for r in results:
        assert_perfect(r.score)
        assert r.quotes.total == r.quotes.located > 0
        assert r.numbers_unprinted == 0 and r.numbers_quoted > 0
    assert totals(results)["key numbers"].precision == 1.0
    text = write_results(results, tmp_path, drafter="gold", timeout=30)
    assert "key numbers precision ≥ 90%, 2 abstracts: 100.0% met" in text
    assert "key numbers precision ≥ 90%, all 2 documents: 100.0% met" in text
    page = (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert "| velora-1-update | yes |" in page and (tmp_path / "draft.json").is_file()


def test_missing_drafter_is_reported_not_crashed():
    problem = drafter_problem("function", module="kg.no_such_drafter")
    assert problem is not None and problem.startswith("drafter not available")
    assert drafter_problem("gold") is None


def test_case_paths_point_at_the_gold_texts(golds):
    for c in iter_cases(golds):
        assert isinstance(c, Case) and c.paper.is_file(), c
