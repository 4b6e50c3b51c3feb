"""Run the registered builders over a corpus into one set of quads, with a build report.

The build path keeps triples as plain tuples in one set per named graph: no rdflib graph is
built unless something asks for one (the HTML views, ``kg audit``, the full pySHACL check).
An rdflib graph costs about 1.3 KB and an ``add`` call per triple; a set entry a fraction of
that. ``BuildResult`` hands out each view of the same quads on demand: the tuples, an rdflib
``Dataset`` or union ``Graph``, and a pyoxigraph store, each built once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib.term import Node

from kg.builders import ORDER, REGISTRY, BuildInput
from kg.counts import Counts, count
from kg.ids import graph_iri
from kg.paths import ONTOLOGY_FILE, SOURCES_DIR
from kg.sources.loader import load_corpus
from kg.stages import stage
from kg.triples import Triple, bind_prefixes, ox_quads, to_graph, trig_bytes

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Dataset, Graph

    from kg.cache import BuildCache
    from kg.pieces import Piece


@dataclass(frozen=True)
class DocumentCount:
    """How much of the graph one evidence file made: the next build compares with it."""

    file: str  # the evidence file, as shown in messages
    line: int  # of its document record
    records: int
    triples: int  # in the document's named graph


@dataclass
class BuildReport:
    """What a build produced: triples per builder, node counts by kind, documents, timings."""

    triples_per_builder: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    triples_per_graph: dict[str, int] = field(default_factory=dict)
    documents: dict[str, DocumentCount] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Human-readable report lines."""
        out = ["triples per builder:"]
        out += [f"  {name:<16}{n:>7}" for name, n in self.triples_per_builder.items()]
        out.append(f"  {'total (distinct)':<16}{self.triples:>7}")
        out.append("nodes:")
        out += [f"  {name:<20}{n:>7}" for name, n in self.counts.items()]
        out.append("documents (records, triples in the document's graph):")
        out += [f"  {name:<16}{d.records:>7}{d.triples:>8}  {Path(d.file).name}"
                for name, d in sorted(self.documents.items())]
        out.append("time: " + ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items()))
        return out


class BuildResult:
    """The assembled quads (one named graph per document, entities, provenance) and report.

    ``graphs`` maps a graph name (``entities``, ``provenance``, a document id …) to its set of
    triples; every other view is derived from it once, on first use.
    """

    def __init__(self, graphs: dict[str, set[Triple]], report: BuildReport) -> None:
        """Keep the quads; views are made lazily."""
        self.graphs = graphs
        self.report = report
        self.counts: Counts | None = None  # set by build(): what every report states
        self.pieces: list[Piece] | None = None  # set by a build in pieces (kg/pieces.py)
        self.cache: BuildCache | None = None  # where the pieces' serialised chunks are kept
        self.digests: dict[str, bytes] | None = None  # each subject's TriG block, by graph
        self.make_trig: Callable[[], bytes] | None = None  # a build in pieces merges its own
        self._lock = threading.RLock()
        self._store_lock = threading.Lock()  # apart: the writers need the TriG while it loads
        self._trig: bytes | None = None
        self._trig_kept = True  # False once graph.trig is written: dropped when the store has it
        self.subject_keys: dict[str, bytes] | None = None  # from digests (kg.export.chunks)
        self._store: pyoxigraph.Store | None = None

    @cached_property
    def triples(self) -> frozenset[Triple]:
        """All distinct triples, over every named graph."""
        return frozenset().union(*self.graphs.values())

    def named(self) -> Iterator[tuple[str, set[Triple]]]:
        """Each named graph's IRI and triples, sorted by IRI (the order files are written in)."""
        for iri, name in sorted((str(graph_iri(name)), name) for name in self.graphs):
            if self.graphs[name]:
                yield iri, self.graphs[name]

    @cached_property
    def dataset(self) -> Dataset:
        """The quads as an rdflib Dataset (built on first use)."""
        from rdflib import Dataset

        ds = Dataset()
        bind_prefixes(ds)
        for name, triples in self.graphs.items():
            g = ds.graph(graph_iri(name))
            for t in triples:
                g.add(t)
        return ds

    def union(self) -> Graph:
        """All statements in one new rdflib graph, with the project's prefixes bound."""
        return to_graph(self.triples)

    @property
    def trig(self) -> bytes:
        """The quads as TriG, as ``output/graph.trig`` holds them (made once, used twice)."""
        with self._lock:  # the build's store thread and the writer may ask at the same time
            if self._trig is None:
                self._trig = (self.make_trig() if self.make_trig is not None
                              else trig_bytes(self.named()))
            return self._trig

    @property
    def store(self) -> pyoxigraph.Store:
        """The quads and the ontology (own graph) in a pyoxigraph store, as kg query has them.

        Loaded from the TriG text: pyoxigraph parses it faster than Python hands it terms.
        With ``load``, not ``bulk_load``: as fast, and its peak is the store's size where the
        bulk loader's was 1.6x it (0.5 against 0.35 GB above start-up for 1.1M quads).
        Parsed leniently (IRIs and language tags not checked again: 3.5 -> 3.1 s at 1,000x):
        the text is pyoxigraph's own serialisation of terms it checked when they were made
        (``kg.triples``), and ``tests/test_store_load.py`` compares the two loads.
        """
        import pyoxigraph as ox

        with self._store_lock:
            if self._store is None:
                st = ox.Store()
                st.load(self.trig, format=ox.RdfFormat.TRIG, lenient=True)
                add_ontology(st)
                self._store = st
                with self._lock:
                    if not self._trig_kept:
                        self._trig = None
            return self._store

    def trig_written(self) -> None:
        """Say the TriG file is written: the text is dropped once the store is loaded from it.

        Nothing else reads it (asked for again, it is made again), and at 1,000x it is ~75 MB
        held through the store's checks and queries, the build's peak.
        """
        with self._lock:
            self._trig_kept = False
            if self._store is not None:
                self._trig = None

    def release(self, *what: str) -> None:
        """Forget the TriG text or the store (``"trig"``, ``"store"``) once done with it.

        At 1,000x they hold ~450 MB that drawing the pages does not need; asked for again,
        they are made again; so is ``"union"``, the set of all distinct triples (~50 MB at
        1,000x, held through the store's checks otherwise). ``"graphs"`` drops the quads
        themselves (the sets per graph, their union and the pieces), for a caller that needs
        no view of them any more: every later use then fails loudly instead of seeing an empty
        graph.
        """
        with self._lock:
            if "trig" in what:
                self._trig = None
            if "union" in what:  # made again on use, from the sets per graph
                self.__dict__.pop("triples", None)
        with self._store_lock:
            if "store" in what:
                self._store = None
            if "graphs" in what:
                self.graphs = None  # type: ignore[assignment]
                self.__dict__.pop("triples", None)
                self.pieces = self.make_trig = None  # the TriG maker holds the pieces too


