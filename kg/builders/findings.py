"""Biomarker and imaging findings: marker, when measured, state, outcome, direction."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kg import model as m
from kg.builders import iris
from kg.builders.base import BuildInput, Quad, builder, dec, lit
from kg.builders.terms import ASSOCIATION, ENDPOINT_TYPE, FINDING_CLASS, UNIT
from kg.vocab import KG


def _timepoint(node: URIRef, t: m.TimePoint, g: str) -> Iterator[Quad]:
    """A typed measurement time: baseline, or value and unit (and cycle) on its own node."""
    if t.baseline:
        yield Quad(node, KG.measuredAt, KG.Baseline, g)
        return
    key = f"{t.unit}-{t.value}" + (f"-cycle-{t.cycle}" if t.cycle is not None else "")
    tp = URIRef(f"{node}/time/{key}")
    yield Quad(node, KG.measuredAt, tp, g)
    yield Quad(tp, RDF.type, KG.TimePoint, g)
    cycle = f" of cycle {t.cycle}" if t.cycle is not None else ""
    yield Quad(tp, RDFS.label, lit(f"{t.unit} {t.value}{cycle}"), g)
    yield Quad(tp, KG.timeValue, dec(t.value), g)  # type: ignore[arg-type]
    yield Quad(tp, KG.timeUnit, UNIT[t.unit], g)  # type: ignore[index]
    if t.cycle is not None:
        yield Quad(tp, KG.cycle, lit(t.cycle), g)


@builder("findings", "biomarker and imaging findings with timing, outcome and direction")
def iter_findings(inp: BuildInput) -> Iterator[Quad]:
    """Every finding of every study."""
    for f in inp.corpus.files:
        g = f.document.id
        for s in f.studies:
            for fd in s.findings:
                node = iris.study_part(s.id, "finding", fd.id)
                yield Quad(iris.study(s.id), KG.hasFinding, node, g)
                yield Quad(node, RDF.type, FINDING_CLASS[fd.kind], g)
                yield Quad(node, RDFS.label, lit(fd.label), g)
                yield Quad(node, KG.marker, iris.biomarker(fd.marker), g)
                if fd.measurement_time:
                    yield Quad(node, KG.measurementTime, lit(fd.measurement_time), g)
                for t in fd.measured_at:
                    yield from _timepoint(node, t, g)
                if fd.marker_state:
                    yield Quad(node, KG.markerState, lit(fd.marker_state), g)
                for ep in fd.endpoints:
                    yield Quad(node, KG.associatedEndpoint, ENDPOINT_TYPE[ep], g)
                if fd.association:
                    yield Quad(node, KG.associationDirection, ASSOCIATION[fd.association], g)
                if fd.population:
                    yield Quad(node, KG.population,
                               iris.study_part(s.id, "population", fd.population), g)
                if fd.exploratory is not None:
                    yield Quad(node, KG.exploratory, lit(fd.exploratory), g)
                yield from inp.evidence(g, fd, node)
