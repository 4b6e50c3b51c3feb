"""Project the RDF graph onto plain networkx graphs for the HTML views and GraphML.

Size: over 400 lines because every view's projection is one table of node kinds and relations over
one walker.

A projection keeps what a person explores (drugs, targets, diseases, studies and their parts,
findings, claims, contradictions) as nodes with display attributes, and folds what they read
(numbers, identifiers, evidence quotes) into each node's ``info``. Nothing here is specific to
one drug: every view is defined by which node kinds and relations it keeps.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.ids import expand_curie
from kg.render import multigraph as nx  # networkx's MultiDiGraph without importing networkx
from kg.render.readgraph import Footprint, ReadGraph
from kg.vocab import KG, OA

T = TypeVar("T")

KIND_OF_CLASS = {
    KG.Drug: "drug", KG.Placebo: "placebo", KG.NonDrugIntervention: "intervention",
    KG.Intervention: "intervention",
    KG.Protein: "protein", KG.TargetFamily: "family",
    KG.Gene: "gene", KG.Disease: "disease", KG.ClinicalTrial: "study",
    KG.PreclinicalStudy: "study", KG.SubstudyAnalysis: "study", KG.Study: "study",
    KG.Arm: "arm", KG.Regimen: "regimen", KG.Population: "population", KG.Endpoint: "endpoint",
    KG.OutcomeResult: "result", KG.Comparison: "comparison", KG.EffectEstimate: "comparison",
    KG.BiomarkerFinding: "finding", KG.ImagingFinding: "finding", KG.Biomarker: "biomarker",
    KG.Claim: "claim", KG.Contradiction: "contradiction",
    KG.DrugIndicationEvidence: "evidence-item", KG.Document: "document",
}
NUMBER_PROPS = [(KG.size, "N"), (KG.value, "value"), (KG.count, "count"),
                (KG.denominator, "denominator"), (KG.estimate, "estimate"),
                (KG.ciLow, "CI low"), (KG.ciHigh, "CI high"), (KG.ciLevel, "CI level"),
                (KG.pValue, "p-value"), (KG.timePointValue, "time point"),
                (KG.doseValue, "dose"), (KG.referenceNumber, "reference number")]
LINK_PROPS = [(KG.unit, "unit"), (KG.pValueQualifier, "p qualifier"), (KG.measure, "measure"),
              (KG.direction, "direction"), (KG.phase, "phase"), (KG.lineOfTherapy, "line"),
              (KG.populationKind, "population"), (KG.endpointType, "endpoint"),
              (KG.associationDirection, "association"), (KG.claimKind, "claim kind"),
              (KG.conflictReason, "conflict"), (KG.evidenceLevel, "evidence level"),
              (KG.evidenceDirection, "evidence direction"), (KG.actionType, "action"),
              (KG.blinding, "blinding"), (KG.timePointUnit, "time unit"),
              (KG.comparisonKind, "comparison kind"), (KG.favouredGroup, "better in"),
              (KG.therapyUnderTest, "therapy under test"), (KG.testedAs, "tested as"),
              (KG.backboneDrug, "backbone"), (KG.measuredAt, "measured at")]
TEXT_PROPS = [(KG.randomised, "randomised"), (KG.singleArm, "single-arm"),
              (KG.multicentre, "multicentre"), (KG.terminatedEarly, "terminated early"),
              (KG.significant, "significant"), (KG.isPrimary, "primary"),
              (KG.biomarkerStatus, "biomarker status"), (KG.measurementTime, "measured"),
              (KG.markerState, "marker state"), (KG.conflictNote, "note"),
              (KG.detectedBy, "detected by"), (KG.statistic, "statistic"),
              (KG.acronym, "acronym"), (KG.symbol, "symbol")]


@dataclass
class Info:
    """What the info panel shows for a node."""

    kind: str
    type: str
    label: str
    ids: list[tuple[str, str]] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    quotes: list[dict[str, str]] = field(default_factory=list)
    page: str | None = None
    synonyms: list[str] = field(default_factory=list)


def kind_of(g: Graph, node: URIRef) -> str:
    """The display kind of a node, from its most specific known class."""
    for cls in g.objects(node, RDF.type):
        if cls in KIND_OF_CLASS:
            return KIND_OF_CLASS[cls]  # type: ignore[index]
    return "other"


def page_of(node: URIRef, kind: str) -> str | None:
    """The focused page a node has, if any (relative to output/)."""
    slug = str(node).rsplit("/", 1)[-1]
    return {"study": f"views/study-{slug}.html", "protein": f"views/target-{slug}.html",
            "family": f"views/target-{slug}.html",
            "disease": f"views/indication-{slug}.html"}.get(kind)


def label_of(g: Graph, node: object) -> str:
    """A node's rdfs:label, or the last segment of its IRI."""
    return str(g.value(node, RDFS.label) or str(node).rsplit("/", 1)[-1])


