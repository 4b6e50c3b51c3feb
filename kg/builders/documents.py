"""Documents, the sentences that evidence lies in, and the evidence spans themselves.

Spans follow the W3C Web Annotation model: a ``kg:EvidenceSpan`` (an ``oa:SpecificResource``)
with ``oa:hasSource`` the document and two selectors, a TextQuoteSelector (exact, prefix, suffix)
and a TextPositionSelector (start, end in code points of the shipped text).
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from kg import model as m
from kg.builders import iris
from kg.builders.base import (
    ENTITIES,
    PROVENANCE,
    BuildInput,
    Quad,
    builder,
    lit,
    sentence_iri,
    span_iri,
)
from kg.builders.entities import iter_xrefs
from kg.builders.tables import iter_cell_spans
from kg.ids import mint
from kg.vocab import KG, OA


def _bibliography(doc: m.Document, node: URIRef, text: str, digest: str) -> Iterator[Quad]:
    g = PROVENANCE
    yield Quad(node, RDF.type, KG.Document, g)
    yield Quad(node, RDFS.label, lit(doc.title), g)
    yield Quad(node, DCTERMS.title, lit(doc.title), g)
    yield Quad(node, KG.documentKind, lit(doc.kind), g)
    yield Quad(node, KG.sourceFile, lit(f"texts/{doc.text_file}"), g)
    yield Quad(node, KG.sha256, lit(digest), g)
    yield Quad(node, KG.characterCount, lit(len(text), datatype=XSD.nonNegativeInteger), g)
    for author in doc.authors:
        yield Quad(node, DCTERMS.creator, lit(author), g)
    for prop, value in ((KG.journal, doc.journal), (KG.volume, doc.volume),
                        (KG.issue, doc.issue), (KG.pages, doc.pages),
                        (KG.articleNumber, doc.article_number),
                        (KG.publicationStatus, doc.publication_status)):
        if value is not None:
            yield Quad(node, prop, lit(value), g)
    if doc.year is not None:
        yield Quad(node, KG.publicationYear, lit(str(doc.year), datatype=XSD.gYear), g)
    if doc.publication_date is not None:
        kind = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(doc.publication_date)]
        yield Quad(node, DCTERMS.issued, lit(doc.publication_date, datatype=kind), g)
    if doc.doi is not None:
        yield Quad(node, KG.statedDoi, lit(doc.doi), g)
    if doc.source_url is not None:
        yield Quad(node, KG.sourceUrl, lit(doc.source_url, datatype=XSD.anyURI), g)
    if doc.page_count is not None:
        yield Quad(node, KG.pageCount, lit(doc.page_count), g)
    for kw in doc.keywords:
        yield Quad(node, KG.keyword, lit(kw), g)
    for area in doc.subject_areas:
        yield Quad(node, KG.subjectArea, lit(area), g)


@builder("documents", "source documents, sentences with evidence, evidence spans with offsets")
def iter_documents(inp: BuildInput) -> Iterator[Quad]:
    """Describe each document and every span its records cite, with the sentences around them."""
    g = PROVENANCE
    for f in inp.corpus.files:
        doc = f.document
        node = iris.document(doc.id)
        source = inp.texts[doc.id]
        yield from _bibliography(doc, node, source.text, doc.sha256)
        if doc.curated_ids:
            xrefs = inp.corpus.entities.study_xrefs[doc.curated_ids]
            yield from (Quad(q.s, q.p, q.o, ENTITIES)
                        for q in iter_xrefs(node, "document", doc.id, xrefs))
        spans = {}
        for _, rec in f.iter_records():
            for quote in rec.quotes:
                span = inp.span(doc.id, quote)
                spans.setdefault((span.start, span.end), (span, quote))
        for cell_doc, start, end, text in iter_cell_spans(inp):
            if cell_doc == doc.id:
                spans.setdefault((start, end), (source.span_at(start, end), text))
        sentences: set[int] = set()
        for span, quote in spans.values():
            iri = span_iri(doc.id, span)
            quote_sel = mint("evidence", doc.id, f"{span.start}-{span.end}", "quote")
            pos_sel = mint("evidence", doc.id, f"{span.start}-{span.end}", "position")
            yield Quad(iri, RDF.type, KG.EvidenceSpan, g)
            yield Quad(iri, RDFS.label, lit(_short(span.exact)), g)
            yield Quad(iri, OA.hasSource, node, g)
            yield Quad(iri, KG.curatedQuote, lit(quote), g)
            yield Quad(iri, OA.hasSelector, quote_sel, g)
            yield Quad(iri, OA.hasSelector, pos_sel, g)
            yield Quad(quote_sel, RDF.type, OA.TextQuoteSelector, g)
            yield Quad(quote_sel, OA.exact, lit(span.exact), g)
            yield Quad(quote_sel, OA.prefix, lit(span.prefix), g)
            yield Quad(quote_sel, OA.suffix, lit(span.suffix), g)
            yield Quad(pos_sel, RDF.type, OA.TextPositionSelector, g)
            yield Quad(pos_sel, OA.start, lit(span.start, datatype=XSD.nonNegativeInteger), g)
            yield Quad(pos_sel, OA.end, lit(span.end, datatype=XSD.nonNegativeInteger), g)
            for idx in span.sentences:
                yield Quad(iri, KG.inSentence, sentence_iri(doc.id, idx), g)
                sentences.add(idx)
        for idx in sorted(sentences):
            sent = source.sentences[idx]
            s_iri = sentence_iri(doc.id, idx)
            yield Quad(s_iri, RDF.type, KG.Sentence, g)
            yield Quad(s_iri, KG.inDocument, node, g)
            yield Quad(s_iri, KG.sentenceIndex, lit(idx), g)
            yield Quad(s_iri, KG.text, lit(sent.text), g)
            yield Quad(s_iri, KG.startOffset,
                       lit(sent.start, datatype=XSD.nonNegativeInteger), g)
            yield Quad(s_iri, KG.endOffset, lit(sent.end, datatype=XSD.nonNegativeInteger), g)


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
