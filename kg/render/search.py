"""The index page's search index, built once at build time and shipped inside the page.

Every node of the full projection gets an entry: its label, type, where it opens, a rank tier
(studies before entities' statements), the exact names a query may equal (label, synonyms,
identifiers, acronym) and the search tokens of everything it can be found by. Text is
normalised the same way here and in ``search.js`` (the Greek table travels with the index):
case, accents, hyphens and Greek letters (β, beta) do not matter.
"""

from __future__ import annotations

import re
import unicodedata

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.render.projection import label_of, page_of
from kg.vocab import KG

GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
         "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau", "ω": "omega"}
TIER = {"study": 1, "drug": 2, "protein": 2, "family": 2, "disease": 2, "gene": 2,
        "biomarker": 2, "regimen": 2, "result": 3, "comparison": 3}
OTHER_TIER = 4  # other statements and study parts; exact matches rank 0
PART_OF = (KG.hasArm, KG.hasPopulation, KG.hasEndpoint, KG.hasResult, KG.hasComparison,
           KG.hasFinding)


def fold(text: str) -> str:
    """Lower case, Greek letters spelled out, accents dropped."""
    if text.isascii():  # nearly every name: nothing to spell out or drop
        return text.lower()
    text = "".join(GREEK.get(c, c) for c in text.lower())
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def exact_key(text: str) -> str:
    """A name as an exact query must spell it (spaces, hyphens and punctuation ignored)."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def tokens(text: str) -> set[str]:
    """Search tokens: each word whole (hyphens dropped) and each of its alphanumeric pieces."""
    out: set[str] = set()
    for word in fold(text).split():
        out.add(re.sub(r"[^0-9a-z]", "", word))
        out.update(re.findall(r"[0-9a-z]+", word))
    out.discard("")
    return out


def _extra_terms(g: Graph, node: URIRef) -> list[str]:
    """What a statement can also be found by: its endpoint's names, its arm's drugs, its study."""
    terms: list[str] = []
    ep = g.value(node, KG.endpoint)
    kind = g.value(ep, KG.endpointType) if ep is not None else g.value(node, KG.endpointType)
    if kind is not None:
        terms += [label_of(g, kind), *map(str, g.objects(kind, SKOS.altLabel))]
    for arm in (g.value(node, KG.arm), g.value(node, KG.experimentalGroup)):
        reg = g.value(arm, KG.usesRegimen) if arm is not None else None
        if reg is not None:
            terms += [label_of(g, d) for d in g.objects(reg, KG.hasComponent)]
    for study in _studies_of(g, node):
        terms += [str(a) for a in g.objects(study, KG.acronym)]
    return terms


def _studies_of(g: Graph, node: URIRef) -> list[URIRef]:
    """The studies a statement belongs to or is about, in a stable order."""
    found = {s for prop in PART_OF for s in g.subjects(prop, node)}
    return sorted(found or set(g.objects(node, KG.aboutStudy)))  # type: ignore[arg-type]


def search_index(g: Graph, full: nx.MultiDiGraph, type_names: dict[str, str]) -> dict:
    """The index the page searches: entries plus the Greek table the query is folded with."""
    entries = []
    for node, attrs in full.nodes(data=True):
        inf = attrs["info"]
        iri = URIRef(node)
        names = [inf.label, *inf.synonyms, *(c for c, _ in inf.ids),
                 *(str(a) for a in g.objects(iri, KG.acronym))]
        names += [c.split(":", 1)[1] for c, _ in inf.ids if ":" in c]  # NCT00863746 alone
        page = inf.page
        studies = _studies_of(g, iri)
        if page is None and studies:
            page = page_of(studies[0], "study") + "#focus=" + node
        words: set[str] = set()
        for text in [*names, attrs.get("caption", ""), *_extra_terms(g, iri)]:
            words |= tokens(text)
        entries.append({"id": node, "label": inf.label, "type": type_names.get(inf.kind, inf.type),
                        "page": page, "tier": TIER.get(inf.kind, OTHER_TIER),
                        "exact": sorted({exact_key(n) for n in names} - {""}),
                        "tokens": sorted(words)})
    entries.sort(key=lambda e: (e["tier"], e["label"].lower()))
    return {"greek": GREEK, "index": entries}
