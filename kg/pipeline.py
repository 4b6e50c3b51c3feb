"""What ``kg build`` does: load, assemble, compare with the last build, validate, then write.

The CLI and the tests call ``check_build`` and ``write_outputs``, so what the tests prove (no
input makes it fail other than with ``file:line`` problems or validation results) is what users
run.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.assemble import BuildResult, build, give_back_memory
from kg.cache import BuildCache
from kg.export.buildreport import REPORT_FILE, read_previous, shrink_problems
from kg.export.storework import (  # noqa: F401 - check_changed, validation_key: named here
    KEPT_ANSWERS,
    StoreWork,
    _validate,
    check_changed,
    evidence_tables,
    validation_key,
)
from kg.paths import SOURCES_DIR
from kg.sources.loader import InputError
from kg.stages import stage
from kg.validate import Violation

if TYPE_CHECKING:
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
    trig_done = checked is not None and checked.pending is not None

    def trig_early() -> None:
        """Beside the store work: the text is dropped once the store holds it (~75 MB)."""
        if trig_done:
            write_trig(result, files[1])
            result.trig_written()

    if result.pieces is not None and result.cache is not None:
        from kg.export.chunks import subject_keys, write_pieces

        result.trig  # noqa: B018 - made first: its blocks' digests key the other formats' blocks
        assert result.digests is not None  # noqa: S101 - set by make_trig, in pieces
        result.subject_keys = subject_keys(result.digests)
        trig_early()
        write_pieces(result.pieces, result.cache, files[0], files[2], lambda: result.triples,
                     result.subject_keys)
    else:
        write_turtle(result.triples, files[0])
        trig_early()  # after Turtle: the store thread has made the text by then
        give_back_memory()  # each writer's index of the triples, freed: ~10% of the peak
        write_jsonld(result.triples, files[2])
    write_ontology(files[3])
    if release:  # the views make it again after the store work, whose peak it added to
        result.release("union")
    give_back_memory()  # freed here, the store thread's own heap could not reuse it
    if checked is not None:
        checked.finish()
        if checked.violations:
            return files
    if not trig_done:
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
    What the build made is frozen at the end: freed by reference counts, it is not passed over
    again when the collector is back on, nor at the interpreter's exit (each pass ~20 ms of a
    shipped build with --no-html, seconds at 1,000x); the few cycles in it stay until exit.
    The collector is left as it was found.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
        else:
            gc.disable()


def settle() -> None:
    """Exempt every object alive now from collection, and let the collector run on new ones.

    Memory freed so far (the store, the TriG text) is handed back to the system first: glibc
    keeps it otherwise, and the views' peak came on top of it (~40 MB at 100x).
    """
    give_back_memory()
    gc.freeze()
    gc.enable()