DOSE_UNITS = {KG.Milligram: "mg"}
FREQUENCY = {1: "once daily", 2: "twice daily", 3: "three times daily"}


def schedule_of(g: Graph, dosing: object) -> str:
    """A dose's schedule: as curated, else built from its numbers ('200 mg twice daily').

    A drafted dose (``kg draft``) has a value, a unit and a daily frequency but no schedule
    text; the pages show its numbers wherever they show a curated schedule.
    """
    def value(prop: URIRef) -> object:
        return g.value(dosing, prop)  # type: ignore[arg-type]

    if value(KG.scheduleText) is not None:
        return str(value(KG.scheduleText))
    parts = []
    dose, unit = value(KG.doseValue), value(KG.doseUnit)
    if dose is not None:
        amount = format(Decimal(str(dose)).normalize(), "f")
        parts.append(f"{amount} {DOSE_UNITS.get(unit, label_of(g, unit) if unit else '')}".strip())
    times = value(KG.dailyFrequency)
    if times is not None:
        parts.append(FREQUENCY.get(int(str(times)), f"{times} times daily"))
    length, length_unit = value(KG.durationValue), value(KG.durationUnit)
    if length is not None:
        word = label_of(g, length_unit) if length_unit is not None else ""
        plural = "s" if word in ("day", "week", "month", "year") and str(length) != "1" else ""
        parts.append(f"for {length} {word}{plural}".strip())
    return " ".join(parts)


def objects_by_predicate(g: Graph, node: URIRef) -> dict[Any, list[Any]]:
    """A node's objects by predicate, read in one question.

    On a read index it leaves the footprint of asking predicate by predicate: every statement
    of the node counts as read. The panel looks up ~50 predicates per node; asking each (and
    sorting what came back) was most of the time a build spent on node attributes.
    """
    if isinstance(g, ReadGraph):
        return dict(g.objects_by_predicate(node))
    out: dict[Any, list[Any]] = {}
    for p, o in g.predicate_objects(node):
        out.setdefault(p, []).append(o)
    return out


