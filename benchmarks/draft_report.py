"""Tables of the drafting benchmark: totals against the goal, one row per document, JSON detail.

Totals add counts over documents (micro-averages), so a long document weighs by how much it
states. A draft that did not load counts with all its numbers unmatched. The verdict is written
as "met" or "missed" against the goal, never rounded up.
"""

from __future__ import annotations

import datetime
import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.run import machine
from benchmarks.scoring import CATEGORIES, Tally

if TYPE_CHECKING:
    from benchmarks.draft_records import DocResult

GOAL = {"precision": 0.90, "recall": 0.85}  # for key numbers
# the goal is about abstracts; the shipped review, drafted whole, is reported beside them
NOT_ABSTRACTS = {"nsclc-review"}
MAX_PROBLEMS = 8  # loader messages shown per failed draft in the Markdown


def pct(x: float | None) -> str:
    """A rate as a percentage with one decimal, or a dash when undefined."""
    return "–" if x is None else f"{100 * x:.1f}%"


def totals(results: Sequence[DocResult]) -> dict[str, Tally]:
    """Each category summed over documents."""
    out = {c: Tally() for c in CATEGORIES}
    for r in results:
        for c in CATEGORIES:
            out[c] = out[c] + r.score.tallies[c]
    return out


def verdicts(total: dict[str, Tally], of: str = "") -> list[tuple[str, float | None, str]]:
    """(goal, measured, met/missed) for key-number precision and recall."""
    key = total["key numbers"]
    rows = []
    for name, target in GOAL.items():
        value = getattr(key, name)
        ok = value is not None and value >= target
        rows.append((f"key numbers {name} ≥ {target:.0%}{of}", value,
                     "met" if ok else "missed"))
    return rows


def abstracts(results: Sequence[DocResult]) -> list[DocResult]:
    """The documents that are abstracts, the kind of text the goal is set for."""
    return [r for r in results if r.case.doc not in NOT_ABSTRACTS]


def all_verdicts(results: Sequence[DocResult]) -> list[tuple[str, float | None, str, Tally]]:
    """Verdicts on the abstracts, then on every document (the review included)."""
    short = abstracts(results)
    out = []
    plural = {True: "", False: "s"}
    for subset, of in ((short, f", {len(short)} abstract{plural[len(short) == 1]}"),
                       (results, f", all {len(results)} document{plural[len(results) == 1]}")):
        total = totals(subset)
        out += [(*v, total["key numbers"]) for v in verdicts(total, of)]
    return out


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def summary_facts(results: Sequence[DocResult]) -> dict:
    """Run-wide facts: failures, quotes located, numbers printed, times."""
    times = [r.run.seconds for r in results]
    quotes = sum(r.quotes.total for r in results)
    located = sum(r.quotes.located for r in results)
    numbers = sum(r.numbers_quoted for r in results)
    unprinted = sum(r.numbers_unprinted for r in results)
    failed = [r.case.doc for r in results if r.failed]
    return {
        "documents": len(results), "failed": failed,
        "failure_rate": _rate(len(failed), len(results)),
        "quotes": {"total": quotes, "located": located,
                   "not_found": sum(r.quotes.not_found for r in results),
                   "ambiguous": sum(r.quotes.ambiguous for r in results),
                   "rate": _rate(located, quotes)},
        "numbers_printed": {"total": numbers, "unprinted": unprinted,
                            "rate": _rate(numbers - unprinted, numbers)},
        "seconds": {"total": round(sum(times), 2),
                    "median": round(statistics.median(times), 2) if times else None,
                    "max": round(max(times), 2) if times else None},
    }


def _tally_json(t: Tally) -> dict:
    return {"draft": t.draft, "gold": t.gold, "matched": t.matched,
            "precision": t.precision, "recall": t.recall}


def to_json(results: Sequence[DocResult], meta: dict) -> dict:
    """Everything, including the numbers each draft missed or added (for the drafter's author)."""
    total = totals(results)
    docs = []
    for r in results:
        docs.append({
            "document": r.case.doc, "first_report": r.case.first_report,
            "loaded": r.loaded, "drafter_error": r.run.error,
            "seconds": round(r.run.seconds, 3), "problems": r.problems,
            "tallies": {c: _tally_json(t) for c, t in r.score.tallies.items()},
            "study_pairs": r.score.pairs,
            "quotes": {"total": r.quotes.total, "located": r.quotes.located,
                       "not_found": r.quotes.not_found, "ambiguous": r.quotes.ambiguous},
            "numbers_printed": {"total": r.numbers_quoted, "unprinted": r.numbers_unprinted},
            "spurious": [n.describe() for n in r.score.spurious],
            "missed": [n.describe() for n in r.score.missed],
        })
    return {**meta, "goal": GOAL,
            "verdicts": [{"goal": g, "measured": v, "verdict": x}
                         for g, v, x, _ in all_verdicts(results)],
            "totals": {c: _tally_json(t) for c, t in total.items()},
            **summary_facts(results), "per_document": docs}