def to_store(named: Iterable[tuple[str, Iterable[Triple]]]) -> pyoxigraph.Store:
    """Named graphs of triples, and the ontology in its own graph, in a new pyoxigraph store."""
    import pyoxigraph as ox

    st = ox.Store()
    st.bulk_extend(ox_quads(named))
    add_ontology(st)
    return st


def add_ontology(store: pyoxigraph.Store) -> None:
    """The ontology in its own named graph (subclasses and value types for the checks)."""
    import pyoxigraph as ox

    store.bulk_load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode(str(graph_iri("ontology"))))


def run_builders(inp: BuildInput, report: BuildReport, builders: list[str] | None = None,
                 progress: Callable[[str], None] | None = None) -> dict[str, set[Triple]]:
    """Run builders (all, or those named) over loaded input into one set of triples per graph."""
    graphs: dict[str, set[Triple]] = {}
    terms: dict[Node, Node] = {}  # one object per distinct term: builders mint the same IRI often
    intern = terms.setdefault
    for name in builders or ORDER:
        n = 0
        last: str | None = None  # a builder yields runs of quads in one graph: looked up per run
        add = None
        with stage(f"builder {name}"):
            for s, p, o, g in REGISTRY[name](inp):
                if g is not last:
                    triples = graphs.get(g)
                    if triples is None:
                        triples = graphs[g] = set()
                    last, add = g, triples.add
                add((intern(s, s), intern(p, p), intern(o, o)))  # type: ignore[misc]
                n += 1
        report.triples_per_builder[name] = n
        if progress:
            progress(f"builder {name}: {n} triples")
    report.triples_per_graph = {name: len(t) for name, t in sorted(graphs.items())}
    return graphs


def build(sources: Path = SOURCES_DIR, builders: list[str] | None = None,
          progress: Callable[[str], None] | None = None,
          cache: BuildCache | None = None) -> BuildResult:
    """Load and validate the sources, then run builders (all, or those named) into quads.

    With a ``cache``, unchanged evidence files are not parsed again (see ``kg.cache``), and
    the builders run in pieces: a group of documents whose inputs are unchanged is not built
    again (see ``kg.pieces``).
    """
    report = BuildReport()
    t0 = time.perf_counter()
    with stage("loading sources"):
        corpus, texts = load_corpus(sources, cache.evidence_reader() if cache else None,
                                    cache.was_checked if cache else None)
    report.seconds["load"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    if cache is not None and builders is None:
        from kg.pieces import build_pieces, merge_graphs

        def run(inp: BuildInput, names: list[str]) -> tuple[dict[str, set[Triple]],
                                                            dict[str, int]]:
            part = BuildReport()
            return run_builders(inp, part, names), part.triples_per_builder

        with stage("builders"):
            pieces, report.triples_per_builder = build_pieces(corpus, texts, sources, cache,
                                                              run)
            graphs = merge_graphs(pieces)
        if progress:
            for name, n in report.triples_per_builder.items():
                progress(f"builder {name}: {n} triples")
        report.triples_per_graph = {name: len(t) for name, t in sorted(graphs.items())}
        result = BuildResult(graphs, report)
        result.pieces, result.cache = pieces, cache
    else:
        result = BuildResult(run_builders(BuildInput(corpus, texts), report, builders, progress),
                             report)
    report.seconds["builders"] = time.perf_counter() - t1
    with stage("counting"):
        if result.pieces is not None:  # each piece's tally kept with it (kg.pieces)
            from kg.pieces import count_pieces

            counted = result.counts = count_pieces(result.pieces, result.triples)
        else:
            counted = result.counts = count(result.triples)
        report.triples = counted.triples
        report.counts = dict(counted.nodes)
        report.documents = {f.document.id: DocumentCount(
            f.path, f.document.loc.line, len(f.iter_records()),
            report.triples_per_graph.get(f.document.id, 0)) for f in corpus.files}
    return result


def give_back_memory() -> None:
    """Return freed heap memory to the system (glibc's ``malloc_trim``; elsewhere nothing)."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS, Windows): nothing
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
