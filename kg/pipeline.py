"""What ``kg build`` does before it writes: load, assemble, compare with the last build, validate.

The CLI and the tests call this one function, so what the tests prove (no input makes it fail
other than with ``file:line`` problems or validation results) is what users run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.assemble import BuildResult, build
from kg.cache import BuildCache
from kg.export.buildreport import REPORT_FILE, read_previous, shrink_problems
from kg.paths import SOURCES_DIR
from kg.sources.loader import InputError
from kg.stages import stage
from kg.validate import Violation, check_store, validate_graph


@dataclass
class CheckedBuild:
    """An assembled graph that passed the input checks, and its validation results."""

    result: BuildResult
    violations: list[Violation] = field(default_factory=list)


def check_build(sources: Path = SOURCES_DIR, out: Path | None = None, *,
                allow_shrink: bool = False, validate: bool = True, full_validation: bool = False,
                progress: Callable[[str], None] | None = None,
                cache: BuildCache | None = None) -> CheckedBuild:
    """Build the graph of ``sources`` and check it; raise InputError naming every bad input.

    ``out`` is the output folder the graph is meant for: its ``build-report.json`` (if any) is the
    last build, and a document that is gone or lost more than half of its records since is
    refused unless ``allow_shrink``. Validation runs the shapes as SPARQL over the build's
    store; ``full_validation`` runs pySHACL instead (the reference, seconds where the other
    takes milliseconds).
    """
    say = progress or (lambda _m: None)
    result = build(sources, progress=progress, cache=cache)
    if cache is not None:
        say(f"cache: {cache.hits} of {cache.hits + cache.misses} evidence file(s) unchanged")
    if out is not None and not allow_shrink:
        with stage("comparing with the last build"):
            problems: list[str] = []
            previous = read_previous(out / REPORT_FILE, problems)
            if previous is not None:
                problems += shrink_problems(previous, result.report, out / REPORT_FILE)
        if problems:
            raise InputError(problems)
    checked = CheckedBuild(result)
    if validate:
        say("validating against ontology/shapes.ttl" + (" (pySHACL)" if full_validation else ""))
        t = time.perf_counter()
        with stage("validating"):
            checked.violations = (validate_graph(result.union()) if full_validation
                                  else check_store(result.store))
        result.report.seconds["validate"] = time.perf_counter() - t
    return checked
