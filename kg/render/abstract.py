"""What a study page shows, read from the graph: a structured abstract of one study.

Design facts, arms with their regimens and doses, the population flow, endpoints, results,
comparisons, findings, the claims and contradictions that involve the study, and the documents
that describe it with every quote the page cites. Each row keeps the quotes (evidence spans) of
its statement, so the page can link every number to the sentence that prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.render.projection import info, kind_of, label_of, page_of, schedule_of
from kg.vocab import KG, OA

PARTS = (KG.hasArm, KG.hasPopulation, KG.hasEndpoint, KG.hasResult, KG.hasComparison,
         KG.hasFinding)


@dataclass(frozen=True)
class Quote:
    """One evidence span: where a statement is printed."""

    anchor: str  # id of its element on the page
    document: str
    start: int
    end: int
    sentence: str
    text: str


@dataclass
class Row:
    """One statement as a table row: cell texts by column, and the quotes that print them."""

    iri: str
    cells: dict[str, str]
    quotes: list[str] = field(default_factory=list)  # anchors
    depth: int = 0  # for the population flow


@dataclass
class StudyAbstract:
    """Everything a study page shows besides its graph panel."""

    iri: str
    title: str
    design: list[tuple[str, str]]
    conditions: list[tuple[str, str | None]]  # label, page
    registry: list[tuple[str, str]]  # CURIE, URL
    related: list[tuple[str, str | None]]  # parent study and substudies
    arms: list[Row]
    populations: list[Row]
    endpoints: list[Row]
    results: list[Row]
    comparisons: list[Row]
    findings: list[Row]
    claims: list[Row]
    contradictions: list[Row]
    documents: dict[str, list[Quote]]
    safety: list[Row] = field(default_factory=list)  # adverse events, dose changes, deaths
    harms: list[Row] = field(default_factory=list)  # harm comparisons


def part(label: str) -> str:
    """A study part's label without the study's name in front."""
    return label.split(": ", 1)[1] if ": " in label else label


def _lit(g: Graph, node: object, prop: URIRef) -> str:
    v = g.value(node, prop)  # type: ignore[arg-type]
    return "" if v is None else str(v)


def _name(g: Graph, node: object, prop: URIRef) -> str:
    v = g.value(node, prop)  # type: ignore[arg-type]
    return "" if v is None else part(label_of(g, v))


def quote_anchor(span: object) -> str:
    """The id of an evidence span's quote on its study page (other pages link to it)."""
    return "q-" + "-".join(str(span).rsplit("/", 2)[-2:])


