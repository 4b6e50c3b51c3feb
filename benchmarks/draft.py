"""Run ``kg draft`` on every development document and score each draft against its gold file.

``make bench-draft`` (``python -m benchmarks.draft``) drafts the 26 made-up abstracts of
``benchmarks/draft/sources`` and the two shipped documents, each into a fresh sources folder that
holds only the entities and identifier table (and, for a second report, the first report's gold
file and text, so the draft can attach to the known study). Each draft is loaded with the project's
loader; a draft that does not load counts as zero matches. Scores come from
``benchmarks/scoring.py``; the tables are written to ``benchmarks/results/draft.{md,json}`` by
``benchmarks/draft_report.py``. ``--drafter gold`` copies the gold files as the "drafts", which
checks this harness end to end (everything must score 1.0).
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.draft_records import Case, DocResult, DraftRun, QuoteCounts
from benchmarks.draft_report import write_results
from benchmarks.scoring import Evidence, score
from kg import model as m
from kg.paths import SOURCES_DIR
from kg.provenance import QuoteAmbiguous, QuoteNotFound, SourceText
from kg.sources.binding import check_numbers_quoted, iter_numbers_of
from kg.sources.linking import resolve_extensions
from kg.sources.loader import (
    InputError,
    load_corpus,
    load_entities,
    load_evidence_file,
    load_identifier_table,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEVSET = HERE / "draft" / "sources"
RESULTS = HERE / "results"
# Second reports of a trial whose gold file defines its own study (the format could not point at
# another file's study when they were curated); a gold entry with ``extends:`` is found by itself.
SECOND_REPORTS = {"velora-1-update": "velora-1", "trellis-ov-update": "trellis-ov"}
DRAFTERS = ("cli", "function", "gold")
SHARED_FILES = ("entities.yaml", "identifiers.yaml")


# ---------------------------------------------------------------- the development set


def first_report_of(corpus: m.Corpus, f: m.EvidenceFile) -> str | None:
    """The document whose study this one's gold file attaches to, if it is a second report."""
    for s in f.studies:
        if s.extends is not None:
            owner = corpus.owners.get(s.id)
            if owner and owner != f.document.id:
                return owner
    first = SECOND_REPORTS.get(f.document.id)
    return first if first and any(g.document.id == first for g in corpus.files) else None


def load_gold(gold_dir: Path) -> tuple[m.Corpus, dict[str, SourceText]]:
    """A gold sources folder, loaded and validated (it must load: it is the reference)."""
    return load_corpus(gold_dir)


def iter_cases(golds: dict[Path, tuple[m.Corpus, dict[str, SourceText]]]) -> list[Case]:
    """Every document of every gold folder, in file order."""
    cases = []
    for gold_dir, (corpus, _) in golds.items():
        for f in corpus.files:
            cases.append(Case(f.document.id, gold_dir / "texts" / f.document.text_file,
                              gold_dir, first_report_of(corpus, f)))
    return cases


def prepare_sources(case: Case, gold: m.Corpus, root: Path) -> Path:
    """A sources folder with the entities and identifier table only (plus a first report)."""
    sources = root / "sources"
    (sources / "evidence").mkdir(parents=True)
    (sources / "texts").mkdir()
    for name in SHARED_FILES:
        shutil.copy(case.gold_dir / name, sources / name)
    if case.first_report:
        first = next(f for f in gold.files if f.document.id == case.first_report)
        shutil.copy(_gold_path(first), sources / "evidence")
        shutil.copy(case.gold_dir / "texts" / first.document.text_file, sources / "texts")
    return sources


def _gold_path(f: m.EvidenceFile) -> Path:
    """The gold file on disk (``EvidenceFile.path`` may be relative to the working directory)."""
    return Path(f.path).resolve()


# ---------------------------------------------------------------- running the drafter


