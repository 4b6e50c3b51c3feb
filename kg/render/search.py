"""The index page's search index, built once at build time and shipped inside the page.

Every node of the full projection gets an entry: its label, type, where it opens, a rank tier
(studies before entities' statements), the exact names a query may equal (label, synonyms,
identifiers, acronym) and the search tokens of everything it can be found by. Text is
normalised the same way here and in ``search.js`` (the Greek table travels with the index):
case, accents, hyphens and Greek letters (β, beta) do not matter.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.render import multigraph as nx  # networkx's MultiDiGraph without importing networkx
from kg.render.projection import label_of, node_attrs, page_of
from kg.vocab import KG

GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
         "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau", "ω": "omega"}
TIER = {"study": 1, "drug": 2, "protein": 2, "family": 2, "disease": 2, "gene": 2,
        "biomarker": 2, "regimen": 2, "result": 3, "comparison": 3}
OTHER_TIER = 4  # other statements and study parts; exact matches rank 0
FOCUS = {"study": 0, "comparison": 1, "result": 2}  # among hits every word of which names them
PHASES = {KG.Phase1: 1, KG.Phase2: 2, KG.Phase3: 3}
PART_OF = (KG.hasArm, KG.hasPopulation, KG.hasEndpoint, KG.hasResult, KG.hasComparison,
           KG.hasFinding)


def fold(text: str) -> str:
    """Lower case, Greek letters spelled out, accents dropped."""
    if text.isascii():  # nearly every name: nothing to spell out or drop
        return text.lower()
    text = "".join(GREEK.get(c, c) for c in text.lower())
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


NOT_ALNUM = re.compile(r"[^0-9a-z]")
ALNUM_RUNS = re.compile(r"[0-9a-z]+")


def exact_key(text: str) -> str:
    """A name as an exact query must spell it (spaces, hyphens and punctuation ignored)."""
    return NOT_ALNUM.sub("", fold(text))


@functools.lru_cache(maxsize=1 << 16)
def _word_tokens(word: str) -> tuple[str, ...]:
    """One folded word's tokens (the same words recur across a graph's names and captions)."""
    return (NOT_ALNUM.sub("", word), *ALNUM_RUNS.findall(word))


def tokens(text: str) -> set[str]:
    """Search tokens: each word whole (hyphens dropped) and each of its alphanumeric pieces."""
    out: set[str] = set()
    for word in fold(text).split():
        out.update(_word_tokens(word))
    out.discard("")
    return out


def _extra_terms(g: Graph, node: URIRef, studies: list[URIRef]) -> list[str]:
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
    for study in studies:
        terms += [str(a) for a in g.objects(study, KG.acronym)]
    return terms


def _drugs(g: Graph, arm: object) -> list[str]:
    reg = g.value(arm, KG.usesRegimen) if arm is not None else None  # type: ignore[arg-type]
    return sorted(label_of(g, d) for d in g.objects(reg, KG.hasComponent)) if reg else []


def _about(g: Graph, node: URIRef, kind: str, studies: list[URIRef]
           ) -> tuple[dict[str, list[str]], list[str]]:
    """What a study or statement is about, as tokens: its study, drugs and endpoint.

    A multi-word query whose every word names one of these ('MISSION PFS', 'sorafenib PFS')
    asks for this statement, not for everything that mentions one of the words. The second
    value is the regimen under test (the arm's, or the experimental arm's), as exact keys.
    """
    if kind == "study":
        drugs = sorted({d for a in g.objects(node, KG.hasArm) for d in _drugs(g, a)})
        return {"study": sorted({t for a in g.objects(node, KG.acronym) for t in tokens(a)}),
                "drug": sorted({t for d in drugs for t in tokens(d)})}, []
    ep = g.value(node, KG.endpoint)
    kind_ = g.value(ep, KG.endpointType) if ep is not None else g.value(node, KG.endpointType)
    names = [label_of(g, kind_), *map(str, g.objects(kind_, SKOS.altLabel))] if kind_ else []
    arm = g.value(node, KG.arm) or g.value(node, KG.experimentalGroup)
    regimen = _drugs(g, arm)
    about = {"study": sorted({t for s in studies for a in g.objects(s, KG.acronym)
                              for t in tokens(a)}),
             "drug": sorted({t for d in regimen for t in tokens(d)}),
             "endpoint": sorted({t for n in names for t in tokens(n)})}
    return {k: v for k, v in about.items() if v}, [exact_key(d) for d in regimen]


def _phase(g: Graph, node: URIRef, studies: list[URIRef]) -> int:
    """The highest phase of the study a statement belongs to (0 when none is stated)."""
    return max((PHASES.get(p, 0) for s in [node, *studies] for p in g.objects(s, KG.phase)),
               default=0)


def _studies_of(g: Graph, node: URIRef) -> list[URIRef]:
    """The studies a statement belongs to or is about, in a stable order."""
    found = {s for prop in PART_OF for s in g.subjects(prop, node)}
    return sorted(found or set(g.objects(node, KG.aboutStudy)))  # type: ignore[arg-type]


def search_index(g: Graph, full: nx.MultiDiGraph | list[tuple[str, dict]],
                 type_names: dict[str, str], memo: Any = None) -> dict:
    """The index the page searches: entries plus the Greek table the query is folded with.

    With a ``memo`` (``kg.render.pagecache.Memo``), an entry whose node and neighbours are
    unchanged since the last build is reused.
    """
    entries = []
    nodes = full.nodes(data=True) if hasattr(full, "nodes") else full  # a graph, or its list
    for node, attrs in nodes:
        if memo is None:
            entries.append(_entry(g, node, attrs, type_names))
        else:
            entries.append(memo.get(node, lambda n=node: _entry(
                g, n, node_attrs(g, URIRef(n)), type_names))[0])
    entries.sort(key=_rank)
    return {"greek": GREEK, "index": entries}


def _rank(entry: dict) -> tuple[int, str]:
    return entry["tier"], entry["label"].lower()


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def search_index_json(g: Graph, nodes: list[tuple[str, dict]], type_names: dict[str, str],
                      memo: Any = None) -> str:
    """``search_index`` as the JSON text ``json.dumps(..., sort_keys=True)`` makes of it.

    Each entry's text is made once and, with a ``memo``, kept from the last build with its
    rank: an edit reads back ~54,000 short strings at 1,000x instead of as many dicts of
    lists, and encodes only the entries that changed.
    """
    def made(node: str, attrs: dict | None = None) -> tuple[tuple[int, str], str]:
        entry = _entry(g, node, node_attrs(g, URIRef(node)) if attrs is None else attrs,
                       type_names)
        return _rank(entry), _dumps(entry)

    if memo is None:
        parts = [made(node, attrs) for node, attrs in nodes]
    else:
        parts = [memo.get(node, lambda n=node: made(n))[0] for node, _ in nodes]
    parts.sort(key=lambda part: part[0])  # stable, as search_index's sort
    return ('{"greek": ' + _dumps(GREEK) + ', "index": ['
            + ", ".join(text for _, text in parts) + "]}")


def _entry(g: Graph, node: str, attrs: dict, type_names: dict[str, str]) -> dict:
    """One node's entry (``attrs`` its display attributes, as the full projection has them)."""
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
    for text in [*names, attrs.get("caption", ""), *_extra_terms(g, iri, studies)]:
        words |= tokens(text)
    entry = {"id": node, "label": inf.label, "type": type_names.get(inf.kind, inf.type),
             "page": page, "tier": TIER.get(inf.kind, OTHER_TIER),
             "exact": sorted({exact_key(n) for n in names} - {""}),
             "tokens": sorted(words)}
    about, regimen = _about(g, iri, inf.kind, studies)
    if about:  # only studies and statements: entities are found by their names
        entry.update(about=about, focus=FOCUS.get(inf.kind, len(FOCUS)),
                     phase=_phase(g, iri, studies), regimen=regimen)
    return entry