class _Quotes:
    """Collects the quotes a page cites, by document, each once."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self.by_doc: dict[str, dict[str, Quote]] = {}

    def of(self, node: object) -> list[str]:
        out = []
        for span in sorted(self.g.objects(node, KG.hasEvidence), key=str):  # type: ignore[arg-type]
            q = self._quote(span)
            self.by_doc.setdefault(q.document, {})[q.anchor] = q
            out.append(q.anchor)
        return sorted(out, key=lambda a: self._start(a))

    def _start(self, anchor: str) -> tuple[str, int]:
        for doc, qs in self.by_doc.items():
            if anchor in qs:
                return doc, qs[anchor].start
        return "", 0

    def _quote(self, span: object) -> Quote:
        g = self.g
        start = end = 0
        exact = ""
        for sel in g.objects(span, OA.hasSelector):  # type: ignore[arg-type]
            if g.value(sel, OA.start) is not None:
                start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
            if g.value(sel, OA.exact) is not None:
                exact = " ".join(str(g.value(sel, OA.exact)).split())
        sentences = sorted(int(g.value(s, KG.sentenceIndex)) for s in
                           g.objects(span, KG.inSentence))  # type: ignore[arg-type]
        doc = label_of(g, g.value(span, OA.hasSource))  # type: ignore[arg-type]
        return Quote(quote_anchor(span), doc, start, end,
                     ", ".join(str(i + 1) for i in sentences), exact)

    def documents(self) -> dict[str, list[Quote]]:
        return {d: sorted(qs.values(), key=lambda q: q.start) for d, qs in
                sorted(self.by_doc.items())}


def design_facts(g: Graph, s: URIRef) -> list[tuple[str, str]]:
    """Phase, randomisation, blinding, line, setting, enrolment period and the like."""
    facts: list[tuple[str, str]] = []

    def add(name: str, value: str) -> None:
        if value:
            facts.append((name, value))

    add("type", ", ".join(sorted(label_of(g, c) for c in g.objects(s, RDF.type))))
    add("phase", ", ".join(sorted(label_of(g, x) for x in g.objects(s, KG.phase))))
    for prop, name in ((KG.randomised, "randomised"), (KG.placeboControlled, "placebo-controlled"),
                       (KG.singleArm, "single-arm"), (KG.multicentre, "multicentre"),
                       (KG.adaptive, "adaptive"), (KG.biomarkerDriven, "biomarker-driven"),
                       (KG.randomisedDiscontinuation, "randomised discontinuation"),
                       (KG.terminatedEarly, "terminated early")):
        v = g.value(s, prop)
        if v is not None:
            add(name, "yes" if v.toPython() else "no")
    add("termination reason", _lit(g, s, KG.terminationReason))
    add("blinding", _name(g, s, KG.blinding))
    add("allocation", _lit(g, s, KG.allocationRatio))
    add("line of therapy", ", ".join(sorted(label_of(g, x)
                                            for x in g.objects(s, KG.lineOfTherapy))))
    add("setting", _lit(g, s, KG.diseaseSetting))
    add("prior therapy", _lit(g, s, KG.priorTherapy))
    start, end = _lit(g, s, KG.enrolmentStart), _lit(g, s, KG.enrolmentEnd)
    add("enrolment", f"{start} to {end}" if start and end else start or end)
    add("stratified by", ", ".join(sorted(str(x) for x in
                                          g.objects(s, KG.stratificationFactor))))
    add("eligibility", _lit(g, s, KG.eligibilitySummary))
    add("sample size", _lit(g, s, KG.sampleSizeAssumption))
    add("reference numbers (as cited)",
        ", ".join(str(r) for r in sorted(int(x) for x in g.objects(s, KG.referenceNumber))))
    return facts


def _unit(g: Graph, node: object, value: URIRef, unit: URIRef) -> str:
    v = g.value(node, value)  # type: ignore[arg-type]
    if v is None:
        return ""
    u = g.value(node, unit)  # type: ignore[arg-type]
    symbol = label_of(g, u) if u is not None else ""
    if symbol == "percent":
        return f"{v}%"
    plural = symbol in ("month", "week", "day", "year") and float(v) != 1
    return f"{v} {symbol}{'s' if plural else ''}".strip()


def _dose(g: Graph, d: object) -> str:
    """'examplinib: 200 mg twice daily': the drug and its schedule (`schedule_of`)."""
    drug = label_of(g, g.value(d, KG.intervention))  # type: ignore[arg-type]
    schedule = schedule_of(g, d)
    return f"{drug}: {schedule}" if schedule else drug


def _ci(g: Graph, node: object) -> str:
    low, high = g.value(node, KG.ciLow), g.value(node, KG.ciHigh)  # type: ignore[arg-type]
    if low is None or high is None:
        return ""
    level = g.value(node, KG.ciLevel)  # type: ignore[arg-type]
    pct = f"{float(level) * 100:g}% CI " if level is not None else ""
    return f"{pct}{low}–{high}"


def _p(g: Graph, c: object) -> str:
    p = g.value(c, KG.pValue)  # type: ignore[arg-type]
    if p is None:
        return ""
    q = g.value(c, KG.pValueQualifier)  # type: ignore[arg-type]
    sign = {KG.LessThan: "<", KG.LessThanOrEqual: "≤", KG.Equal: "="}.get(q, "")  # type: ignore[arg-type]
    return " ".join(x for x in ("p", sign, str(p)) if x)


def _endpoint(g: Graph, node: object) -> str:
    ep = g.value(node, KG.endpoint)  # type: ignore[arg-type]
    if ep is None:
        return ""
    star = " ★" if (ep, KG.isPrimary, None) in g and g.value(ep, KG.isPrimary).toPython() else ""
    return part(label_of(g, ep)) + star


def _populations(g: Graph, s: URIRef, quotes: _Quotes) -> list[Row]:
    """The population flow: each population under the one it is a subset of."""
    pops = sorted(g.objects(s, KG.hasPopulation))
    parent = {p: g.value(p, KG.subsetOf) for p in pops}
    rows: list[Row] = []

    def walk(node: object, depth: int) -> None:
        defined = [label_of(g, x) for prop in (KG.histology, KG.definedByBiomarker)
                   for x in g.objects(node, prop)]  # type: ignore[arg-type]
        status = _lit(g, node, KG.biomarkerStatus)
        rows.append(Row(str(node), {
            "population": part(label_of(g, node)),
            "kind": _name(g, node, KG.populationKind),
            "defined by": ", ".join(defined + ([status] if status else [])),
            "N": _lit(g, node, KG.size)}, quotes.of(node), depth))
        for child in pops:
            if parent[child] == node:
                walk(child, depth + 1)

    for p in pops:
        if parent[p] not in pops:
            walk(p, 0)
    return rows


def _statements_of(g: Graph, s: URIRef) -> set:
    return {s, *(o for prop in PARTS for o in g.objects(s, prop)),
            *g.subjects(KG.aboutStudy, s)}


def study_abstract(g: Graph, s: URIRef) -> StudyAbstract:
    """Read one study's structured abstract from the graph."""
    quotes = _Quotes(g)
    quotes.of(s)
    arms = []
    for a in sorted(g.objects(s, KG.hasArm)):
        reg = g.value(a, KG.usesRegimen)
        doses = [_dose(g, d) for d in sorted(g.objects(a, KG.hasDosing))]
        arms.append(Row(str(a), {"arm": part(label_of(g, a)),
                                 "regimen": label_of(g, reg) if reg is not None else "",
                                 "dose and schedule": "; ".join(doses)}, quotes.of(a)))
    endpoints = []
    for e in sorted(g.objects(s, KG.hasEndpoint)):
        primary = g.value(e, KG.isPrimary)
        endpoints.append(Row(str(e), {
            "endpoint": part(label_of(g, e)), "type": _name(g, e, KG.endpointType),
            "primary": "★ primary" if primary is not None and primary.toPython() else "",
            "time point": _unit(g, e, KG.timePointValue, KG.timePointUnit)}, quotes.of(e)))
    results = []
    for r in sorted(g.objects(s, KG.hasResult)):
        count, den = _lit(g, r, KG.count), _lit(g, r, KG.denominator)
        results.append(Row(str(r), {
            "endpoint": _endpoint(g, r), "arm": _name(g, r, KG.arm),
            "population": _name(g, r, KG.population), "statistic": _lit(g, r, KG.statistic),
            "value": _unit(g, r, KG.value, KG.unit), "CI": _ci(g, r),
            "n/N": f"{count}/{den}" if count and den else count,
            "time point": _unit(g, r, KG.timePointValue, KG.timePointUnit)}, quotes.of(r)))
    comparisons = []
    for c in sorted(g.objects(s, KG.hasComparison)):
        treatment = g.value(c, KG.comparisonKind) in (KG.TreatmentEffect, None)
        comparisons.append(Row(str(c), {
            "endpoint": _endpoint(g, c), "kind": _name(g, c, KG.comparisonKind),
            "measure": _name(g, c, KG.measure),
            "groups": (f"{_name(g, c, KG.experimentalGroup)} vs {_name(g, c, KG.referenceGroup)}"
                       if treatment else
                       f"{_name(g, c, KG.firstGroup)} vs {_name(g, c, KG.secondGroup)}"),
            "population": _name(g, c, KG.population), "estimate": _lit(g, c, KG.estimate),
            "CI": _ci(g, c), "p": _p(g, c),
            "significant": {"true": "yes", "false": "no"}.get(_lit(g, c, KG.significant), ""),
            "direction": _name(g, c, KG.direction) or
            (f"better in {_name(g, c, KG.favouredGroup)}" if g.value(c, KG.favouredGroup)
             else "")}, quotes.of(c)))
    findings = [Row(str(f), {"finding": part(label_of(g, f)), "marker": _name(g, f, KG.marker),
                             "association": _name(g, f, KG.associationDirection),
                             "measured": _lit(g, f, KG.measurementTime)}, quotes.of(f))
                for f in sorted(g.objects(s, KG.hasFinding))]
    claims = [Row(str(c), {"claim": label_of(g, c), "kind": _name(g, c, KG.claimKind)},
                  quotes.of(c)) for c in sorted(g.subjects(KG.aboutStudy, s))
              if (c, RDF.type, KG.Claim) in g]
    mine = _statements_of(g, s)
    contradictions = [Row(str(c), {"contradiction": label_of(g, c),
                                   "reason": _name(g, c, KG.conflictReason),
                                   "note": _lit(g, c, KG.conflictNote),
                                   "detected by": _lit(g, c, KG.detectedBy)}, quotes.of(c))
                      for c in sorted(g.subjects(RDF.type, KG.Contradiction))
                      if mine & set(g.objects(c, KG.conflictingStatement))]
    related = [(label_of(g, x), page_of(x, kind_of(g, x)))  # type: ignore[arg-type]
               for x in [*g.objects(s, KG.partOf), *sorted(g.subjects(KG.partOf, s))]]
    conditions = [(label_of(g, d), page_of(d, "disease"))  # type: ignore[arg-type]
                  for d in sorted(g.objects(s, KG.studiesCondition))]
    safety, harms = _safety(g, s, quotes)
    return StudyAbstract(
        str(s), label_of(g, s), design_facts(g, s), conditions,
        [(c, u) for c, u in info(g, s).ids], related, arms, _populations(g, s, quotes),
        endpoints, results, comparisons, findings, claims, contradictions, quotes.documents(),
        safety, harms)


