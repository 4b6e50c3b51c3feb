"""What ``kg build`` does: load, assemble, compare with the last build, validate, then write.

The CLI and the tests call ``check_build`` and ``write_outputs``, so what the tests prove (no
input makes it fail other than with ``file:line`` problems or validation results) is what users
run.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.assemble import BuildResult, build
from kg.cache import BuildCache
from kg.export.buildreport import REPORT_FILE, read_previous, shrink_problems
from kg.paths import SOURCES_DIR
from kg.sources.loader import InputError
from kg.stages import stage
from kg.validate import Violation, check_store, focus_nodes, validate_graph

if TYPE_CHECKING:
    from kg.export.rowgroups import RowGroups
    from kg.query.engine import Result
    from kg.query.precompute import Answer


@dataclass
class CheckedBuild:
    """An assembled graph that passed the input checks, and its validation results.

    Built with ``background=True``, the store work (validation and the evidence tables' rows)
    is still running in a thread: ``finish()`` waits for it and fills ``violations``,
    ``tables`` and ``answers`` (the named queries' default answers, on the same store).
    """

    result: BuildResult
    violations: list[Violation] = field(default_factory=list)
    tables: dict[str, Result] | dict[str, bytes] | None = None
    answers: list[Answer] | None = None
    pending: StoreWork | None = None

    def finish(self) -> CheckedBuild:
        """Wait for the store work, if any; its error, if it failed, is raised here."""
        if self.pending is not None:
            work, self.pending = self.pending, None
            self.violations, self.tables, self.answers = work.wait()
        return self


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
            with stage("querying the evidence tables"):
                t = time.perf_counter()
                tables = kept_tables(result, kept, say) if not violations else {}
                result.report.seconds["tables"] = time.perf_counter() - t
            answers = []
            if not violations:  # on the same store: loading a second one cost more than these
                from kg.query.precompute import compute_answers

                t = time.perf_counter()
                answers = compute_answers(result.store)
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
    texts = csv_tables(store, specs, kept, last)
    return texts if texts is not None else run_tables(OxigraphEngine.over(store), specs)


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


def check_build(sources: Path = SOURCES_DIR, out: Path | None = None, *,
                allow_shrink: bool = False, validate: bool = True, full_validation: bool = False,
                progress: Callable[[str], None] | None = None,
                cache: BuildCache | None = None, background: bool = False) -> CheckedBuild:
    """Build the graph of ``sources`` and check it; raise InputError naming every bad input.

    ``out`` is the output folder the graph is meant for: its ``build-report.json`` (if any) is the
    last build, and a document that is gone or lost more than half of its records since is
    refused unless ``allow_shrink``. Validation runs the shapes as SPARQL over the build's
    store; ``full_validation`` runs pySHACL instead (the reference, seconds where the other
    takes milliseconds). With ``background``, validation and the tables' queries run in a
    thread and the caller must ``finish()`` before using the graph's verdict (see StoreWork).
    """
    say = progress or (lambda _m: None)
    result = build(sources, progress=progress, cache=cache)
    if result.pieces is not None and cache is not None:
        from kg.export.chunks import merged_trig

        pieces = result.pieces

        def make_trig() -> bytes:
            """The TriG merged from the pieces' blocks, noting each block's digest."""
            result.digests = {}
            return merged_trig(pieces, cache, result.digests)

        result.make_trig = make_trig
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
    if background:
        checked.pending = StoreWork(result, validate, full_validation, say)
    elif validate:
        checked.violations = _validate(result, full_validation, say)
    return checked


def write_outputs(result: BuildResult, out: Path, html: bool = True,
                  say: Callable[[str], None] | None = None,
                  checked: CheckedBuild | None = None,
                  cache: BuildCache | None = None, release: bool = False) -> list[Path]:
    """Write every output file into ``out`` (which must exist).

    Given a ``checked`` build whose store work (validation, the tables' rows) runs in the
    background, Turtle and JSON-LD are written beside it, then it is waited for: if it found
    violations, writing stops there and the caller, seeing ``checked.violations``, throws the
    folder away. The pages are drawn last, after the store is freed (drawn beside it, a
    1,000x build peaked 0.3-0.6 GB higher); with a ``cache``, unchanged study pages come from it.
    With ``release`` (the caller needs no view of the quads afterwards: ``kg build``), the
    quads are dropped once the views' own index of them is made (~15 MB at 100x).
    """
    from kg.export.buildreport import REPORT_FILE, write_build_report
    from kg.export.rdf import write_jsonld, write_ontology, write_trig, write_turtle

    files = [out / "graph.ttl", out / "graph.trig", out / "graph.jsonld", out / "ontology.ttl",
             out / REPORT_FILE]
    if result.pieces is not None and result.cache is not None:
        from kg.export.chunks import subject_keys, write_pieces

        result.trig  # noqa: B018 - made first: its blocks' digests key the other formats' blocks
        assert result.digests is not None  # noqa: S101 - set by make_trig, in pieces
        result.subject_keys = subject_keys(result.digests)
        write_pieces(result.pieces, result.cache, files[0], files[2], lambda: result.triples,
                     result.subject_keys)
    else:
        write_turtle(result.triples, files[0])
        write_jsonld(result.triples, files[2])
    write_ontology(files[3])
    if checked is not None:
        checked.finish()
        if checked.violations:
            return files
    write_trig(result, files[1])
    result.release("trig")
    t = time.perf_counter()
    files.append(write_build_tables(result, out, checked.tables if checked else None))
    if checked is not None:
        checked.tables = None  # ~0.5 GB of rows at 1,000x, written
    result.report.seconds.setdefault("tables", time.perf_counter() - t)
    from kg.query.precompute import write_answer_tables

    t = time.perf_counter()  # every named query's default answer, for kg query and kg serve
    answers = checked.answers if checked is not None and checked.answers is not None else None
    if answers is KEPT_ANSWERS:
        from kg.query.answertables import FOLDER, INDEX
        from kg.query.precompute import kept_answers

        if result.cache is not None and kept_answers(result.cache.out / FOLDER, files[1]):
            files.append(files[1].parent / FOLDER / INDEX)
        else:  # not as noted after all: computed on the store, loaded for them
            answers = None
    if answers is not KEPT_ANSWERS:
        files.append(write_answer_tables(result.store if answers is None else answers,
                                         files[1]))
    if checked is not None:
        checked.answers = None
    result.report.seconds["answers"] = (result.report.seconds.get("answers", 0.0)
                                        + time.perf_counter() - t)
    result.release("store")
    write_build_report(result.report, files[4])
    if html:
        from kg.render.pages import write_site
        from kg.render.readgraph import view_graph

        t = time.perf_counter()
        graph = view_graph(result)
        if release:
            result.release("graphs")
        settle()
        pages = None
        if cache is not None:
            from kg.render.pagecache import PageCache

            pages = PageCache(cache, graph, result.subject_keys)
        write_site(graph, out, say, keep=False, pages_cache=pages)
        result.report.seconds["html"] = time.perf_counter() - t
        files += [out / "index.html", out / "overview.html", out / "report.html",
                  out / "graph.graphml"]
    return files


def write_build_tables(result: BuildResult, out: Path,
                       rows: dict[str, Result] | dict[str, bytes] | None = None) -> Path:
    """Write the evidence tables into ``out/tables``; return their README, which lists them.

    Queried on the build's own store (the one validated), not on graph.trig read back, unless
    the ``rows`` (or their CSV texts: ``evidence_tables``) were queried already. The report
    page and the query editor offer these files as downloads.
    """
    from kg.export.tables import README, write_tables

    if rows is None:
        rows = evidence_tables(result.store)
    texts = {k: v for k, v in rows.items() if isinstance(v, bytes)}
    if texts and len(texts) == len(rows):
        write_tables(None, out / "tables", texts=texts)
    else:
        write_tables(None, out / "tables", results=rows)  # type: ignore[arg-type]
    return out / "tables" / README


@contextmanager
def long_lived() -> Iterator[None]:
    """Keep the cycle collector off the build's long-lived objects.

    Loading and the builders allocate millions of objects (records, terms, triples) that live
    until exit; the collector rescanned them again and again as they grew (35% of a 1,000x
    build) and found nothing to free. It is paused while they are made, and ``settle()`` moves
    what exists to the permanent generation before pages are drawn; drawing makes cyclic
    garbage per page (~0.3 GB at 1,000x if never collected), so the collector runs again then.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def settle() -> None:
    """Exempt every object alive now from collection, and let the collector run on new ones.

    Memory freed so far (the store, the TriG text) is handed back to the system first: glibc
    keeps it otherwise, and the views' peak came on top of it (~40 MB at 100x).
    """
    give_back_memory()
    gc.freeze()
    gc.enable()


def give_back_memory() -> None:
    """Return freed heap memory to the system (glibc's ``malloc_trim``; elsewhere nothing)."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS, Windows): nothing
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
