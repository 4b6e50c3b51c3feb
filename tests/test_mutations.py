"""No edit of the shipped sources can crash the build: mutation testing through ``check_build``.

Each case breaks one shipped file the way files really break (``tests/mutations.py``: deleted,
doubled or swapped lines and records, changed numbers, broken indentation, stray YAML characters,
renamed keys, U+2212 minus and no-break spaces, cut-short and emptied files, bad encodings) and
runs it through ``kg.pipeline.check_build``, the function ``kg build`` runs before writing, with
the clean build's ``build-report.json`` as the last build. Each case must build, or fail with
``file:line: field: message`` problems (InputError) or validation results; any other exception
fails the test with the seed and case to replay it (``python -m tests.mutations --seed S --case N
--write DIR`` writes the broken sources to build by hand).

Speed: most cases fail while loading (~0.2 s); a case that builds costs ~0.5 s and SHACL another
~0.5 s, so SHACL runs on every third case only (the builders, which are where crashes live, run
on all) and the cases are spread over a fork-based pool of two processes.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

import pytest

from kg.assemble import build
from kg.export.buildreport import REPORT_FILE, write_build_report
from kg.paths import SOURCES_DIR
from kg.pipeline import check_build
from kg.sources.loader import InputError
from tests.mutations import BYTE_KINDS, KINDS, case_rng, mutate

CASES = int(os.environ.get("KG_MUTATION_CASES", "250"))  # per seed: 500 a run
FIXED_SEED = 20240611
SHACL_EVERY = 3
PROBLEM = re.compile(r"^(?P<file>[^\n]+?):(?P<line>[1-9]\d*): (?P<field>[^\n]*?\S[^\n]*?): "
                     r"(?P<message>[^\n]*\S)$")
COPY = shutil.ignore_patterns("*.py", "__pycache__")


def random_seed() -> int:
    """A new seed each run, or ``KG_MUTATION_SEED`` to replay one."""
    given = os.environ.get("KG_MUTATION_SEED")
    return int(given) if given else random.SystemRandom().randrange(2**31)


def check_problems(problems: list[str], allowed: tuple[str, ...]) -> str | None:
    """What is wrong with a list of input problems, or None: each is file:line: field: message."""
    if not problems:
        return "InputError without problems"
    for p in problems:
        mt = PROBLEM.match(p)
        if mt is None:
            return f"not a 'file:line: field: message' problem: {p!r}"
        if not mt.group("file").startswith(allowed):
            return f"problem names a file outside the inputs: {p!r}"
    return None


def run_case(seed: int, case: int, sources: Path, out: Path) -> tuple[str, str, str | None]:
    """Apply one mutation, run the build checks, restore: (mutation, outcome, failure or None)."""
    mutation = mutate(case_rng(seed, case), SOURCES_DIR)
    path = sources / mutation.file
    path.write_bytes(mutation.data)
    try:
        checked = check_build(sources, out, validate=case % SHACL_EVERY == 0)
    except InputError as exc:
        return str(mutation), "rejected", check_problems(exc.problems, (str(sources), str(out)))
    except Exception:
        return str(mutation), "crashed", traceback.format_exc()
    finally:
        shutil.copyfile(SOURCES_DIR / mutation.file, path)
    for v in checked.violations:
        if "\n" in str(v) or not str(v).strip():
            return str(mutation), "invalid", f"validation result not one line: {str(v)!r}"
    return str(mutation), "invalid" if checked.violations else "built", None


Result = tuple[int, str, str, str | None, float]  # case, mutation, outcome, failure, CPU seconds


def _worker(job: tuple[int, list[int], Path, Path]) -> list[Result]:
    seed, cases, sources, out = job
    own = sources.with_name(f"{sources.name}-{os.getpid()}")
    if not own.exists():
        shutil.copytree(sources, own)
    results = []
    for case in cases:
        start = time.process_time()
        mutation, outcome, failure = run_case(seed, case, own, out)
        results.append((case, mutation, outcome, failure, time.process_time() - start))
    return results


@pytest.fixture(scope="module")
def last_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the shipped sources and an output folder holding their build report."""
    root = tmp_path_factory.mktemp("mutations")
    sources = root / "sources"
    shutil.copytree(SOURCES_DIR, sources, ignore=COPY)
    out = root / "output"
    out.mkdir()
    write_build_report(build(sources).report, out / REPORT_FILE)
    return sources, out


def run_cases(seed: int, n: int, sources: Path, out: Path) -> list[Result]:
    """All cases of one seed, over a fork-based pool of two (or inline on one CPU)."""
    procs = min(2, os.cpu_count() or 1)
    jobs = [(seed, list(range(i, n, procs)), sources, out) for i in range(procs)]
    if procs == 1:
        return _worker(jobs[0])
    # workers die on the pool's SIGTERM, whatever handler the parent had when it forked
    fork = multiprocessing.get_context("fork")
    with fork.Pool(procs, initializer=signal.signal,
                   initargs=(signal.SIGTERM, signal.SIG_DFL)) as pool:
        parts = pool.map_async(_worker, jobs).get(timeout=900)  # a hang fails, never blocks CI
    return sorted(r for part in parts for r in part)