def _safety(g: Graph, s: URIRef, quotes: _Quotes) -> tuple[list[Row], list[Row]]:
    """The safety table (one row per event, grade and arm) and the harm comparisons."""
    rows = []
    for r in sorted(g.objects(s, KG.hasSafetyResult)):
        count, den, pct = _lit(g, r, KG.count), _lit(g, r, KG.denominator), _lit(g, r, KG.value)
        kind = (_name(g, r, KG.modificationKind) or
                ("death on treatment" if (r, RDF.type, KG.DeathOnTreatmentResult) in g
                 else "adverse event"))
        if pct:
            pct = format(Decimal(pct).normalize(), "f")
        rows.append(Row(str(r), {
            "event": _lit(g, r, KG.eventTerm), "kind": kind,
            "grade": _lit(g, r, KG.gradeRange).replace(">=", "≥"),
            "relatedness": _name(g, r, KG.relatedness), "arm": _name(g, r, KG.arm),
            "population": _name(g, r, KG.population),
            "n/N": f"{count}/{den}" if count and den else count,
            "%": f"{pct}%" if pct else "", "time frame": _lit(g, r, KG.timeFrame)},
            _printing_first(quotes, quotes.of(r), count or pct)))
    harms = [Row(str(c), {
        "event": _lit(g, c, KG.eventTerm),
        "grade": _lit(g, c, KG.gradeRange).replace(">=", "≥"),
        "arms": f"{_name(g, c, KG.experimentalGroup)} vs {_name(g, c, KG.referenceGroup)}",
        "measure": _name(g, c, KG.measure), "estimate": _lit(g, c, KG.estimate),
        "CI": _ci(g, c), "p": _p(g, c), "safety direction": _name(g, c, KG.safetyDirection)},
        quotes.of(c)) for c in sorted(g.objects(s, KG.hasHarmComparison))]
    return rows, harms


def _printing_first(quotes: _Quotes, anchors: list[str], number: str) -> list[str]:
    """The quotes of a row, the one that prints its number first (the numbers link to it)."""
    texts = {a: q.text for qs in quotes.by_doc.values() for a, q in qs.items()}
    pattern = re.compile(rf"(?<![\d.]){re.escape(number)}(?![\d])") if number else None
    return sorted(anchors, key=lambda a: 0 if pattern and pattern.search(texts.get(a, "")) else 1)
