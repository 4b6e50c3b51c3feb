"""Run the registered builders over a corpus into one RDF dataset, with a build report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from kg.builders import ORDER, REGISTRY, BuildInput
from kg.counts import count
from kg.ids import graph_iri
from kg.paths import SOURCES_DIR
from kg.sources.loader import load_corpus
from kg.stages import stage
from kg.vocab import PREFIXES


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


@dataclass
class BuildResult:
    """The assembled dataset (one named graph per document, entities, provenance) and report."""

    dataset: Dataset
    report: BuildReport

    def union(self) -> Graph:
        """All statements in one graph, with the project's prefixes bound."""
        g = Graph()
        bind_prefixes(g)
        for ctx in self.dataset.graphs():
            for triple in ctx:
                g.add(triple)
        return g


def bind_prefixes(g: Graph) -> None:
    """Bind the project's prefix table, replacing rdflib's defaults."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


def run_builders(inp: BuildInput, report: BuildReport, builders: list[str] | None = None,
                 progress: Callable[[str], None] | None = None) -> Dataset:
    """Run builders (all, or those named) over loaded input into one dataset."""
    ds = Dataset()
    bind_prefixes(ds)
    graphs: dict[str, Graph] = {}
    for name in builders or ORDER:
        n = 0
        with stage(f"builder {name}"):
            for quad in REGISTRY[name](inp):
                g = graphs.get(quad.graph)
                if g is None:
                    g = graphs[quad.graph] = ds.graph(graph_iri(quad.graph))
                g.add((quad.s, quad.p, quad.o))
                n += 1
        report.triples_per_builder[name] = n
        if progress:
            progress(f"builder {name}: {n} triples")
    report.triples_per_graph = {name: len(g) for name, g in sorted(graphs.items())}
    return ds


def build(sources: Path = SOURCES_DIR, builders: list[str] | None = None,
          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Load and validate the sources, then run builders (all, or those named) into a dataset."""
    report = BuildReport()
    t0 = time.perf_counter()
    with stage("loading sources"):
        corpus, texts = load_corpus(sources)
    report.seconds["load"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    ds = run_builders(BuildInput(corpus, texts), report, builders, progress)
    report.seconds["builders"] = time.perf_counter() - t1
    with stage("counting"):
        counted = count(BuildResult(ds, report).union())
        report.triples = counted.triples
        report.counts = dict(counted.nodes)
        report.documents = {f.document.id: DocumentCount(
            f.path, f.document.loc.line, len(f.iter_records()),
            report.triples_per_graph.get(f.document.id, 0)) for f in corpus.files}
    return BuildResult(ds, report)
