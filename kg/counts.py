"""What the graph holds, counted once: the build report, the index page and the README agree.

Triples are the instance graph's statements, *without* the ontology: a triple that is also in
``ontology/ontology.ttl`` (the views parse the ontology in for its labels) is not counted. Nodes
are counted by class, a node with two counted classes once per class group.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

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
    """The ontology's triples as rdflib terms, parsed by pyoxigraph (several times faster)."""
    from kg.triples import read_turtle

    return frozenset(read_turtle(ONTOLOGY_FILE))


def ontology_triples() -> frozenset:
    """The ontology's triples as rdflib terms (parsed once per process; the views show them)."""
    return _ontology()


def tally(g: Iterable[tuple], typed: dict, agents: dict, hazard_ratios: set,
          onto: frozenset | None = None) -> int:
    """Note each subject's classes, each statement's agent type and the hazard ratios.

    Also the number of triples not in ``onto`` when it is given. One loop for ``count`` and
    for each build piece's own tally (``kg.pieces.tally``).
    """
    extra = 0
    # a dict finds the three predicates by hash: rdflib's == is Python code, 3 calls a triple
    watched = {RDF.type: typed, KG.agentType: agents, KG.measure: None}
    for t in g:
        if onto is not None:
            extra += t not in onto
        s, p, o = t
        if p in watched:
            into = watched[p]
            if into is not None:
                into.setdefault(o, set()).add(s)
            elif o == KG.HazardRatio:
                hazard_ratios.add(s)
    return extra


def count(g: Iterable[tuple]) -> Counts:
    """Count a graph (an rdflib graph or a set of triples) the one way every report states it."""
    onto = _ontology()
    distinct = isinstance(g, (set, frozenset))  # a build's triples: the ontology's looked up
    typed: dict[object, set] = {}
    agents: dict[object, set] = {}
    hazard_ratios: set = set()
    extra = tally(g, typed, agents, hazard_ratios, None if distinct else onto)
    triples = len(g) - sum(t in g for t in onto) if distinct else extra  # type: ignore
    nodes = {name: len(set().union(*(typed.get(c, ()) for c in classes)))
             for name, classes in COUNTED}
    # drafted statements are counted apart until a curator reviews them (kg draft --check)
    nodes["reviewed statements"] = len(agents.get(KG.ManualAgent, ()))
    nodes["drafted statements"] = len(agents.get(KG.TextMiningAgent, ()))
    return Counts(triples, nodes, len(hazard_ratios))


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
