"""What the graph holds, counted once: the build report, the index page and the README agree.

Triples are the instance graph's statements, *without* the ontology: a triple that is also in
``ontology/ontology.ttl`` (the views parse the ontology in for its labels) is not counted. Nodes
are counted by class, a node with two counted classes once per class group.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF

from kg.paths import ONTOLOGY_FILE
from kg.vocab import KG

# (name in reports, classes whose instances it counts)
COUNTED: tuple[tuple[str, tuple], ...] = (
    ("drugs", (KG.Drug,)), ("targets", (KG.Protein,)), ("target families", (KG.TargetFamily,)),
    ("diseases", (KG.Disease,)),
    ("studies", (KG.ClinicalTrial, KG.PreclinicalStudy, KG.SubstudyAnalysis, KG.Study)),
    ("arms", (KG.Arm,)), ("populations", (KG.Population,)),
    ("outcome results", (KG.OutcomeResult,)), ("comparisons", (KG.Comparison, KG.EffectEstimate)),
    ("findings", (KG.BiomarkerFinding, KG.ImagingFinding, KG.Finding)), ("claims", (KG.Claim,)),
    ("contradictions", (KG.Contradiction,)), ("documents", (KG.Document,)),
    ("evidence spans", (KG.EvidenceSpan,)))


@dataclass(frozen=True)
class Counts:
    """Triples (without the ontology), nodes per kind, and hazard ratios."""

    triples: int
    nodes: dict[str, int]
    hazard_ratios: int


@functools.cache
def _ontology() -> frozenset:
    g = Graph()
    g.parse(ONTOLOGY_FILE)
    return frozenset(g)


def count(g: Graph) -> Counts:
    """Count a graph the one way every report states it."""
    onto = _ontology()
    triples = len(g) - sum(1 for t in g if t in onto) if len(g) else 0
    nodes = {name: len({s for c in classes for s in g.subjects(RDF.type, c)})
             for name, classes in COUNTED}
    # drafted statements are counted apart until a curator reviews them (kg draft --check)
    nodes["reviewed statements"] = len(set(g.subjects(KG.agentType, KG.ManualAgent)))
    nodes["drafted statements"] = len(set(g.subjects(KG.agentType, KG.TextMiningAgent)))
    return Counts(triples, nodes, len(set(g.subjects(KG.measure, KG.HazardRatio))))


def summary(c: Counts) -> str:
    """One sentence of counts, as the README and the index page print it."""
    n = c.nodes
    return (f"{n['studies']} studies, {n['arms']} arms, {n['populations']} populations, "
            f"{n['outcome results']} outcome results, {n['comparisons']} comparisons "
            f"({c.hazard_ratios} hazard ratios), {n['findings']} biomarker and imaging findings, "
            f"{n['claims']} claims, {n['contradictions']} contradictions, {n['drugs']} drugs, "
            f"{n['targets']} protein targets and {n['target families']} target "
            f"famil{'y' if n['target families'] == 1 else 'ies'}, "
            f"{n['diseases']} diseases, {n['documents']} documents and "
            f"{n['evidence spans']:,} evidence spans: {c.triples:,} triples "
            "(not counting the ontology's own)")
