"""Builders: one module per aspect, each registering pure generators of quads.

Importing this package registers every builder; ``ORDER`` fixes the order they run in (entities
before the statements that use them), and a test checks it names every registered builder.
"""

from kg.builders import (
    claims,
    crossdoc,
    documents,
    entities,
    findings,
    outcomes,
    safety,
    studies,
    summaries,
    tables,
    targets,
)
from kg.builders.base import REGISTRY, Builder, BuildInput, Quad

MODULES = (entities, documents, targets, studies, outcomes, findings, claims, tables, crossdoc,
           summaries, safety)
ORDER = ("entities", "documents", "targets", "studies", "outcomes", "findings", "claims",
         "contradictions", "tables", "crossdoc", "summaries", "safety")


def ordered() -> list[Builder]:
    """Registered builders in run order."""
    return [REGISTRY[name] for name in ORDER]


__all__ = ["MODULES", "ORDER", "REGISTRY", "BuildInput", "Builder", "Quad", "ordered"]
