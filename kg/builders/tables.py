"""Tables parsed from the source text: rows linked to studies, cells as evidence, cross-checks.

Each cell is a node with its verbatim text and evidence span. What a cell states about its study
is checked against what the prose states: phase, sample size, primary endpoint, biomarker
prevalence. Where the prose is silent, the cell's value becomes data of the study; where both
speak and agree, a ``kg:CrossCheck`` records the agreement; where they disagree, both stay and a
``kg:Contradiction`` detected by the cross-check links them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from kg import model as m
from kg.builders import iris
from kg.builders.base import PROVENANCE, BuildInput, Quad, builder, dec, lit, span_iri
from kg.builders.studies import short_name
from kg.builders.terms import ASSOCIATION, ENDPOINT_TYPE, PHASE, POPULATION_KIND
from kg.ids import mint
from kg.sources.tables import Cell, Row, match_row, parse_table
from kg.vocab import KG

ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
ENDPOINT_ABBREVIATIONS = {"DCR": "dcr", "ORR": "orr", "OS": "os", "PFS": "pfs", "RR": "rr"}
ANSWERS = {"higher": "better", "yes": "better", "equal": "none", "no": "none", "lower": "worse"}


@dataclass(frozen=True)
class LinkedRow:
    """A parsed row with its study, table and IRIs."""

    doc: str
    spec: m.TableSpec
    row: Row
    study: m.Study
    population: str | None = None  # "study/population" the curator says the row describes

    @property
    def node(self) -> URIRef:
        """IRI of the row."""
        return mint("document", self.doc, "table", self.spec.id, "row", str(self.row.index))

    def cell_node(self, cell: Cell) -> URIRef:
        """IRI of a cell."""
        return mint("document", self.doc, "table", self.spec.id, "row", str(self.row.index),
                    "cell", cell.column.replace("_", "-"))


def iter_linked_rows(inp: BuildInput) -> Iterator[LinkedRow]:
    """Every table row that a curator linked to a study (validated at load time)."""
    for f in inp.corpus.files:
        studies = inp.corpus.studies
        for spec in f.tables:
            rows = parse_table(inp.texts[f.document.id].text, spec)
            for link in spec.rows:
                row = match_row(rows, link.trial, spec.label_column)
                if row is not None:
                    pop = link.population
                    if pop is not None and "/" not in pop:
                        pop = f"{link.study}/{pop}"
                    yield LinkedRow(f.document.id, spec, row, studies[link.study], pop)


def table_phases(inp: BuildInput) -> dict[str, set[str]]:
    """Phases that tables state for studies whose prose states none (used for grading)."""
    out: dict[str, set[str]] = {}
    for lr in iter_linked_rows(inp):
        for col in lr.spec.columns:
            cell = lr.row.cell(col.key)
            if col.role == "phase" and cell and cell.text in ROMAN and not lr.study.design.phases:
                out.setdefault(lr.study.id, set()).add(ROMAN[cell.text])
    return out


def _percent(text: str) -> Decimal | None:
    try:
        return Decimal(text.rstrip("%").strip())
    except ArithmeticError:
        return None


class _Checker:
    """Emit the cross-check of one cell against one prose statement."""

    def __init__(self, lr: LinkedRow, g: str) -> None:
        self.lr, self.g = lr, g

    def check(self, cell: Cell, column: m.TableColumn, statement: URIRef, agrees: bool,
              attribute: str, stated: str) -> Iterator[Quad]:
        node = mint("document", self.lr.doc, "table", self.lr.spec.id, "row",
                    str(self.lr.row.index), "check", column.key.replace("_", "-"))
        cell_node = self.lr.cell_node(cell)
        yield Quad(node, RDF.type, KG.CrossCheck, self.g)
        verdict = "agrees with" if agrees else "disagrees with"
        yield Quad(node, RDFS.label, lit(
            f"{self.lr.spec.id} {column.header} '{cell.text}' {verdict} the prose ({stated})"),
            self.g)
        yield Quad(node, KG.checkedCell, cell_node, self.g)
        yield Quad(node, KG.checkedStatement, statement, self.g)
        yield Quad(node, KG.agrees, lit(agrees), self.g)
        if not agrees:
            c = mint("contradiction", f"{self.lr.spec.id}-{self.lr.study.id}-{column.key}"
                     .replace("_", "-"))
            note = (f"{self.lr.spec.id} gives {column.header} = {cell.text} for "
                    f"{short_name(self.lr.study)}; the prose states {stated}")
            yield Quad(c, RDF.type, KG.Contradiction, self.g)
            yield Quad(c, RDFS.label, lit(note), self.g)
            yield Quad(c, KG.conflictNote, lit(note), self.g)
            yield Quad(c, KG.conflictReason, KG.AttributeValueDiffers, self.g)
            yield Quad(c, KG.conflictAttribute, lit(attribute), self.g)
            yield Quad(c, KG.detectedBy, lit("table cross-check"), self.g)
            yield Quad(c, KG.conflictingStatement, cell_node, self.g)
            yield Quad(c, KG.conflictingStatement, statement, self.g)


def _evidence(inp: BuildInput, lr: LinkedRow, cell: Cell, node: URIRef) -> Iterator[Quad]:
    """A cell's statement rests on the cell's span; the curated table spec makes it a curator's."""
    yield Quad(node, KG.agentType, KG.ManualAgent, PROVENANCE)
    span = span_iri(lr.doc, inp.texts[lr.doc].span_at(cell.start, cell.end))
    yield Quad(node, KG.hasEvidence, span, PROVENANCE)
    yield Quad(span, KG.supports, node, PROVENANCE)


