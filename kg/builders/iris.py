"""Instance IRIs for every kind of node, in one place so builders and queries agree."""

from __future__ import annotations

from rdflib import URIRef

from kg import model as m
from kg.ids import mint, slug


def drug(key: str) -> URIRef:
    """A drug."""
    return mint("drug", key)


def intervention(key: str, entities: m.Entities | None = None) -> URIRef:
    """A drug, the placebo, or a non-drug intervention of ``entities``."""
    if key == "placebo" or (entities is not None and key in entities.interventions):
        return mint("intervention", key)
    return drug(key)


def protein(symbol: str) -> URIRef:
    """A protein target, named by its gene symbol."""
    return mint("protein", symbol)


def gene(symbol: str) -> URIRef:
    """A gene."""
    return mint("gene", symbol)


def family(key: str) -> URIRef:
    """A target family."""
    return mint("target-family", key)


def target(key: str, entities: m.Entities) -> URIRef:
    """A protein or a family, whichever the key names."""
    return family(key) if key in entities.families else protein(key)


def disease(key: str) -> URIRef:
    """A disease."""
    return mint("disease", key)


def biomarker(key: str) -> URIRef:
    """A biomarker."""
    return mint("biomarker", key)


def regimen(components: tuple[str, ...]) -> URIRef:
    """A regimen: its components sorted, so 'erlotinib + sorafenib' is one node in every study."""
    return mint("regimen", "+".join(sorted(components)))


def mapping(kind: str, key: str, curie: str) -> URIRef:
    """A curated identifier mapping of a node."""
    return mint("mapping", kind, slug(key), slug(curie))


def document(doc_id: str) -> URIRef:
    """A source document."""
    return mint("document", doc_id)


def study(study_id: str) -> URIRef:
    """A study."""
    return mint("study", study_id)


def study_part(study_id: str, kind: str, part_id: str) -> URIRef:
    """A record nested in a study: arm, population, endpoint, result, comparison, finding."""
    return mint("study", study_id, kind, part_id)


def interaction(drug_key: str, target_key: str) -> URIRef:
    """A drug-target interaction."""
    return mint("interaction", f"{drug_key}--{slug(target_key)}")


def claim(claim_id: str) -> URIRef:
    """A claim."""
    return mint("claim", claim_id)


def contradiction(cid: str) -> URIRef:
    """A contradiction."""
    return mint("contradiction", cid)


def record(full_id: str, rec: m.Record) -> URIRef:
    """The node of any record, from its corpus-wide id (``study/part`` for nested records)."""
    kinds = {m.Arm: "arm", m.Population: "population", m.Endpoint: "endpoint",
             m.Result: "result", m.Comparison: "comparison", m.Finding: "finding",
             m.SafetyResult: "adverse-event", m.HarmComparison: "harm-comparison"}
    if isinstance(rec, m.Study):
        return study(rec.id)
    if type(rec) in kinds:
        study_id = full_id.split("/", 1)[0]
        return study_part(study_id, kinds[type(rec)], rec.id)
    if isinstance(rec, m.TargetInteraction):
        return interaction(rec.drug, rec.target)
    if isinstance(rec, m.Claim):
        return claim(rec.id)
    if isinstance(rec, m.Contradiction):
        return contradiction(rec.id)
    raise TypeError(f"no IRI for {type(rec).__name__}")
