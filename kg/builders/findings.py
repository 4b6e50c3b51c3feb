"""Biomarker and imaging findings: marker, when measured, state, outcome, direction."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from kg.builders import iris
from kg.builders.base import BuildInput, Quad, builder
from kg.builders.terms import ASSOCIATION, ENDPOINT_TYPE, FINDING_CLASS
from kg.vocab import KG


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
                yield Quad(node, RDFS.label, Literal(fd.label), g)
                yield Quad(node, KG.marker, iris.biomarker(fd.marker), g)
                if fd.measurement_time:
                    yield Quad(node, KG.measurementTime, Literal(fd.measurement_time), g)
                if fd.marker_state:
                    yield Quad(node, KG.markerState, Literal(fd.marker_state), g)
                for ep in fd.endpoints:
                    yield Quad(node, KG.associatedEndpoint, ENDPOINT_TYPE[ep], g)
                if fd.association:
                    yield Quad(node, KG.associationDirection, ASSOCIATION[fd.association], g)
                if fd.population:
                    yield Quad(node, KG.population,
                               iris.study_part(s.id, "population", fd.population), g)
                if fd.exploratory is not None:
                    yield Quad(node, KG.exploratory, Literal(fd.exploratory), g)
                yield from inp.evidence(g, fd, node)
