"""Drug-target interactions, with the shortcut edge ``kg:targets`` for easy querying.

A family target (RAF) also yields interactions with each curated member (RAF1, BRAF), carrying
the same evidence and a note that the member link comes from the family, not from the text.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.namespace import RDF, RDFS

from kg.builders import iris
from kg.builders.base import BuildInput, Quad, builder, lit
from kg.builders.terms import ACTION
from kg.vocab import KG


@builder("targets", "drug-target interactions with action type and evidence")
def iter_targets(inp: BuildInput) -> Iterator[Quad]:
    """One interaction node per drug and target, plus its shortcut edge."""
    ent = inp.corpus.entities
    for f in inp.corpus.files:
        g = f.document.id
        for t in f.interactions:
            drug = iris.drug(t.drug)
            members = ent.families[t.target].members if t.target in ent.families else ()
            for key, via in [(t.target, None), *((mb, t.target) for mb in members)]:
                node = iris.interaction(t.drug, key)
                target = iris.target(key, ent)
                target_label = (ent.families[key].label if key in ent.families
                                else ent.targets[key].label)
                yield Quad(node, RDF.type, KG.DrugTargetInteraction, g)
                yield Quad(node, RDFS.label, lit(
                    f"{ent.drugs[t.drug].label} {t.action}s {target_label}"), g)
                yield Quad(node, KG.drug, drug, g)
                yield Quad(node, KG.target, target, g)
                yield Quad(node, KG.actionType, ACTION[t.action], g)
                yield Quad(drug, KG.targets, target, g)
                if via is not None:
                    yield Quad(node, KG.curationNote, lit(
                        f"member of the {ent.families[via].label} named by the source"), g)
                yield from inp.evidence(g, t, node)
