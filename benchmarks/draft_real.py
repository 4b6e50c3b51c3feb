"""``kg draft`` on real abstracts: the PICO-Corpus development split beside the project.

``make bench-draft-real`` runs the corpus's own scorer (``../shared/corpora/pico/score.py``) on
this checkout: it drafts each abstract with the documented command line, accepts the names the
draft proposes, drafts again, builds the drafts and scores every arm-attributed number (total and
per-arm sizes, per-arm medians, percentages and counts) against the human annotations. The texts
stay outside the repository; only the scores are written, to
``benchmarks/results/draft-real.{md,json}``, with the goals of issue 21 and a verdict for each.

Options: ``--limit N`` (default 100: the first N abstracts in PMID order; 0 for all 719),
``--jobs J`` (default 2), ``--corpus DIR``, ``--results DIR``. Without the corpus the
benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "pico"
RESULTS = HERE / "results"
GOALS = (("recall", 75.0), ("precision", 85.0))  # arm-attributed numbers, issue 21
LAST_LINE = re.compile(r"pico: recall (?P<recall>[\d.]+)% \((?P<found>\d+)/(?P<key>\d+)\) "
                       r"precision (?P<precision>[\d.]+%|-) \((?P<right>\d+)/(?P<drafted>\d+)\) "
                       r"side-agnostic recall (?P<agnostic>[\d.]+)% over (?P<n>\d+) abstracts "
                       r"\((?P<failed>\d+) failed\)")


def run(corpus: Path, limit: int, jobs: int) -> tuple[str, dict]:
    """The scorer's report and its last line's figures."""
    cmd = [sys.executable, str(corpus / "score.py"), str(ROOT), "dev", "--jobs", str(jobs)]
    if limit:
        cmd += ["--limit", str(limit)]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"score.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    found = LAST_LINE.search(proc.stdout)
    if not found:
        raise SystemExit("score.py printed no summary line:\n" + proc.stdout[-2000:])
    figures: dict = {k: float(v.rstrip("%")) if "." in v or v.endswith("%") else int(v)
                     for k, v in found.groupdict().items() if v != "-"}
    figures.setdefault("precision", 0.0)  # nothing drafted: no number was right
    figures["seconds"] = round(time.monotonic() - started, 1)
    return proc.stdout, figures


def write(report: str, figures: dict, limit: int, results: Path = RESULTS) -> None:
    """benchmarks/results/draft-real.{md,json}: goals with verdicts, then the scorer's tables."""
    rows = [f"| arm-attributed {name} | ≥ {goal:g}% | {figures[name]}% | "
            f"{'met' if figures[name] >= goal else 'missed'} |" for name, goal in GOALS]
    lines = ["# `kg draft` on real abstracts (PICO-Corpus development split)", "",
             f"First {limit or 'all'} abstracts in PMID order, scored by the corpus's "
             "`score.py` (draft, accept the proposed names, draft again, build, score).", "",
             "| goal | target | measured | verdict |", "|---|---|---|---|", *rows, "",
             f"Side-agnostic recall {figures['agnostic']}%; {figures['failed']} of "
             f"{figures['n']} abstracts failed; {figures['seconds']} s.", "", "```",
             report.rstrip(), "```", ""]
    results.mkdir(exist_ok=True)
    (results / "draft-real.md").write_text("\n".join(lines), encoding="utf-8")
    (results / "draft-real.json").write_text(json.dumps(
        {"limit": limit, **figures, "goals": dict(GOALS)}, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the scorer when the corpus is there; write and print the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    if not (args.corpus / "score.py").exists():
        print(f"no real-abstract corpus at {args.corpus}: nothing measured")
        return 0
    report, figures = run(args.corpus, args.limit, args.jobs)
    write(report, figures, args.limit, args.results)
    print(report.rstrip())
    for name, goal in GOALS:
        verdict = "met" if figures[name] >= goal else "missed"
        print(f"arm-attributed {name} ≥ {goal:g}%: {figures[name]}% {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