def info(g: Graph, node: URIRef) -> Info:
    """Everything the panel shows: type, identifiers, numbers, facts, evidence quotes."""
    kind = kind_of(g, node)
    objs = objects_by_predicate(g, node)
    types = [label_of(g, c) for c in objs.get(RDF.type, ())]  # sorted when joined
    out = Info(kind, ", ".join(sorted(types)) or kind, label_of(g, node), page=page_of(node, kind))
    targets = [node, *g.objects(node, KG.encodedBy)]
    for t in targets:
        for x in sorted(str(o) for o in g.objects(t, KG.xref | KG.weakXref)):
            try:
                out.ids.append((x, str(expand_curie(x))))
            except ValueError:
                out.ids.append((x, ""))
    out.synonyms = sorted(str(o) for o in objs.get(SKOS.altLabel, ()))
    for prop, name in NUMBER_PROPS:
        if prop in objs:
            for o in sorted(objs[prop]):
                out.facts.append((name, str(o)))
    for prop, name in LINK_PROPS:
        if prop in objs:
            for text in sorted(label_of(g, o) for o in objs[prop]):
                out.facts.append((name, text))
    for prop, name in TEXT_PROPS:
        if prop in objs:
            for o in sorted(objs[prop]):
                out.facts.append((name, str(o)))
    for dosing in sorted(objs.get(KG.hasDosing, ())):
        text = schedule_of(g, dosing)
        if text:
            out.facts.append(("schedule", text))
    for span in sorted(objs.get(KG.hasEvidence, ()), key=str):
        doc = g.value(span, OA.hasSource)
        start = end = ""
        exact = ""
        for sel in g.objects(span, OA.hasSelector):
            at = g.value(sel, OA.start)
            if at is not None:
                start, end = str(at), str(g.value(sel, OA.end))
            text = g.value(sel, OA.exact)
            if text is not None:
                exact = " ".join(str(text).split())
        sentences = sorted(int(g.value(s, KG.sentenceIndex)) for s in
                           g.objects(span, KG.inSentence))
        out.quotes.append({"quote": exact, "document": label_of(g, doc) if doc else "",
                           "start": start, "end": end,
                           "sentence": ", ".join(str(i + 1) for i in sentences)})
    return out


def evidence_count(g: Graph, node: URIRef) -> int:
    """How much evidence a node has (its own spans, or its statements' for entities)."""
    own = len(set(g.objects(node, KG.hasEvidence)))
    if own:
        return own
    return len(set(g.subjects(None, node))) // 2


PART_KINDS = {"arm", "population", "endpoint", "result", "comparison", "finding"}


def _acronym_or_label(g: Graph, node: URIRef) -> str:
    """A disease as a caption names it: its acronym (NSCLC) when it has one, else its label."""
    short = sorted((str(a) for a in g.objects(node, SKOS.altLabel)
                    if any(w.isupper() and len(w) > 1 for w in str(a).split())), key=len)
    return short[0] if short else label_of(g, node)


def _refs(g: Graph, node: URIRef) -> str:
    refs = sorted(int(r) for r in g.objects(node, KG.referenceNumber))
    if not refs:
        return ""
    if len(refs) > 2 and refs == list(range(refs[0], refs[-1] + 1)):
        return f"[{refs[0]}–{refs[-1]}]"
    return "[" + ",".join(map(str, refs)) + "]"


def _first_author_year(g: Graph, study: URIRef) -> str:
    """'Santoro 2013' for a study reported by a document of its own (same DOI, no citation)."""
    doc = g.value(study, KG.describedIn)
    if doc is None or not set(g.objects(study, SKOS.exactMatch)) & set(
            g.objects(doc, SKOS.exactMatch)):
        return ""
    slug = str(doc).rsplit("/", 1)[-1].split("-")[0]
    year = g.value(doc, KG.publicationYear)
    names = [str(a).split()[-1] for a in g.objects(doc, DCTERMS.creator)]
    first = next((n for n in sorted(names) if n.lower() == slug), None)
    return f"{first} {year}" if first and year else ""


def study_caption(g: Graph, study: URIRef) -> str:
    """A short, unique name: the acronym, first author and year, or design, drugs, disease, refs.

    Never a cut title: a review's unnamed studies read 'phase II sorafenib / NSCLC [7]'.
    """
    acronym = g.value(study, KG.acronym)
    if acronym:
        return str(acronym)
    author = _first_author_year(g, study)
    if author:
        return author
    types = set(g.objects(study, RDF.type))
    phases = sorted(label_of(g, p) for p in g.objects(study, KG.phase))
    parent = g.value(study, KG.partOf)
    kind = (f"{g.value(parent, KG.acronym) or ''} substudy".strip() if KG.SubstudyAnalysis in types
            else
            "preclinical" if KG.PreclinicalStudy in types else
            "/".join(phases) if phases else "study")
    drugs = sorted({label_of(g, d) for a in g.objects(study, KG.hasArm)
                    for r in g.objects(a, KG.usesRegimen) for d in g.objects(r, KG.hasComponent)
                    if (d, RDF.type, KG.Drug) in g})
    conditions = sorted(_acronym_or_label(g, d) for d in g.objects(study, KG.studiesCondition))
    what = " + ".join(drugs[:2]) + (f" +{len(drugs) - 2}" if len(drugs) > 2 else "")
    where = (conditions[0] if conditions else "") + (
        f" +{len(conditions) - 1}" if len(conditions) > 1 else "")
    return "\n".join(x for x in (f"{kind} {what}".strip(), f"{where} {_refs(g, study)}".strip())
                     if x)


