"""Coverage audit: every number in every source text, and what in the graph accounts for it.

A number is read in every form the text prints it (``kg.numbers``: ``.056``, ``0·59``, Unicode
minus, ``1,234``, ``Seventy-two``, ``nine of 23``, "no responses" as 0, both ends of a range, both
sides of a ratio). It is *covered* when it lies inside an
evidence span whose statements carry that number as data (a typed value, a count, a size, a
reference number, a date, a time point or a number inside a structured text field such as a
schedule). It is *explained* when it is deliberately not modelled: a reference number in
brackets, a page number, part of the bibliographic record, or a span the evidence file lists under
``audit: explain`` with its reason. Anything else is *unexplained*, and ``kg audit`` fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg import model as m
from kg.builders import iris
from kg.draft.reading import read_paper
from kg.numbers import iter_numbers
from kg.provenance import SourceText
from kg.vocab import KG, OA

BRACKET_RE = re.compile(r"\[[\d,\s\-–]+\]")
SKIP_TEXT_PROPS = {RDFS.label, KG.curatedQuote, OA.exact, OA.prefix, OA.suffix, KG.text,
                   KG.conflictNote, KG.curationNote, KG.mappingEvidence, KG.cellText}


@dataclass(frozen=True)
class Occurrence:
    """One number in a source text and its verdict."""

    doc: str
    number: str
    start: int
    line: int
    status: str  # covered, explained, unexplained
    by: str

    def __str__(self) -> str:
        """One line: where, the number, the verdict and what accounts for it."""
        return f"{self.doc}:{self.line}: {self.number:>8}  {self.status:<11} {self.by}"


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


HOPS = (KG.hasDosing, KG.endpoint, KG.subsetOf)  # parts whose numbers a statement's quote states


def _values(graph: Graph, node: URIRef) -> set[Decimal]:
    """Numbers a statement carries as data, with its dosing, its endpoint and parent population.

    A confidence level 0.95 also counts as the "95" of "95% CI".
    """
    out: set[Decimal] = set()
    nodes = [node, *(o for hop in HOPS for o in graph.objects(node, hop))]
    # a table cell that agrees with the prose is covered by the statement it was checked against
    for check in graph.subjects(KG.checkedCell, node):
        if graph.value(check, KG.agrees) == Literal(True):
            nodes.extend(graph.objects(check, KG.checkedStatement))
    for n in nodes:
        for p, o in graph.predicate_objects(n):
            if not isinstance(o, Literal) or p in SKIP_TEXT_PROPS:
                continue
            if o.datatype in (XSD.gYearMonth, XSD.gYear) or o.datatype is None or \
                    o.datatype == XSD.string:
                out.update(p.value for p in iter_numbers(str(o)))
            else:
                d = _decimal(str(o))
                if d is not None:
                    out.add(d)
                    if p == KG.ciLevel:
                        out.add(d * 100)
    return out


def _spans(graph: Graph, doc_iri: URIRef) -> list[tuple[int, int, set[Decimal], str]]:
    """Evidence spans of a document with the numbers their statements carry."""
    out = []
    for span in graph.subjects(OA.hasSource, doc_iri):
        start = end = None
        for sel in graph.objects(span, OA.hasSelector):
            if graph.value(sel, OA.start) is not None:
                start = int(graph.value(sel, OA.start))
                end = int(graph.value(sel, OA.end))
        if start is None or end is None:
            continue
        values: set[Decimal] = set()
        names = []
        for stmt in graph.objects(span, KG.supports):
            values |= _values(graph, stmt)
            names.append(str(stmt).rsplit("/id/", 1)[-1])
        out.append((start, end, values, ", ".join(sorted(names))))
    return out


def _bibliographic(doc: m.Document) -> set[Decimal]:
    values = [doc.year, doc.volume, doc.issue, doc.pages, doc.page_count, doc.article_number]
    out = set()
    for v in values:
        if v is not None:
            out.update(d for d in map(_decimal, re.findall(r"\d+", str(v))) if d is not None)
    return out


def audit_document(graph: Graph, f: m.EvidenceFile, source: SourceText) -> Iterator[Occurrence]:
    """Every number of one document with its verdict."""
    text = source.text
    spans = _spans(graph, iris.document(f.document.id))
    brackets = [mt.span() for mt in BRACKET_RE.finditer(text)]
    explained = []
    for ex in f.explanations:
        span = source.locate(ex.quote)
        explained.append((span.start, span.end, ex.reason))
    biblio = _bibliographic(f.document)
    header_start = text.find("Original language")
    body = read_paper(text).body  # a header of 'Field: value' lines or MEDLINE tags is not data
    for printed in iter_numbers(text, zero_counts=True):
        number, pos, value = printed.text, printed.start, printed.value
        line = text.count("\n", 0, pos) + 1
        verdict = _verdict(pos, value, spans, brackets, source, explained, biblio, header_start)
        if verdict[0] == "unexplained" and not body[0] <= pos < body[1]:
            verdict = ("explained", "bibliographic header of the text (not its body)")
        yield Occurrence(f.document.id, number, pos, line, *verdict)


def _verdict(pos: int, value: Decimal | None, spans: list[tuple[int, int, set[Decimal], str]],
             brackets: list[tuple[int, int]], source: SourceText,
             explained: list[tuple[int, int, str]], biblio: set[Decimal], biblio_start: int
             ) -> tuple[str, str]:
    for s, e, reason in explained:  # narrow curated spans first: they name non-data numbers
        if s <= pos < e:
            return "explained", reason
    for s, e, values, names in spans:
        if s <= pos < e and value in values:
            return "covered", names
    if any(s <= pos < e for s, e in brackets):
        return "explained", "reference number (the reference list is not part of the text)"
    if any(s <= pos < e for s, e in source.header_spans):
        return "explained", "page header or page number"
    if biblio_start >= 0 and pos >= biblio_start and value in biblio:
        return "explained", "bibliographic record (kg:Document)"
    return "unexplained", ""


def audit(graph: Graph, corpus: m.Corpus, texts: dict[str, SourceText]) -> list[Occurrence]:
    """Audit every document of a corpus against its built graph."""
    out: list[Occurrence] = []
    for f in corpus.files:
        out.extend(audit_document(graph, f, texts[f.document.id]))
    return out