def _from_table(inp: BuildInput, lr: LinkedRow, kind: str, key: str, cell: Cell, label: str
                ) -> tuple[URIRef, list[Quad]]:
    """A study part asserted by a table cell, with its evidence."""
    node = iris.study_part(lr.study.id, kind, f"{lr.spec.id}-{key}".replace("_", "-"))
    caption = f"{short_name(lr.study)}: {label} ({lr.spec.id})"
    quads = [Quad(node, RDFS.label, lit(caption), lr.doc)]
    quads += list(_evidence(inp, lr, cell, node))
    return node, quads


def _iter_row(inp: BuildInput, lr: LinkedRow) -> Iterator[Quad]:
    g, s = lr.doc, lr.study
    study = iris.study(s.id)
    checker = _Checker(lr, g)
    abbreviations = dict(lr.spec.abbreviations)
    row_pop: URIRef | None = None  # the population the row's N describes
    if lr.population is not None:
        sid, pid = lr.population.split("/", 1)
        row_pop = iris.study_part(sid, "population", pid)
    for column in lr.spec.columns:
        cell = lr.row.cell(column.key)
        if cell is None:
            continue
        text = cell.text
        if column.role == "phase" and text in ROMAN:
            phase = ROMAN[text]
            if s.design.phases:
                yield from checker.check(cell, column, study, phase in s.design.phases,
                                         "kg:phase", "phase " + "/".join(s.design.phases))
            else:
                yield Quad(study, KG.phase, PHASE[phase], g)
                yield from _evidence(inp, lr, cell, study)
        elif column.role == "size" and text.isdigit():
            size = int(text)
            stated = [p for p in s.populations if p.kind in {"enrolled", "randomised"}
                      and p.size is not None and p.parent is None]
            if not stated or all(p.size != size for p in stated):
                node, quads = _from_table(inp, lr, "population", column.key, cell,
                                          f"N = {size}")
                yield from quads
                yield Quad(study, KG.hasPopulation, node, g)
                yield Quad(node, RDF.type, KG.Population, g)
                yield Quad(node, KG.populationKind, POPULATION_KIND["enrolled"], g)
                yield Quad(node, KG.size, lit(size), g)
                row_pop = row_pop or node
            for p in stated:
                if p.size == size:
                    row_pop = row_pop or iris.study_part(s.id, "population", p.id)
                yield from checker.check(cell, column, iris.study_part(s.id, "population", p.id),
                                         p.size == size, "kg:size", f"N = {p.size}")
                break
        elif column.role == "primary-endpoint" and text in ENDPOINT_ABBREVIATIONS:
            etype = ENDPOINT_ABBREVIATIONS[text]
            primary = [e for e in s.endpoints if e.primary]
            if primary:
                e = primary[0]
                yield from checker.check(cell, column, iris.study_part(s.id, "endpoint", e.id),
                                         e.type == etype, "kg:endpointType",
                                         f"primary endpoint {e.type.upper()}")
            else:
                node, quads = _from_table(inp, lr, "endpoint", column.key, cell,
                                          f"primary endpoint {text}")
                yield from quads
                yield Quad(study, KG.hasEndpoint, node, g)
                yield Quad(node, RDF.type, KG.Endpoint, g)
                yield Quad(node, KG.endpointType, ENDPOINT_TYPE[etype], g)
                yield Quad(node, KG.isPrimary, lit(True), g)
        elif column.role == "biomarker-prevalence" and (value := _percent(text)) is not None:
            endpoint, quads = _from_table(inp, lr, "endpoint", column.key, cell, column.header)
            yield from quads
            yield Quad(study, KG.hasEndpoint, endpoint, g)
            yield Quad(endpoint, RDF.type, KG.Endpoint, g)
            yield Quad(endpoint, KG.endpointType, KG.BiomarkerPrevalence, g)
            yield Quad(endpoint, KG.isPrimary, lit(False), g)
            result, quads = _from_table(inp, lr, "result", column.key, cell,
                                        f"{column.header}: {text}")
            yield from quads
            yield Quad(study, KG.hasResult, result, g)
            yield Quad(result, RDF.type, KG.OutcomeResult, g)
            yield Quad(result, KG.endpoint, endpoint, g)
            yield Quad(result, KG.statistic, lit("proportion"), g)
            yield Quad(result, KG.value, dec(value), g)
            yield Quad(result, KG.unit, KG.Percent, g)
            if lr.spec.biomarker is not None:
                yield Quad(endpoint, KG.marker, iris.biomarker(lr.spec.biomarker), g)
                yield Quad(result, KG.marker, iris.biomarker(lr.spec.biomarker), g)
            prose_pop = None
            for r in s.results:
                ep = next(e for e in s.endpoints if e.id == r.endpoint)
                if ep.type == "biomarker-prevalence" and r.count is not None and r.denominator:
                    if r.population is not None:
                        prose_pop = iris.study_part(s.id, "population", r.population)
                    prose = Decimal(100 * r.count) / Decimal(r.denominator)
                    yield from checker.check(cell, column, iris.study_part(s.id, "result", r.id),
                                             abs(prose - value) < 1, "kg:value",
                                             f"{r.count}/{r.denominator} = {prose:.1f}%")
                    break
            # the curator's word first, then the population the prose states it for, then N's
            pop = (row_pop if lr.population is not None else None) or prose_pop or row_pop
            if pop is not None:
                yield Quad(result, KG.population, pop, g)
        elif column.role in {"response", "survival"} and text.lower() in ANSWERS:
            if lr.spec.biomarker is None:
                continue
            finding, quads = _from_table(inp, lr, "finding", column.key, cell,
                                         f"{column.header} {text}")
            yield from quads
            yield Quad(study, KG.hasFinding, finding, g)
            yield Quad(finding, RDF.type, KG.BiomarkerFinding, g)
            yield Quad(finding, KG.marker, iris.biomarker(lr.spec.biomarker), g)
            yield Quad(finding, KG.associationDirection, ASSOCIATION[ANSWERS[text.lower()]], g)
            yield Quad(finding, KG.associatedEndpoint,
                       KG.ResponseRate if column.role == "response" else KG.OverallSurvival, g)
        if text in abbreviations:
            yield Quad(lr.cell_node(cell), KG.curationNote,
                       lit(f"{text}: {abbreviations[text]}"), g)


