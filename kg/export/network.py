"""The drug–target–indication–study projection as a typed networkx graph, for notebooks.

It starts from the overview the HTML views draw (``kg.render.projection.overview``: drugs,
targets, diseases, studies and the relations among them) and makes it analysable: nodes are
named by CURIE and carry numbers as numbers, and each graded drug–indication evidence item
becomes an edge from what was tested to the indication, carrying the study, level, direction
and, where the item rests on a comparison, its measure, estimate, CI and p-value.
"""

from __future__ import annotations

import re
from decimal import Decimal

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.query.names import curie
from kg.render.projection import NUMBER_PROPS, label_of, node_attrs, overview
from kg.vocab import KG

NUMBER_FACTS = {name for _, name in NUMBER_PROPS}
COMPARISON_NUMBERS = [(KG.estimate, "estimate"), (KG.ciLow, "ci_low"), (KG.ciHigh, "ci_high"),
                      (KG.ciLevel, "ci_level"), (KG.pValue, "p_value")]
COMPARISON_LABELS = [(KG.measure, "measure"), (KG.pValueQualifier, "p_qualifier"),
                     (KG.comparisonKind, "comparison_kind"), (KG.population, "population")]
COMPARISON_TYPES = {KG.Comparison, KG.EffectEstimate}
ITEM_LABELS = [(KG.evidenceLevel, "level"), (KG.evidenceDirection, "direction"),
               (KG.testedAs, "tested_as")]


def key_of(name: str) -> str:
    """A display name as an attribute key: ``CI low`` → ``ci_low``, ``p-value`` → ``p_value``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def number(text: str) -> int | float:
    """A number as printed in the graph: integers stay int, decimals become float."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() and "." not in text else float(value)


def node_attributes(g: Graph, node: URIRef) -> dict[str, object]:
    """Typed attributes of one node: kind, label, identifiers, synonyms, numbers, facts."""
    shown = node_attrs(g, node)
    inf = shown["info"]
    attrs: dict[str, object] = {"iri": str(node), "kind": shown["kind"], "label": shown["label"],
                                "caption": shown["caption"], "evidence": shown["evidence"]}
    if inf.ids:
        attrs["xrefs"] = [x for x, _ in inf.ids]
    if inf.synonyms:
        attrs["synonyms"] = list(inf.synonyms)
    for name, text in inf.facts:
        value: object = (number(text) if name in NUMBER_FACTS else
                         text == "true" if text in {"true", "false"} else text)
        key = key_of(name)
        if key in attrs:  # several values: a list, in the projection's sorted order
            prev = attrs[key]
            attrs[key] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            attrs[key] = value
    return attrs


def _python(term: object) -> object:
    if isinstance(term, Literal):
        value = term.toPython()
        return float(value) if isinstance(value, Decimal) else value
    return term


def evidence_attributes(g: Graph, item: URIRef) -> dict[str, object]:
    """The edge of one graded evidence item, with its comparison's numbers where it has one."""
    attrs: dict[str, object] = {"relation": "evidence", "item": curie(str(item)),
                                "label": label_of(g, item)}
    study = g.value(item, KG.aboutStudy)
    if study is not None:
        attrs["study"] = curie(str(study))
    for prop, key in ITEM_LABELS:
        value = g.value(item, prop)
        if value is not None:
            attrs[key] = label_of(g, value)
    significant = g.value(item, KG.significanceLevel)
    if significant is not None:
        attrs["significant"] = bool(significant.toPython())
    rests_on = g.value(item, KG.summarises)
    if rests_on is not None and COMPARISON_TYPES & set(g.objects(rests_on, RDF.type)):
        attrs["comparison"] = curie(str(rests_on))
        for prop, key in COMPARISON_NUMBERS:
            value = g.value(rests_on, prop)
            if value is not None:
                attrs[key] = _python(value)
        for prop, key in COMPARISON_LABELS:
            value = g.value(rests_on, prop)
            if value is not None:
                attrs[key] = label_of(g, value)
        endpoint_type = g.value(g.value(rests_on, KG.endpoint), KG.endpointType)
        if endpoint_type is not None:
            attrs["endpoint"] = label_of(g, endpoint_type)
    return attrs


def research_graph(g: Graph) -> nx.MultiDiGraph:
    """Drugs, targets, indications and studies with typed attributes and evidence edges.

    ``g`` is the union graph with the ontology (for the labels of levels, measures, units).
    """
    base = overview(g)
    out = nx.MultiDiGraph(name="drug-target-indication-study")
    for n in base.nodes:
        out.add_node(curie(n), **node_attributes(g, URIRef(n)))
    for s, o, a in base.edges(data=True):
        out.add_edge(curie(s), curie(o), relation=a["label"])
    for item in sorted(g.subjects(RDF.type, KG.DrugIndicationEvidence)):
        therapy = g.value(item, KG.therapyUnderTest)
        disease = g.value(item, KG.aboutIndication)
        if therapy is None or disease is None:
            continue
        for end in (therapy, disease):  # a combination regimen is not in the overview
            if curie(str(end)) not in out:
                out.add_node(curie(str(end)), **node_attributes(g, end))  # type: ignore[arg-type]
        out.add_edge(curie(str(therapy)), curie(str(disease)), key=curie(str(item)),
                     **evidence_attributes(g, item))  # type: ignore[arg-type]
    return out