def _pr(t: Tally) -> str:
    return f"{pct(t.precision)} / {pct(t.recall)}"


def markdown(results: Sequence[DocResult], meta: dict) -> str:
    """The results page: goal, totals, one row per document, why drafts failed."""
    total = totals(results)
    facts = summary_facts(results)
    lines = [
        "# Drafting benchmark: `kg draft` against the gold files", "",
        f"Measured {meta['date']} on {meta['machine']} at commit "
        f"{meta.get('revision', 'unknown')}; drafter: {meta['drafter']}, "
        f"{facts['documents']} documents (the development set in `benchmarks/draft/sources` and "
        "the shipped documents). How it is scored: `benchmarks/README.md`. Numbers each draft "
        "missed or added are listed in `draft.json`.", "",
        "## Against the goal", "",
        "| goal | measured | verdict |", "|---|---|---|"]
    for goal, value, verdict, key in all_verdicts(results):
        lines.append(f"| {goal} | {pct(value)} ({key.matched} matched of "
                     f"{key.draft if 'precision' in goal else key.gold}) | {verdict} |")
    q, n, s = facts["quotes"], facts["numbers_printed"], facts["seconds"]
    lines += [
        "", f"Drafts that did not load (counted as zero matches): {len(facts['failed'])} of "
        f"{facts['documents']} ({pct(facts['failure_rate'])})"
        + (f": {', '.join(facts['failed'])}." if facts["failed"] else "."), "",
        "## Totals", "",
        "| category | drafted | gold | matched | precision | recall |", "|---|---|---|---|---|---|"]
    for c, t in total.items():
        lines.append(f"| {c} | {t.draft} | {t.gold} | {t.matched} | {pct(t.precision)} | "
                     f"{pct(t.recall)} |")
    lines += [
        "", f"- Quotes located exactly once: {q['located']} of {q['total']} ({pct(q['rate'])}); "
        f"not found {q['not_found']}, ambiguous {q['ambiguous']}.",
        f"- Numbers printed in their own record's quotes: {n['total'] - n['unprinted']} of "
        f"{n['total']} ({pct(n['rate'])}).",
        f"- Drafting time: {s['total']} s in all, median {s['median']} s, slowest {s['max']} s.",
        "", "## Per document", "",
        "Precision / recall per category; quotes located; numbers not printed in their quotes.",
        "", "| document | loaded | s | numbers | key numbers | studies | arms | populations | "
        "quotes | unprinted |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        t = r.score.tallies
        loaded = "yes" if r.loaded else ("**no: drafter**" if r.run.error else "**no**")
        lines.append(
            f"| {r.case.doc} | {loaded} | {r.run.seconds:.1f} | {_pr(t['numbers'])} | "
            f"{_pr(t['key numbers'])} | {_pr(t['studies'])} | {_pr(t['arms'])} | "
            f"{_pr(t['populations'])} | {r.quotes.located}/{r.quotes.total} | "
            f"{r.numbers_unprinted} |")
    failed = [r for r in results if r.failed]
    if failed:
        lines += ["", "## Why drafts failed", ""]
        for r in failed:
            why = [r.run.error] if r.run.error else r.problems[:MAX_PROBLEMS]
            more = len(r.problems) - MAX_PROBLEMS if not r.run.error else 0
            lines.append(f"- **{r.case.doc}**" + (f" ({more} more problems)" if more > 0 else ""))
            lines += [f"  - `{p}`" for p in why]
    return "\n".join(lines) + "\n"


def summary(results: Sequence[DocResult]) -> str:
    """A few lines for the terminal."""
    total = totals(results)
    facts = summary_facts(results)
    out = [f"{c:24} P {pct(t.precision):>6}  R {pct(t.recall):>6}  "
           f"({t.matched} matched, {t.draft} drafted, {t.gold} gold)" for c, t in total.items()]
    out += [f"{g}: {pct(v)} {x}" for g, v, x, _ in all_verdicts(results)]
    out.append(f"failed drafts {len(facts['failed'])} of {facts['documents']}; quotes located "
               f"{pct(facts['quotes']['rate'])}; numbers printed in their quotes "
               f"{pct(facts['numbers_printed']['rate'])}")
    return "\n".join(out)


def write_results(results: Sequence[DocResult], out: Path | None, drafter: str,
                  timeout: float, revision: str = "unknown") -> str:
    """Write ``draft.md`` and ``draft.json`` into ``out`` (if given); return the summary."""
    meta = {"date": datetime.date.today().isoformat(), "machine": machine(),
            "revision": revision,
            "drafter": {"cli": f"`kg draft` in a subprocess (time limit {timeout:g} s)",
                        "function": "`kg.draft.draft_paper` in process",
                        "gold": "the gold files themselves (harness check)"}[drafter]}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "draft.md").write_text(markdown(results, meta), encoding="utf-8")
        (out / "draft.json").write_text(json.dumps(to_json(results, meta), indent=1) + "\n",
                                        encoding="utf-8")
    return summary(results)