def drafter_problem(drafter: str, module: str = "kg.draft") -> str | None:
    """Why the drafter cannot run here, or None when it can."""
    if drafter == "gold":
        return None
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        return f"drafter not available: cannot import {module} ({exc})"
    if not callable(getattr(mod, "draft_paper", None)):
        return f"drafter not available: {module} has no draft_paper()"
    where = Path(getattr(mod, "__file__", None) or "").resolve()
    if not where.is_relative_to(ROOT):
        # an editable install of another checkout can supply a module this one lacks
        return f"drafter not available in this checkout: {module} comes from {where}"
    if drafter == "cli":
        proc = subprocess.run([sys.executable, "-m", "kg", "draft", "--help"], cwd=ROOT,
                              env=_env(), capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            return "drafter not available: 'kg draft --help' fails: " + \
                (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
    return None


def _env() -> dict[str, str]:
    """The environment of a child process, with this checkout's ``kg`` first on its path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def run_drafter(case: Case, sources: Path, drafter: str, timeout: float,
                gold: m.Corpus | None = None) -> DraftRun:
    """Draft one document into ``sources`` and time it."""
    t = time.perf_counter()
    expected = sources / "evidence" / f"{case.doc}.yaml"
    try:
        if drafter == "cli":
            proc = subprocess.run(
                [sys.executable, "-m", "kg", "draft", str(case.paper), "--id", case.doc,
                 "--sources", str(sources)],
                cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=timeout,
                check=False)
            if proc.returncode != 0:
                tail = proc.stderr.replace(f"{sources}/", "").strip().splitlines()[-5:]
                # a file left behind is still scored (it fails to load, but its quotes count)
                return DraftRun(expected if expected.is_file() else None,
                                time.perf_counter() - t,
                                f"kg draft exited {proc.returncode}: " + " / ".join(tail))
            path = expected
        elif drafter == "function":
            written = importlib.import_module("kg.draft").draft_paper(case.paper, sources,
                                                                      case.doc)
            # a DraftReport names the file in .evidence; a bare path is accepted too
            path = Path(getattr(written, "evidence", written))
        else:
            path = _copy_gold(case, sources, gold)
    except subprocess.TimeoutExpired:
        return DraftRun(None, time.perf_counter() - t, f"timed out after {timeout:g} s")
    except Exception as exc:  # the drafter is the code under test; any failure is a result
        return DraftRun(None, time.perf_counter() - t, f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - t
    if not path.is_file():
        return DraftRun(None, seconds, f"no draft written at {path.relative_to(sources)}")
    return DraftRun(path, seconds)


def _copy_gold(case: Case, sources: Path, gold: m.Corpus | None) -> Path:
    """The gold file itself as the draft (checks the harness: it must score 1.0)."""
    if gold is None:
        raise ValueError("the gold drafter needs the gold corpus")
    f = next(f for f in gold.files if f.document.id == case.doc)
    shutil.copy(case.paper, sources / "texts" / f.document.text_file)
    return Path(shutil.copy(_gold_path(f), sources / "evidence"))


# ---------------------------------------------------------------- reading and checking a draft


def _same_file(f: m.EvidenceFile, path: Path) -> bool:
    return Path(f.path).resolve() == path.resolve()


def read_strict(sources: Path, draft: Path) -> tuple[Evidence | None, list[str]]:
    """The draft as the build would read it, or the loader's problems."""
    try:
        corpus, indexed = load_corpus(sources)
    except InputError as exc:
        return None, list(exc.problems)
    except Exception as exc:  # a crash of the loader on a draft is a failed draft, not ours
        return None, [f"the loader crashed: {type(exc).__name__}: {exc}"]
    f = next((f for f in corpus.files if _same_file(f, draft)), None)
    if f is None:
        return None, [f"{draft.name}: not among the loaded evidence files"]
    return Evidence.of(corpus, f.document.id, indexed), []


def read_lenient(sources: Path, draft: Path) -> Evidence | None:
    """The draft's records however broken its references or quotes (for counting only)."""
    problems: list[str] = []
    try:
        table = load_identifier_table(sources / "identifiers.yaml", problems)
        ent = load_entities(sources / "entities.yaml", table, problems)
        files = [f for f in (load_evidence_file(p, problems)
                             for p in sorted((sources / "evidence").glob("*.yaml")))
                 if f is not None]
        files = resolve_extensions(files, ent, problems)
        f = next((f for f in files if _same_file(f, draft)), None)
        if f is None:
            return None
        corpus = m.Corpus(ent, tuple(files), {})
        try:
            text = (sources / "texts" / f.document.text_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return Evidence(f, corpus.studies, None)
        return Evidence(f, corpus.studies, SourceText(text, f.document.page_headers))
    except Exception:  # an unreadable draft simply has nothing to count
        return None


def count_quotes(ev: Evidence) -> QuoteCounts:
    """Locate every quote of the draft as the loader does (exactly once in the text)."""
    quotes = [q for _, rec in ev.file.iter_records() for q in rec.quotes]
    quotes += [e.quote for e in ev.file.explanations]
    found = missing = ambiguous = 0
    for q in quotes:
        if ev.text is None:
            missing += 1
            continue
        try:
            ev.text.locate(q)
            found += 1
        except QuoteNotFound:
            missing += 1
        except QuoteAmbiguous:
            ambiguous += 1
    return QuoteCounts(len(quotes), found, missing, ambiguous)


def count_printed(f: m.EvidenceFile) -> tuple[int, int]:
    """(numbers that must be printed in their record's quotes, numbers that are not)."""
    total = 0
    for _, rec in f.iter_records():
        derived = dict(getattr(rec, "derived", ()))
        total += sum(1 for name, _ in iter_numbers_of(rec) if name not in derived)
    problems: list[str] = []
    check_numbers_quoted([f], problems)
    return total, len(problems)


def evaluate(case: Case, run: DraftRun, sources: Path, gold: Evidence) -> DocResult:
    """Load, check and score one draft."""
    if run.path is None:
        return DocResult(case, run, False, score(None, gold))
    strict, problems = read_strict(sources, run.path)
    if run.error is not None:
        strict = None  # the drafter itself reported failure: not a usable draft
    lenient = strict or read_lenient(sources, run.path)
    if lenient is None:
        return DocResult(case, run, False, score(None, gold), problems)
    numbers, unprinted = count_printed(lenient.file)
    result = score(lenient, gold)
    prefix = f"{sources.resolve()}/"
    return DocResult(case, run, strict is not None,
                     result if strict is not None else result.unloaded(),
                     [p.replace(prefix, "").replace(f"{sources}/", "") for p in problems],
                     count_quotes(lenient), numbers, unprinted)


# ---------------------------------------------------------------- the whole run


def run_cases(cases: Sequence[Case], golds: dict[Path, tuple[m.Corpus, dict[str, SourceText]]],
              drafter: str, timeout: float, keep: Path | None = None,
              progress: Callable[[str], None] | None = None) -> list[DocResult]:
    """Draft and score every case, each in its own temporary sources folder."""
    results = []
    for case in cases:
        corpus, indexed = golds[case.gold_dir]
        gold = Evidence.of(corpus, case.doc, indexed)
        with tempfile.TemporaryDirectory(prefix=f"draft-{case.doc}-") as tmp:
            sources = prepare_sources(case, corpus, Path(tmp))
            run = run_drafter(case, sources, drafter, timeout, corpus)
            res = evaluate(case, run, sources, gold)
            if keep is not None:
                shutil.copytree(sources, keep / case.doc, dirs_exist_ok=True)
        results.append(res)
        if progress:
            t = res.score.tallies["key numbers"]
            state = "FAILED" if res.failed else "ok"
            progress(f"{case.doc:24} {state:6} {run.seconds:6.1f} s  key numbers "
                     f"{t.matched}/{t.draft} drafted, {t.matched}/{t.gold} gold")
    return results


def revision() -> str:
    """The commit measured, flagged when ``kg/`` has uncommitted changes (results must say)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "kg"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes in kg/" if dirty else "")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: draft, score, write the results, print a summary."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.draft", description=__doc__)
    ap.add_argument("--drafter", choices=DRAFTERS, default="cli",
                    help="cli: 'kg draft' in a subprocess (default); function: "
                         "kg.draft.draft_paper in this process; gold: copy the gold files "
                         "(a check of this harness)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per draft (cli)")
    ap.add_argument("--only", action="append", metavar="DOC", help="only these documents")
    ap.add_argument("--out", type=Path, help="results folder (default benchmarks/results; "
                                             "with --drafter gold, nothing is written)")
    ap.add_argument("--keep", type=Path, help="keep every draft's sources folder here")
    args = ap.parse_args(argv)
    problem = drafter_problem(args.drafter)
    if problem:
        print(f"{problem}\n'make bench-draft' needs the drafter (kg/draft, 'kg draft PAPER "
              "--id ID --sources DIR'); nothing was measured.", file=sys.stderr)
        return 2
    golds = {d: load_gold(d) for d in (DEVSET, SOURCES_DIR)}
    cases = [c for c in iter_cases(golds) if not args.only or c.doc in args.only]
    if args.only and len(cases) != len(set(args.only)):
        print(f"unknown document(s): {sorted(set(args.only) - {c.doc for c in cases})}",
              file=sys.stderr)
        return 2
    results = run_cases(cases, golds, args.drafter, args.timeout, args.keep, print)
    out = args.out if args.out or args.drafter == "gold" else RESULTS
    summary = write_results(results, out, drafter=args.drafter, timeout=args.timeout,
                            revision=revision())
    print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
