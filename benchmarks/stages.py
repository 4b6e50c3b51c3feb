"""Measure one corpus size, stage by stage, in a fresh process (so peak memory is its own).

Usage: ``python -m benchmarks.stages SOURCES_DIR WORK_DIR [--query-runs N] [--rdflib-timeout S]``;
prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import signal
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from kg import model as m
from kg.assemble import BuildReport, BuildResult, run_builders
from kg.builders import BuildInput
from kg.export.rdf import write_jsonld, write_trig, write_turtle
from kg.paths import ONTOLOGY_FILE
from kg.pipeline import give_back_memory, long_lived, settle, write_build_tables
from kg.provenance import SourceText
from kg.sources import loader
from kg.triples import to_graph
from kg.validate import check_store, validate_graph


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1024 / 1024


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """Collect seconds per stage: ``with timer("name"): ...``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}  # the process's peak memory at the end of a stage

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        """Time the block under ``name``."""
        t = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - t, 4)
            self.peak_mb[name] = round(peak_mb(), 1)


def build_stages(sources: Path, work: Path, t: Timer, full_shacl: bool = False,
                 html: bool = True) -> dict:
    """Every build stage separately: parse+validate, locate quotes, builders, SHACL, writers.

    ``full_shacl`` also times pySHACL on the same graph (side by side with the SPARQL check).
    The build path's peak memory (``build_peak_mb``) is taken before the side-by-side runs
    (pySHACL, the views from an rdflib graph), which hold rdflib graphs no build makes.
    """
    problems: list[str] = []
    base_mb = rss_mb()
    with t("load and validate evidence"):
        table = loader.load_identifier_table(sources / "identifiers.yaml", problems)
        ent = loader.load_entities(sources / "entities.yaml", table, problems)
        files = [f for f in (loader.load_evidence_file(p, problems)
                             for p in sorted((sources / "evidence").glob("*.yaml"))) if f]
        loader.check_references(files, ent, problems)
    with t("locate quotes"):
        texts, indexed = {}, {}
        for f in files:
            text = loader.read_text(f.document, sources / "texts", problems)
            texts[f.document.id] = text
            indexed[f.document.id] = SourceText(text or "", f.document.page_headers)
        loader.locate_all(files, indexed, problems)
        loader.check_tables(files, indexed, problems)
    if problems:
        raise SystemExit("\n".join(problems[:20]))
    corpus = m.Corpus(ent, tuple(files), texts)
    report = BuildReport()
    with t("builders"):
        result = BuildResult(run_builders(BuildInput(corpus, indexed), report), report)
    n_triples = len(result.triples)
    studies = sum(len(f.studies) for f in files)
    del corpus, files, texts, indexed  # as in kg build, where nothing holds them after this
    with t("pyoxigraph store"):
        store = result.store
    work.mkdir(parents=True, exist_ok=True)
    with t("write TriG"):  # as kg build: written once the store has it, then dropped
        write_trig(result, work / "graph.trig")
        result.trig_written()
    give_back_memory()
    with t("SHACL as SPARQL"):
        violations = check_store(store)
    give_back_memory()  # as kg build does between its stages
    with t("write Turtle"):
        write_turtle(result.triples, work / "graph.ttl")
    give_back_memory()
    with t("write JSON-LD"):
        write_jsonld(result.triples, work / "graph.jsonld")
    result.release("union")  # as kg build: made again by the views
    give_back_memory()
    with t("evidence tables"):
        write_build_tables(result, work)
    give_back_memory()
    (work / "ontology.ttl").write_bytes(ONTOLOGY_FILE.read_bytes())
    with t("answer tables (named queries' default answers)"):
        from kg.query.precompute import write_answer_tables

        write_answer_tables(store, work / "graph.trig")
    store_triples = len(store)
    del store  # as kg build does: the views do not need the store
    result.release("trig", "store")
    if html:
        from kg.render.pages import write_site
        from kg.render.readgraph import view_graph

        with t("HTML views"):  # as kg build draws them: from the read index
            graph = view_graph(result)
            result.release("graphs")  # as kg build does: the views read their own index
            settle()
            write_site(graph, work, keep=False)
        del graph
    build_peak = peak_mb()  # the build path ends here; what follows is for comparison
    rdflib_views = html and n_triples < 200_000  # side by side, up to 100x: the rdflib graph
    if rdflib_views or full_shacl:
        triples = rdflib_triples(work / "graph.trig")  # the quads were released
    if full_shacl:
        union = to_graph(triples)
        with t("pySHACL (kg build --full-validation)"):
            validate_graph(union)
        del union
    if rdflib_views:
        with t("HTML views from an rdflib graph (before issue 15)"):
            union = to_graph(triples)
            union.parse(ONTOLOGY_FILE)
            write_site(union, work / "rdflib", keep=False)
        del union
    return {"triples": n_triples, "studies": studies,
            "violations": len(violations), "build_peak_mb": round(build_peak, 1),
            "base_mb": round(base_mb, 1),
            "store_triples": store_triples}