def wrap(text: str, width: int = 24) -> str:
    """Break a long label into lines at spaces (the canvas never cuts a name short)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def caption(g: Graph, node: URIRef, kind: str, label: str) -> str:
    """A short caption for the drawing (the info panel and the hover show the full label).

    A study is captioned by :func:`study_caption`, a study's part without the study name, and
    anything long is wrapped over lines.
    """
    if kind == "study":
        return study_caption(g, node)
    if kind in PART_KINDS and ": " in label:
        return wrap(label.split(": ", 1)[1])
    return wrap(label)


def _attrs(g: Graph, node: URIRef) -> dict:
    inf = info(g, node)
    return {"label": inf.label, "caption": caption(g, node, inf.kind, inf.label),
            "kind": inf.kind, "info": inf, "evidence": evidence_count(g, node)}


# a read index's memo of node attributes across builds (kg/render/pagecache.py: Memo)
MEMOS: weakref.WeakKeyDictionary[Graph, Any] = weakref.WeakKeyDictionary()
# and its memos of other drawings (rows of the report's tables), by kind
KEPT: weakref.WeakKeyDictionary[Graph, Any] = weakref.WeakKeyDictionary()


def kept(g: Graph, kind: str, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or the value kept from the last build if what it read is unchanged.

    The value must never be changed once made: it is pickled at the end of the drawing.
    """
    memo_of = KEPT.get(g)
    memo = memo_of(kind) if memo_of is not None else None
    return compute() if memo is None else memo.get(name, compute)[0]
_ATTRS: weakref.WeakKeyDictionary[Graph, dict[URIRef, tuple[dict, Footprint | None]]] = \
    weakref.WeakKeyDictionary()


def node_attrs(g: Graph, node: URIRef) -> dict:
    """Display attributes of a node, computed once per graph (a node appears on many pages).

    On a read index, what computing them read is kept with them and counted as read by every
    page that reuses them (the page cache must see it).
    """
    cache = _ATTRS.setdefault(g, {})
    entry = cache.get(node)
    if entry is None and g in MEMOS:  # kept from the last build while what it read is unchanged
        entry = cache[node] = MEMOS[g].get(str(node), lambda: _attrs(g, node))
    elif entry is None:
        recording = g.footprint() if isinstance(g, ReadGraph) else nullcontext(None)
        with recording as fp:
            attrs = _attrs(g, node)
        entry = cache[node] = (attrs, fp)
    elif entry[1] is not None:
        g.note(entry[1])  # type: ignore[attr-defined]
    return entry[0]


def add_node(p: nx.MultiDiGraph, g: Graph, node: URIRef) -> None:
    """Add one RDF node to a projection with its display attributes."""
    if str(node) not in p:
        p.add_node(str(node), **node_attrs(g, node))


def add_edges(p: nx.MultiDiGraph, g: Graph, pairs: Iterable[tuple[URIRef, URIRef, str]]) -> None:
    """Add labelled edges between nodes already in the projection."""
    for s, o, label in pairs:
        existing = p.get_edge_data(str(s), str(o), default={}).values()
        if (str(s) in p and str(o) in p and s != o
                and not any(d.get("label") == label for d in existing)):
            p.add_edge(str(s), str(o), label=label)


