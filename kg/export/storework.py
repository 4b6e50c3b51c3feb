"""The build's store work: validation, the evidence tables and the named answers, in a thread.

Split from ``kg.pipeline`` (which starts it and writes what it gives): what the store thread
computes, and how it follows an edit. The verdict checks the changed nodes alone
(``check_changed``); the tables redo the rows an edit reaches (``kg.export.rowgroups``); a graph
that is the last build's keeps all three and loads no store (``unchanged_graph``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.assemble import BuildResult, give_back_memory
from kg.stages import stage
from kg.validate import Violation, check_store, focus_nodes, validate_graph

if TYPE_CHECKING:
    from kg.export.rowgroups import RowGroups
    from kg.query.engine import Result
    from kg.query.precompute import Answer
    from kg.query.reuse import LastAnswers


class StoreWork:
    """Validation and the evidence tables' queries on the build's store, in a thread.

    pyoxigraph releases the GIL while it loads and queries, so on two cores this runs beside
    the Python that writes Turtle and JSON-LD and draws pages (a 1,000x build: ~25 s that no
    longer adds to the wall time). A daemon thread: an interrupted build does not wait for it,
    and it only computes; files are written by the main thread.
    """

    def __init__(self, result: BuildResult, validate: bool, full_validation: bool,
                 say: Callable[[str], None]) -> None:
        """Start the work."""
        self._out: tuple[list[Violation], dict[str, Result] | dict[str, bytes],
                         list[Answer]] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kg-store-work", daemon=True,
                                        args=(result, validate, full_validation, say))
        self._thread.start()

    def _run(self, result: BuildResult, validate: bool, full_validation: bool,
             say: Callable[[str], None]) -> None:
        try:
            kept = row_groups(result)
            same = unchanged_graph(kept, validate, full_validation)
            if same is not None:  # the last build's graph: its verdict, tables and answers
                say("  the graph is the last build's: its tables and answers are kept")
                self._out = [], same, KEPT_ANSWERS
                return
            violations = _validate(result, full_validation, say) if validate else []
            _give_back()  # the TriG text (written, dropped) and the checks' working memory
            with stage("querying the evidence tables"):
                t = time.perf_counter()
                tables = kept_tables(result, kept, say) if not violations else {}
                result.report.seconds["tables"] = time.perf_counter() - t
            _give_back()
            answers = []
            if not violations:  # on the same store: loading a second one cost more than these
                from kg.query.precompute import compute_answers

                t = time.perf_counter()
                last = last_answers(kept)
                answers = compute_answers(result.store, last)
                if last is not None and kept is not None:
                    if last.reused:
                        say(f"  {len(last.reused)} of {len(answers)} named answer(s) kept: "
                            "the edit changed no statement they read")
                    last.save(kept.build, answers)
                result.report.seconds["answers"] = time.perf_counter() - t
            result.release("store")  # the views do not need it: freed before they are drawn
            self._out = violations, tables, answers
        except BaseException as exc:  # handed to the main thread as it is
            self._error = exc

    def wait(self) -> tuple[list[Violation], dict[str, Result] | dict[str, bytes],
                            list[Answer]]:
        """The violations, the tables' rows and the named answers, once the thread is done."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._out is not None  # noqa: S101 - set whenever no error was
        return self._out


def evidence_tables(store: object, kept: RowGroups | None = None,
                    last: Path | None = None) -> dict[str, Result] | dict[str, bytes]:
    """Every evidence table, queried on the build's own store: as CSV text, else as rows.

    The store writes the CSV itself where it can (``kg.export.tables.csv_tables``); with the
    ``kept`` rows of the last build (whose tables are in ``last``), only what an edit reaches
    is queried again (``kg.export.rowgroups``).
    """
    from kg.export.tables import csv_tables, load_specs, run_tables
    from kg.query.engine import OxigraphEngine

    specs = load_specs()
    texts = csv_tables(store, specs, None if kept is None or last is None else
                       lambda spec: kept.table(store, spec, last))
    return texts if texts is not None else run_tables(OxigraphEngine.over(store), specs)


def _give_back() -> None:
    """Hand freed memory back to the system between the store's stages (``malloc_trim``).

    glibc keeps what a thread frees in that thread's heap, where the other thread cannot reuse
    it: a 300x build held ~140 MB of freed memory at its peak; trimming takes milliseconds.
    """
    give_back_memory()


KEPT_ANSWERS: list[Answer] = []  # the answers of a graph unchanged since the last build: copied