@builder("tables", "parsed tables: rows linked to studies, cells with evidence, cross-checks")
def iter_tables(inp: BuildInput) -> Iterator[Quad]:
    """Tables, rows and cells, and what each row states about its study."""
    seen: set[str] = set()
    for lr in iter_linked_rows(inp):
        g = lr.doc
        table = mint("document", lr.doc, "table", lr.spec.id)
        if lr.spec.id not in seen:
            seen.add(lr.spec.id)
            yield Quad(table, RDF.type, KG.Table, g)
            yield Quad(table, RDFS.label, lit(lr.spec.caption), g)
            yield Quad(table, KG.inDocument, iris.document(lr.doc), g)
        yield Quad(table, KG.hasRow, lr.node, g)
        yield Quad(lr.node, RDF.type, KG.TableRow, g)
        yield Quad(lr.node, RDFS.label, lit(f"{lr.spec.caption}: {lr.row.cells[0].text}"), g)
        yield Quad(lr.node, KG.inTable, table, g)
        yield Quad(lr.node, KG.describesStudy, iris.study(lr.study.id), g)
        headers = {c.key: c.header for c in lr.spec.columns}
        for cell in lr.row.cells:
            node = lr.cell_node(cell)
            yield Quad(lr.node, KG.hasCell, node, g)
            yield Quad(node, RDF.type, KG.TableCell, g)
            yield Quad(node, RDFS.label, lit(f"{headers[cell.column]}: {cell.text}"), g)
            yield Quad(node, KG.column, lit(headers[cell.column]), g)
            yield Quad(node, KG.cellText, lit(cell.text), g)
            yield from _evidence(inp, lr, cell, node)
        yield from _iter_row(inp, lr)


def iter_cell_spans(inp: BuildInput) -> Iterator[tuple[str, int, int, str]]:
    """(document, start, end, text) of every linked table cell, for the documents builder."""
    for lr in iter_linked_rows(inp):
        for cell in lr.row.cells:
            yield lr.doc, cell.start, cell.end, cell.text