EDGE_PROPS = [(KG.targets, "targets"), (KG.studiesCondition, "studies"),
              (KG.subtypeOf, "subtype of"), (KG.hasMember, "member"), (KG.encodedBy, "gene"),
              (KG.treats, "treats (approved)"), (KG.inClinicalTrialsFor, "in trials for"),
              (KG.studiedFor, "studied for"), (KG.partOf, "part of"), (KG.hasArm, "arm"),
              (KG.usesRegimen, "regimen"), (KG.hasComponent, "component"),
              (KG.hasPopulation, "population"), (KG.subsetOf, "subset of"),
              (KG.hasEndpoint, "endpoint"), (KG.hasResult, "result"),
              (KG.hasComparison, "comparison"), (KG.hasFinding, "finding"),
              (KG.endpoint, "endpoint"), (KG.arm, "arm"), (KG.population, "in"),
              (KG.experimentalGroup, "experimental"), (KG.referenceGroup, "reference"),
              (KG.firstGroup, "first group"), (KG.secondGroup, "second group"),
              (KG.favouredGroup, "better in"), (KG.complementOf, "rest of"),
              (KG.marker, "marker"), (KG.histology, "histology"),
              (KG.definedByBiomarker, "biomarker"), (KG.conflictingStatement, "conflicts"),
              (KG.aboutIntervention, "about"), (KG.aboutIndication, "about"),
              (KG.aboutStudy, "about"), (KG.aboutTarget, "about")]


EDGE_LABEL = dict(EDGE_PROPS)


def _edges_among(p: nx.MultiDiGraph, g: Graph) -> None:
    nodes = [URIRef(n) for n in p.nodes]
    present = set(nodes)
    for s in nodes:  # a node's few statements, not every edge property asked of each node
        for prop, o in g.predicate_objects(s):
            label = EDGE_LABEL.get(prop)  # type: ignore[call-overload]
            if label is not None and o in present:
                add_edges(p, g, [(s, o, label)])  # type: ignore[list-item]


def _studies_of_drugs(g: Graph) -> list[tuple[URIRef, URIRef]]:
    out = []
    for study, arm in g.subject_objects(KG.hasArm):
        for reg in g.objects(arm, KG.usesRegimen):
            for drug in g.objects(reg, KG.hasComponent):
                if (drug, RDF.type, KG.Drug) in g:
                    out.append((study, drug))
    return sorted(set(out))  # type: ignore[arg-type]


def overview(g: Graph) -> nx.MultiDiGraph:
    """Drugs, targets, indications and studies; outcome detail folded away."""
    p = nx.MultiDiGraph(name="overview")
    for cls in (KG.Drug, KG.Protein, KG.TargetFamily, KG.Disease, KG.ClinicalTrial,
                KG.PreclinicalStudy, KG.SubstudyAnalysis):
        for n in sorted(g.subjects(RDF.type, cls)):
            if cls == KG.Protein and not list(g.subjects(KG.targets, n)) and not list(
                    g.subjects(KG.hasMember, n)):
                continue
            add_node(p, g, n)  # type: ignore[arg-type]
    _edges_among(p, g)
    add_edges(p, g, [(s, d, "tests") for s, d in _studies_of_drugs(g)])
    return canonical(p)


def study_view(g: Graph, study: URIRef) -> nx.MultiDiGraph:
    """One study: arms and regimens, populations, endpoints, results, comparisons, findings."""
    p = nx.MultiDiGraph(name=label_of(g, study))
    add_node(p, g, study)
    for prop in (KG.hasArm, KG.hasPopulation, KG.hasEndpoint, KG.hasResult, KG.hasComparison,
                 KG.hasFinding, KG.studiesCondition, KG.partOf):
        for o in sorted(g.objects(study, prop)):
            add_node(p, g, o)  # type: ignore[arg-type]
    for arm in list(g.objects(study, KG.hasArm)):
        for reg in g.objects(arm, KG.usesRegimen):
            add_node(p, g, reg)  # type: ignore[arg-type]
            for comp in g.objects(reg, KG.hasComponent):
                add_node(p, g, comp)  # type: ignore[arg-type]
    for f in list(g.objects(study, KG.hasFinding)):
        for m in g.objects(f, KG.marker):
            add_node(p, g, m)  # type: ignore[arg-type]
    for sub in g.subjects(KG.partOf, study):
        add_node(p, g, sub)  # type: ignore[arg-type]
    _edges_among(p, g)
    return canonical(p)


