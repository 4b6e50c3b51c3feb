"""What the report's filters select on: the indications, drugs and endpoint of a row.

Each table row and forest-plot row carries these as ``data-indication``, ``data-drug`` and
``data-endpoint`` attributes; ``tables.js`` builds the filter menus from them.
"""

from __future__ import annotations

import html

from rdflib import Graph
from rdflib.namespace import RDF

from kg.render.projection import label_of
from kg.vocab import KG

Facets = dict[str, list[str]]


def study_facets(g: Graph, study: object) -> Facets:
    """The conditions a study studies and every drug in its arms."""
    if study is None:
        return {}
    drugs = {label_of(g, d) for a in g.objects(study, KG.hasArm)  # type: ignore[arg-type]
             for r in g.objects(a, KG.usesRegimen) for d in g.objects(r, KG.hasComponent)
             if (d, RDF.type, KG.Drug) in g}
    return {"indication": sorted(label_of(g, d) for d in
                                 g.objects(study, KG.studiesCondition)),  # type: ignore[arg-type]
            "drug": sorted(drugs)}


def with_endpoint(g: Graph, facets: Facets, statement: object) -> Facets:
    """A statement's facets: its study's, plus the type of its endpoint."""
    ep = g.value(statement, KG.endpoint)  # type: ignore[arg-type]
    kind = g.value(ep, KG.endpointType) if ep is not None else None
    return {**facets, "endpoint": [label_of(g, kind)] if kind is not None else []}


def attrs(facets: Facets | None) -> str:
    """The row's data attributes (values joined by '|'), escaped."""
    if not facets:
        return ""
    return "".join(f' data-{k}="{html.escape("|".join(v))}"' for k, v in sorted(facets.items()))