def row_groups(result: BuildResult) -> RowGroups | None:
    """The last build's table rows and what changed since, for a build in pieces (else None).

    Makes the TriG first: that notes every subject's digest.
    """
    if result.cache is None or result.make_trig is None:
        return None
    result.trig  # noqa: B018
    if result.digests is None:
        return None
    from kg.export.rowgroups import RowGroups

    return RowGroups(result.cache, result.digests, validation_key())


def last_answers(kept: RowGroups | None) -> LastAnswers | None:
    """The last build's named answers and what changed since (None without a build in pieces).

    Trusted only with the table state of the same last build: ``kept`` knows the changed
    blocks against that build's digests, and both were noted by it (``build``).
    """
    if kept is None:
        return None
    from kg.query.reuse import LastAnswers

    return LastAnswers(kept.cache, kept.key, kept.last_build, kept.changed_keys, kept.old)


def unchanged_graph(kept: RowGroups | None, validate: bool,
                    full_validation: bool) -> dict[str, bytes] | None:
    """The last build's tables, when this build's graph is the same; else None.

    The same: every subject's TriG block has the digest the last build noted, under the same
    code and ontology (``kept``, see ``kg.export.rowgroups``), and, when validating, the last
    graph that passed the checks had these digests too. Then the verdict, the tables and the
    answers are the last build's, and the store is never loaded (an edit that changes no
    statement, or a build with other options).
    """
    if kept is None or kept.changed != set() or full_validation:
        return None
    if validate:
        last = kept.cache.get("validation", VALIDATED)
        if not (isinstance(last, dict) and last.get("key") == kept.key
                and last.get("digests") == kept.digests):
            return None
    from kg.export.tables import load_specs

    return kept.unchanged(load_specs(), kept.cache.out / "tables")


def kept_tables(result: BuildResult, kept: RowGroups | None,
                say: Callable[[str], None] = lambda _m: None
                ) -> dict[str, Result] | dict[str, bytes]:
    """The evidence tables of a build, from the last build's rows where ``kept`` has them.

    The state is kept (entered with the build, if it succeeds) once the tables are known.
    """
    if kept is None:
        return evidence_tables(result.store)
    tables = evidence_tables(result.store, kept, kept.cache.out / "tables")
    kept.save()
    if kept.reused:
        say(f"  {kept.reused} evidence table(s) merged from the last build's rows and the "
            "rows an edit reaches")
    return tables


def _validate(result: BuildResult, full_validation: bool,
              say: Callable[[str], None]) -> list[Violation]:
    say("validating against ontology/shapes.ttl" + (" (pySHACL)" if full_validation else ""))
    t = time.perf_counter()
    with stage("validating"):
        violations = (validate_graph(result.union()) if full_validation
                      else check_changed(result, say))
    result.report.seconds["validate"] = time.perf_counter() - t
    return violations


VALIDATED = "state.pickle"  # in the cache's "validation" folder


def validation_key() -> str:
    """What a verdict depends on besides the graph: the code (the compiler) and the ontology."""
    import hashlib

    from kg.cache import _hash_files, code_version
    from kg.paths import ONTOLOGY_DIR

    h = hashlib.sha256(f"validated {code_version()}".encode())
    _hash_files(h, ONTOLOGY_DIR)
    return h.hexdigest()


def check_changed(result: BuildResult,
                  say: Callable[[str], None] = lambda _m: None) -> list[Violation]:
    """The shapes over the nodes an edit can have changed, if the last valid graph is known.

    A build in pieces knows a digest of every subject's statements per graph; the cache keeps
    those of the last graph that passed these checks (a failed build records nothing). Nodes
    whose digest is the same and that point at no changed node passed then and pass now
    (``kg.validate.focus_nodes``); the others are checked. Without that state, all are.
    """
    store = result.store  # made first: a build in pieces fills result.digests as it makes it
    cache, digests = result.cache, result.digests
    if cache is None or digests is None:
        return check_store(store)
    key = validation_key()
    last = cache.get("validation", VALIDATED)
    focus = None
    if isinstance(last, dict) and last.get("key") == key:
        old: dict[str, bytes] = last["digests"]
        changed = {k for k in old.keys() ^ digests.keys()}
        changed.update(k for k, d in digests.items() if old.get(k, d) != d)
        focus = focus_nodes(store, {k.split("\0", 1)[1] for k in changed})
    violations = check_store(store, focus=focus)
    if focus is not None:
        say(f"  shapes checked on {len(focus)} changed or neighbouring node(s) alone")
    if not violations:
        cache.put("validation", VALIDATED, {"key": key, "digests": digests})
    return violations