def target_view(g: Graph, target: URIRef) -> nx.MultiDiGraph:
    """One target: the drugs that hit it, its gene, its family or members, claims naming it."""
    p = nx.MultiDiGraph(name=label_of(g, target))
    add_node(p, g, target)
    for n in [*g.subjects(KG.targets, target), *g.objects(target, KG.encodedBy),
              *g.subjects(KG.hasMember, target), *g.objects(target, KG.hasMember),
              *g.subjects(KG.aboutTarget, target)]:
        add_node(p, g, n)  # type: ignore[arg-type]
    _edges_among(p, g)
    return canonical(p)


def indication_view(g: Graph, disease: URIRef) -> nx.MultiDiGraph:
    """One indication: its subtypes and parents, the studies in it and the drugs tested."""
    p = nx.MultiDiGraph(name=label_of(g, disease))
    family = {disease}
    frontier = [disease]
    while frontier:  # all subtypes, transitively
        d = frontier.pop()
        for sub in g.subjects(KG.subtypeOf, d):
            if sub not in family:
                family.add(sub)  # type: ignore[arg-type]
                frontier.append(sub)  # type: ignore[arg-type]
    for d in sorted(family):
        add_node(p, g, d)
        for parent in g.objects(d, KG.subtypeOf):
            add_node(p, g, parent)  # type: ignore[arg-type]
        for study in sorted(g.subjects(KG.studiesCondition, d)):
            add_node(p, g, study)  # type: ignore[arg-type]
        for drug in g.subjects(KG.inClinicalTrialsFor | KG.treats | KG.studiedFor, d):
            add_node(p, g, drug)  # type: ignore[arg-type]
    _edges_among(p, g)
    return canonical(p)


def contradictions_view(g: Graph) -> nx.MultiDiGraph:
    """Every contradiction with the statements it links and the studies they belong to."""
    p = nx.MultiDiGraph(name="contradictions")
    for c in sorted(g.subjects(RDF.type, KG.Contradiction)):
        add_node(p, g, c)  # type: ignore[arg-type]
        for st in g.objects(c, KG.conflictingStatement):
            add_node(p, g, st)  # type: ignore[arg-type]
            for study in g.subjects(KG.hasArm | KG.hasPopulation | KG.hasResult |
                                    KG.hasComparison | KG.hasFinding, st):
                add_node(p, g, study)  # type: ignore[arg-type]
            for study in g.objects(st, KG.aboutStudy):
                add_node(p, g, study)  # type: ignore[arg-type]
    _edges_among(p, g)
    return canonical(p)


@dataclass
class Projected:
    """The full projection as plain sorted lists, what the index page and GraphML read.

    ``nodes``: (id, display attributes) sorted by id; ``edges``: (source, target, key, label)
    sorted by source, target and label, each pair's edges keyed 0, 1, ... as networkx's
    ``add_edge`` numbers them. The build writes from these lists: a networkx graph of 54,000
    nodes and 170,000 edges at 1,000x cost ~1 s of an edit's CPU to make, and nothing reads it.
    """

    nodes: list[tuple[str, dict]]
    edges: list[tuple[str, str, int, str]]
    # each study's drugs (an edge ``tests``), and where each node's edges are in ``edges``
    # (``(start, end)``; None for a node whose edges were skipped: see ``full_lists``)
    tests: dict[str, frozenset[str]] = field(default_factory=dict)
    spans: list[tuple[int, int] | None] = field(default_factory=list)

    def graph(self) -> nx.MultiDiGraph:
        """The same projection as a networkx graph (``canonical`` order)."""
        out = nx.MultiDiGraph(name="dti-kg")
        out.add_nodes_from(self.nodes)
        out.add_edges_from((s, o, k, {"label": label}) for s, o, k, label in self.edges)
        return out