@pytest.mark.parametrize("which", ["fixed", "random"])
def test_no_mutation_crashes_the_build(which: str, last_build: tuple[Path, Path]):
    seed = FIXED_SEED if which == "fixed" else random_seed()
    start = time.perf_counter()
    results = run_cases(seed, CASES, *last_build)
    seconds = time.perf_counter() - start
    outcomes = Counter(r[2] for r in results)
    cpu = sum(r[4] for r in results)
    print(f"\nseed {seed}: {len(results)} cases in {seconds:.1f} s ({cpu:.1f} s CPU): "
          f"{dict(outcomes)}")
    failures = [f"case {case}: {mutation}: {detail}" for case, mutation, _, detail, _ in results
                if detail is not None]
    replay = (f"replay with KG_MUTATION_SEED={seed} (one case: python -m tests.mutations --seed "
              f"{seed} --case N --write DIR)")
    assert not failures, f"{len(failures)} of {len(results)} failed; {replay}\n" + "\n".join(
        failures[:10])
    assert len(results) == CASES
    assert outcomes["rejected"] and outcomes["built"], outcomes  # the mutations bite, not all


def test_mutations_cover_every_kind():
    kinds = Counter(str(mutate(case_rng(FIXED_SEED, case), SOURCES_DIR)).split(" in ")[0]
                    for case in range(300))
    assert set(kinds) == set(KINDS) | set(BYTE_KINDS), kinds
    files = Counter(str(mutate(case_rng(FIXED_SEED, case), SOURCES_DIR)).split(" in ")[1]
                    .split(" at ")[0] for case in range(60))
    assert len(files) == 4, files


def test_a_broken_problem_format_is_caught():
    """The checker itself can fail: a message without a line, or naming another file."""
    allowed = ("/src",)
    assert check_problems(["/src/a.yaml:3: claims[0].id: required field is empty"], allowed) is None
    assert check_problems(["/src/a.yaml: syntax: bad"], allowed) is not None
    assert check_problems(["/src/a.yaml:0: id: x"], allowed) is not None
    assert check_problems(["/other/a.yaml:3: id: x"], allowed) is not None
    assert check_problems(["/src/a.yaml:3: id: two\nlines"], allowed) is not None
    assert check_problems([], allowed) is not None


# Crashes the mutations found (each now a loader problem, and a case in bad_inputs/cases.yaml),
# run through the real command: exit 1, one line per problem, no traceback, output/ unchanged.
CRASHERS = [
    ("evidence/nsclc-review.yaml", "    label: sorafenib is approved as second-line treatment in "
     "HCC and RCC\n    drugs: [sorafenib]\n", "    label: sorafenib is approved as second-line "
     "treatment in HCC and RCC\n", "claims[1].drugs: required for a claim of kind 'approval'"),
    ("evidence/santoro-2013.yaml", "  - id: santoro-2013-mechanism\n", "  - id: >\n",
     "claims[0].id: required field is empty"),
    ("evidence/santoro-2013.yaml", "    label: sorafenib 400 mg twice daily\n",
     "    label: sorafenib 400 mg twice daily \udcff\n", "encoding: not UTF-8 text (byte 0xff)"),
    ("entities.yaml", "    label: sorafenib\n", "    label: !!int sorafenib\n",
     "syntax: cannot read 'sorafenib' as int"),
    ("evidence/nsclc-review.yaml", "    - '\\d{1,4}'\n", "    - '\\d{007,4}'\n",
     "document.page_headers: invalid regular expression"),
]


def kg_build(sources: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", "build", "--sources", str(sources),
                           "--out", str(out), "--no-html", "--quiet"], capture_output=True,
                          text=True, timeout=300, check=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_found_crashes_fail_cleanly_through_the_cli(tmp_path: Path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources, ignore=COPY)
    out = tmp_path / "output"
    assert kg_build(sources, out).returncode == 0
    before = snapshot(out)
    for file, old, new, expect in CRASHERS:
        path = sources / file
        text = (SOURCES_DIR / file).read_text(encoding="utf-8")
        assert old in text, f"{file} changed; update the case"
        path.write_bytes(text.replace(old, new, 1).encode("utf-8", "surrogateescape"))
        proc = kg_build(sources, out)
        shutil.copyfile(SOURCES_DIR / file, path)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr, proc.stderr
        lines = proc.stderr.splitlines()
        assert any(line.startswith(f"{path}:") and expect in line for line in lines), proc.stderr
        assert lines[-1].startswith("error: ") and "nothing was written" in lines[-1]
        assert snapshot(out) == before
