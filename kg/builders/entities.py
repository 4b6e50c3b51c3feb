"""Entities: drugs, non-drug interventions, targets and genes, families, diseases, biomarkers.

Identifiers come only from the verified identifier table; each becomes a ``kg:xref`` CURIE, a
``skos:exactMatch`` IRI and a ``kg:CuratedMapping`` node that says where it was verified.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg import model as m
from kg.builders import iris
from kg.builders.base import ENTITIES, BuildInput, Quad, builder, lit
from kg.ids import expand_curie
from kg.vocab import KG


def iter_xrefs(node: URIRef, kind: str, key: str, xrefs: tuple[m.Xref, ...]) -> Iterator[Quad]:
    """Curated identifiers of a node, each with its mapping record."""
    for x in xrefs:
        weak = x.status == "verified_weak"
        yield Quad(node, KG.weakXref if weak else KG.xref, lit(x.curie), ENTITIES)
        yield Quad(node, SKOS.closeMatch if weak else SKOS.exactMatch, expand_curie(x.curie),
                   ENTITIES)
        mp = iris.mapping(kind, key, x.curie)
        yield Quad(node, KG.hasMapping, mp, ENTITIES)
        yield Quad(mp, RDF.type, KG.CuratedMapping, ENTITIES)
        yield Quad(mp, KG.curie, lit(x.curie), ENTITIES)
        yield Quad(mp, KG.mappingStatus, KG.VerifiedWeak if weak else KG.Verified, ENTITIES)
        if x.evidence:
            yield Quad(mp, KG.mappingEvidence, lit(x.evidence), ENTITIES)
        if x.note:
            yield Quad(mp, KG.curationNote, lit(x.note), ENTITIES)


def _named(node: URIRef, cls: URIRef, label: str, synonyms: tuple[str, ...]) -> Iterator[Quad]:
    yield Quad(node, RDF.type, cls, ENTITIES)
    yield Quad(node, RDFS.label, lit(label), ENTITIES)
    for syn in synonyms:
        yield Quad(node, SKOS.altLabel, lit(syn), ENTITIES)


@builder("entities", "drugs, targets and genes, families, diseases, biomarkers, identifiers")
def iter_entities(inp: BuildInput) -> Iterator[Quad]:
    """Describe every curated entity once, in the entities graph."""
    ent = inp.corpus.entities
    yield from _named(iris.intervention("placebo"), KG.Placebo, "placebo", ())
    for i in ent.interventions.values():
        yield from _named(iris.intervention(i.key, ent), KG.Intervention if i.unclassified
                          else KG.NonDrugIntervention, i.label, i.synonyms)
    for d in ent.drugs.values():
        node = iris.drug(d.key)
        yield from _named(node, KG.Drug, d.label, d.synonyms)
        yield from iter_xrefs(node, "drug", d.key, d.xrefs)
    for t in ent.targets.values():
        prot, gene = iris.protein(t.symbol), iris.gene(t.symbol)
        yield from _named(prot, KG.Protein, t.label, t.synonyms)
        yield Quad(prot, KG.symbol, lit(t.symbol), ENTITIES)
        yield Quad(prot, KG.encodedBy, gene, ENTITIES)
        yield from _named(gene, KG.Gene, t.symbol, ())
        yield Quad(gene, KG.symbol, lit(t.symbol), ENTITIES)
        protein_ids = tuple(x for x in t.xrefs if x.curie.startswith("UniProtKB:"))
        gene_ids = tuple(x for x in t.xrefs if not x.curie.startswith("UniProtKB:"))
        yield from iter_xrefs(prot, "protein", t.symbol, protein_ids)
        yield from iter_xrefs(gene, "gene", t.symbol, gene_ids)
    for f in ent.families.values():
        node = iris.family(f.key)
        yield from _named(node, KG.TargetFamily, f.label, f.synonyms)
        for member in f.members:
            yield Quad(node, KG.hasMember, iris.protein(member), ENTITIES)
        if f.note:
            yield Quad(node, KG.curationNote, lit(f.note), ENTITIES)
    for d in ent.diseases.values():
        node = iris.disease(d.key)
        yield from _named(node, KG.Disease, d.label, d.synonyms)
        for parent in d.subtype_of:
            yield Quad(node, KG.subtypeOf, iris.disease(parent), ENTITIES)
        yield from iter_xrefs(node, "disease", d.key, d.xrefs)
        if d.note:
            yield Quad(node, KG.curationNote, lit(d.note), ENTITIES)
    for b in ent.biomarkers.values():
        node = iris.biomarker(b.key)
        yield from _named(node, KG.Biomarker, b.label, b.synonyms)
        if b.gene:
            yield Quad(node, KG.gene, iris.gene(b.gene), ENTITIES)