def full(g: Graph) -> nx.MultiDiGraph:
    """Every explorable node and relation (for GraphML export), in canonical order.

    What ``canonical`` of the other views' way (``add_node``, ``_edges_among``, ``add_edges``)
    gives, made in one pass (``full_lists``).
    """
    return full_lists(g).graph()


def full_lists(g: Graph, skip: Callable[[list[str], dict[str, frozenset[str]]],
                                         Callable[[str], bool]] | None = None) -> Projected:
    """The full projection's nodes and edges, sorted, without building a graph.

    Each node's edges are found from its own statements and sorted among themselves; nodes
    come in sorted order, so the edges need no sort of their own over the whole graph.
    ``skip(ids, tests)``, if given, names the nodes whose edges are not wanted (the GraphML
    keeps them from the last build: ``kg.render.graphml``); their span is None.
    """
    terms: dict[str, Any] = {}
    for cls in KIND_OF_CLASS:
        if cls != KG.Document:
            for n in g.subjects(RDF.type, cls):
                terms.setdefault(str(n), n)
    ids = sorted(terms)
    nodes = [(n, node_attrs(g, terms[n])) for n in ids]
    present = set(ids)
    found: dict[str, set[str]] = {}
    for study, arm in g.subject_objects(KG.hasArm):
        for reg in g.objects(arm, KG.usesRegimen):
            for drug in g.objects(reg, KG.hasComponent):
                if (drug, RDF.type, KG.Drug) in g and str(study) in present and str(
                        drug) in present and study != drug:
                    found.setdefault(str(study), set()).add(str(drug))
    tests = {s: frozenset(d) for s, d in found.items()}
    skipped = skip(ids, tests) if skip is not None else None
    statements = _statements_of(g)
    edges: list[tuple[str, str, int, str]] = []
    spans: list[tuple[int, int] | None] = []
    for n in ids:
        if skipped is not None and skipped(n):
            spans.append(None)
            continue
        start = len(edges)
        # an edge joins two nodes' IRIs (as the views' way finds them: URIRef(n)); the
        # objects are looked up as plain text, not through rdflib's Python ``__eq__``
        mine = {(t, label) for prop, objs in statements(URIRef(n))
                if (label := EDGE_LABEL.get(prop)) is not None  # type: ignore[call-overload]
                for o in objs if type(o) is URIRef and (t := str(o)) in present and t != n}
        mine.update((d, "tests") for d in tests.get(n, ()))
        last, k = None, 0
        for o, label in sorted(mine):
            k = k + 1 if o == last else 0
            last = o
            edges.append((n, o, k, label))
        spans.append((start, len(edges)))
    return Projected(nodes, edges, tests, spans)


def _statements_of(g: Graph) -> Callable[[Any], Iterable[tuple[Any, Iterable[Any]]]]:
    """A node's statements as (predicate, objects): the read index's own dict, or rdflib's."""
    if isinstance(g, ReadGraph):
        return g.objects_by_predicate

    def grouped(s: Any) -> Iterable[tuple[Any, Iterable[Any]]]:
        by: dict[Any, list[Any]] = {}
        for p, o in g.predicate_objects(s):
            by.setdefault(p, []).append(o)
        return by.items()

    return grouped


def canonical(p: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same projection with nodes and edges in sorted order.

    rdflib returns triples in hash order; sorting makes every page and the GraphML byte-identical
    from build to build.
    """
    out = nx.MultiDiGraph(name=p.graph.get("name", ""))
    for n in sorted(p.nodes):
        out.add_node(n, **p.nodes[n])
    for s, o, a in sorted(p.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("label", ""))):
        out.add_edge(s, o, **a)
    return out