def rdflib_triples(trig: Path) -> set[tuple]:
    """The distinct triples of a TriG file as rdflib terms (for the side-by-side runs)."""
    import pyoxigraph as ox

    from kg.triples import RdflibTerms

    term = RdflibTerms()
    return {(term[q.subject], term[q.predicate], term[q.object])
            for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)}


def _seconds(run: object) -> float:
    t = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - t


class QueryTimeout(BaseException):
    """A query ran past its budget."""


def _alarm(signum: int, frame: object) -> None:
    raise QueryTimeout


def time_queries(graph: Path, runs: int, rdflib_timeout: float) -> dict:
    """Load the graph into each engine and run every named query on both."""
    from kg.query.engine import OxigraphEngine, RdflibEngine
    from kg.query.library import load_library

    lib = load_library()
    out: dict = {"load": {}, "queries": {}}
    t0 = time.perf_counter()
    ox = OxigraphEngine(graph)
    out["load"]["oxigraph"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    rl = RdflibEngine(graph)
    out["load"]["rdflib"] = round(time.perf_counter() - t0, 3)
    plain = OxigraphEngine.over(ox.store)  # the same store, no answer tables: plain SPARQL
    signal.signal(signal.SIGALRM, _alarm)
    for name, q in lib.items():
        text = q.bind()
        row: dict = {}
        for engine, n in ((ox, max(runs, 5)), (rl, runs)):
            times = []
            for _ in range(n):
                signal.setitimer(signal.ITIMER_REAL, rdflib_timeout)
                t = time.perf_counter()
                try:
                    res = engine.query(text)
                    times.append(time.perf_counter() - t)
                    row["rows"] = len(res.rows)
                except QueryTimeout:
                    times = []
                    break
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            if times:
                times.sort()
                row[engine.name] = {"median": statistics.median(times),
                                    "p95": times[min(len(times) - 1,
                                                     round(0.95 * (len(times) - 1)))]}
            else:
                row[engine.name] = {"timeout": rdflib_timeout}
        row["oxigraph-plain"] = {"median": statistics.median(
            _seconds(lambda text=text: plain.query(text)) for _ in range(max(runs, 5)))}
        out["queries"][name] = row
    from benchmarks.queries import stream_rates

    # larger answers: rows/s streamed to the CLI's writer and through kg serve
    stream_rates(graph, ox, out["queries"], {name: q.bind() for name, q in lib.items()})
    return out


def main() -> None:
    """Measure one size and print JSON."""
    ap = argparse.ArgumentParser()
    ap.add_argument("sources", type=Path)
    ap.add_argument("work", type=Path)
    ap.add_argument("--query-runs", type=int, default=3)
    ap.add_argument("--rdflib-timeout", type=float, default=30.0)
    ap.add_argument("--no-queries", action="store_true")
    ap.add_argument("--full-shacl", action="store_true", help="also time pySHACL")
    ap.add_argument("--no-html", action="store_true")
    args = ap.parse_args()
    t = Timer()
    with long_lived():  # the collector as kg build sets it
        facts = build_stages(args.sources, args.work, t, args.full_shacl, not args.no_html)
    result = {"stages": t.seconds, "stage_peak_mb": t.peak_mb, **facts}
    from benchmarks.builds import store_bytes_per_triple

    result["store"] = store_bytes_per_triple(args.work / "graph.trig")
    if not args.no_queries:
        result["query"] = time_queries(args.work / "graph.trig", args.query_runs,
                                       args.rdflib_timeout)
    result["peak_mb"] = round(peak_mb(), 1)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
