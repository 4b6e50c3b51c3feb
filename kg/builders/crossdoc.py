"""Checks between documents: the same quantity of the same study, as each document reports it.

Two statements report the same quantity when they belong to one study and agree on endpoint
(type and time point), statistic or measure, the regimen of the arm (or arms compared) and what
defines the population (kind, histology, biomarker and status). Each shared attribute (value,
count, denominator, CI bounds, estimate, p-value) becomes a ``kg:CrossDocumentCheck``: equal,
equal within the rounding of the printed precision (14.47 and 14.5), or not. A disagreement
beyond rounding is a ``kg:Contradiction`` detected by the cross-document check, stating both
values; both statements stay in the graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kg import model as m
from kg.builders import iris
from kg.builders.base import BuildInput, Quad, builder, lit
from kg.ids import mint
from kg.vocab import KG

CHECKS = "checks"  # the named graph of derived checks
RESULT_ATTRIBUTES = ("value", "count", "denominator", "ci_low", "ci_high")
COMPARISON_ATTRIBUTES = ("estimate", "ci_low", "ci_high", "p_value")
CURIE = {"value": "kg:value", "count": "kg:count", "denominator": "kg:denominator",
         "ci_low": "kg:ciLow", "ci_high": "kg:ciHigh", "estimate": "kg:estimate",
         "p_value": "kg:pValue"}


def places(value: Decimal) -> int:
    """Decimal places as printed (``0.60`` has 2, ``14.5`` has 1, ``12`` has 0)."""
    return max(0, -int(value.as_tuple().exponent))  # type: ignore[operator]


def compare(a: Decimal, b: Decimal) -> tuple[bool, bool]:
    """(agrees, within_rounding): equal, or equal once the finer is rounded to the coarser."""
    if a == b:
        return True, False
    coarse, fine = (a, b) if places(a) <= places(b) else (b, a)
    step = Decimal(1).scaleb(-places(coarse))
    rounded = fine.quantize(step, rounding=ROUND_HALF_UP)
    return (True, True) if rounded == coarse and places(a) != places(b) else (False, False)


def _population_key(s: m.Study, pop_id: str | None) -> tuple:
    pop = next((p for p in s.populations if p.id == pop_id), None)
    if pop is None:
        return ("",)
    return pop.kind, pop.histology, pop.biomarker, pop.biomarker_status, pop.age_group


def _regimen(s: m.Study, arm_id: str | None) -> frozenset[str]:
    arm = next((a for a in s.arms if a.id == arm_id), None)
    return frozenset(arm.regimen) if arm else frozenset()


def _endpoint_key(s: m.Study, endpoint_id: str | None) -> tuple:
    e = next((e for e in s.endpoints if e.id == endpoint_id), None)
    if e is None:
        return ("",)
    if e.type == "other":  # outcomes the vocabulary does not name differ by their names
        return (e.type, (e.name or "").lower(), e.timepoint, e.timepoint_unit)
    return (e.type, e.timepoint, e.timepoint_unit)


def result_key(s: m.Study, r: m.Result) -> tuple:
    """What quantity a result reports, independent of the ids a document chose."""
    return ("result", _endpoint_key(s, r.endpoint), r.statistic, r.unit, _regimen(s, r.arm),
            _population_key(s, r.population))


def comparison_key(s: m.Study, c: m.Comparison) -> tuple:
    """What quantity a comparison reports, independent of the ids a document chose."""
    sides = (tuple(_population_key(s, g) for g in c.groups) if c.groups else
             (_regimen(s, c.experimental), _regimen(s, c.reference)))
    return ("comparison", _endpoint_key(s, c.endpoint), c.measure, c.kind, sides,
            _population_key(s, c.population))


def iter_reports(inp: BuildInput, sid: str,
                 entries: list[tuple[m.EvidenceFile, m.Study]] | None = None
                 ) -> Iterator[tuple[tuple, str, URIRef, m.Record]]:
    """(quantity key, document, node, record) of every statement about one study.

    ``entries``: the study's entries with their files, in corpus order, if already indexed
    (over every study, scanning every file for each was quadratic: 3 s at 1,000x).
    """
    s = inp.corpus.studies[sid]
    if entries is None:
        entries = [(f, e) for f in inp.corpus.files for e in f.studies if e.id == sid]
    for f, entry in entries:
        for r in entry.results:
            yield result_key(s, r), f.document.id, iris.study_part(sid, "result", r.id), r
        for c in entry.comparisons:
            yield (comparison_key(s, c), f.document.id,
                   iris.study_part(sid, "comparison", c.id), c)


def _check(sid: str, label: str, a: tuple[str, URIRef, m.Record],
           b: tuple[str, URIRef, m.Record], attr: str) -> Iterator[Quad]:
    (doc_a, node_a, rec_a), (doc_b, node_b, rec_b) = a, b
    va, vb = getattr(rec_a, attr), getattr(rec_b, attr)
    agrees, rounding = compare(Decimal(va), Decimal(vb))
    if attr == "p_value" and getattr(rec_a, "p_qualifier", None) != \
            getattr(rec_b, "p_qualifier", None):
        agrees, rounding = False, False
    key = f"{sid}--{rec_a.id}--{doc_a}--{rec_b.id}--{doc_b}--{attr}".replace("_", "-")
    node = mint("check", key)
    verdict = ("agree" if not rounding else "agree within rounding") if agrees else \
        "disagree beyond the rounding of the printed precision"
    text = f"{label}, {CURIE[attr]}: {doc_a} reports {va}, {doc_b} reports {vb}: {verdict}"
    yield Quad(node, RDF.type, KG.CrossDocumentCheck, CHECKS)
    yield Quad(node, RDFS.label, lit(text), CHECKS)
    yield Quad(node, KG.checkedStatement, node_a, CHECKS)
    yield Quad(node, KG.checkedStatement, node_b, CHECKS)
    yield Quad(node, KG.checkedAttribute, lit(CURIE[attr]), CHECKS)
    yield Quad(node, KG.agrees, lit(agrees), CHECKS)
    yield Quad(node, KG.withinRounding, lit(rounding), CHECKS)
    if not agrees:
        c = mint("contradiction", key)
        yield Quad(c, RDF.type, KG.Contradiction, CHECKS)
        yield Quad(c, RDFS.label, lit(text), CHECKS)
        yield Quad(c, KG.conflictNote, lit(text), CHECKS)
        yield Quad(c, KG.conflictReason, KG.AttributeValueDiffers, CHECKS)
        yield Quad(c, KG.conflictAttribute, lit(CURIE[attr]), CHECKS)
        yield Quad(c, KG.detectedBy, lit("cross-document check"), CHECKS)
        yield Quad(c, KG.conflictingStatement, node_a, CHECKS)
        yield Quad(c, KG.conflictingStatement, node_b, CHECKS)


@builder("crossdoc", "checks between documents that report the same quantity of one study")
def iter_cross_document_checks(inp: BuildInput) -> Iterator[Quad]:
    """Compare every quantity that two documents report about the same study."""
    index: dict[str, list[tuple[m.EvidenceFile, m.Study]]] = {}
    for f in inp.corpus.files:
        for entry in f.studies:
            index.setdefault(entry.id, []).append((f, entry))
    for sid, s in inp.corpus.studies.items():
        groups: dict[tuple, list[tuple[str, URIRef, m.Record]]] = {}
        for key, doc, node, rec in iter_reports(inp, sid, index.get(sid, [])):
            groups.setdefault(key, []).append((doc, node, rec))
        for key, reports in groups.items():
            label = s.acronym or s.label
            for a, b in combinations(reports, 2):
                if a[0] == b[0]:
                    continue  # within one document the curator links statements by hand
                attrs = RESULT_ATTRIBUTES if key[0] == "result" else COMPARISON_ATTRIBUTES
                for attr in attrs:
                    if getattr(a[2], attr) is not None and getattr(b[2], attr) is not None:
                        yield from _check(sid, label, a, b, attr)
