"""Claims stated in prose, and contradictions between statements."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.namespace import RDF, RDFS

from kg.builders import iris
from kg.builders.base import BuildInput, Quad, builder, lit
from kg.builders.terms import CLAIM_KIND, CONFLICT_REASON
from kg.vocab import KG


@builder("claims", "conclusions, tolerability, approval, mechanism and other prose claims")
def iter_claims(inp: BuildInput) -> Iterator[Quad]:
    """Every claim, linked to the drugs, diseases, studies and targets it is about."""
    ent = inp.corpus.entities
    for f in inp.corpus.files:
        g = f.document.id
        for c in f.claims:
            node = iris.claim(c.id)
            yield Quad(node, RDF.type, KG.Claim, g)
            yield Quad(node, RDFS.label, lit(c.label), g)
            yield Quad(node, KG.claimKind, CLAIM_KIND[c.kind], g)
            for d in c.drugs:
                yield Quad(node, KG.aboutIntervention, iris.drug(d), g)
            for d in c.indications:
                yield Quad(node, KG.aboutIndication, iris.disease(d), g)
            for st in c.studies:
                yield Quad(node, KG.aboutStudy, iris.study(st), g)
            for t in c.targets:
                yield Quad(node, KG.aboutTarget, iris.target(t, ent), g)
            yield from inp.evidence(g, c, node)


@builder("contradictions", "contradictions linking the statements that disagree")
def iter_contradictions(inp: BuildInput) -> Iterator[Quad]:
    """Every contradiction node with its reason; the conflicting statements stay as they are."""
    records = {fid: rec for f in inp.corpus.files for fid, rec in f.iter_records()}
    for f in inp.corpus.files:
        g = f.document.id
        for c in f.contradictions:
            node = iris.contradiction(c.id)
            yield Quad(node, RDF.type, KG.Contradiction, g)
            yield Quad(node, RDFS.label, lit(c.note), g)
            yield Quad(node, KG.conflictNote, lit(c.note), g)
            yield Quad(node, KG.conflictReason, CONFLICT_REASON[c.reason], g)
            yield Quad(node, KG.detectedBy, lit("curator"), g)
            if c.attribute:
                yield Quad(node, KG.conflictAttribute, lit(c.attribute), g)
            for st in c.statements:
                yield Quad(node, KG.conflictingStatement, iris.record(st, records[st]), g)
            yield from inp.evidence(g, c, node)
