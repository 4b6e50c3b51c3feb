"""Parse a table out of PDF-extracted text, keeping every cell's character offsets.

The layout this handles is the common one of text extracted from a PDF table: a caption line,
header lines, then for each row a block with the first cell (often wrapped over lines) followed,
after a blank line, by a block whose first line holds the remaining cells and whose further lines
continue the last cell. The evidence file gives the caption, the end marker and a regular
expression with one named group per column; nothing here knows about any particular table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg import model as m

if TYPE_CHECKING:
    from kg.provenance import SourceText


class TableError(ValueError):
    """The table could not be found or parsed as specified."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: column key, text with line breaks folded, offsets in the original text."""

    column: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Row:
    """One parsed row, in table order."""

    index: int
    cells: tuple[Cell, ...]

    def cell(self, column: str) -> Cell | None:
        """The cell of a column, if the row has one."""
        return next((c for c in self.cells if c.column == column), None)


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of blank-line-separated blocks between start and end, trimmed of white space."""
    out = []
    pos = start
    for part in re.split(r"(\n[ \t]*\n)", text[start:end]):
        if part and not re.fullmatch(r"\n[ \t]*\n", part):
            lead = len(part) - len(part.lstrip())
            body = part.strip()
            if body:
                out.append((pos + lead, pos + lead + len(body)))
        pos += len(part)
    return out


def _fold(text: str) -> str:
    return " ".join(text.split())


def parse_table(text: str, spec: m.TableSpec) -> list[Row]:
    """Find the table of ``spec`` in ``text`` and return its rows with cell offsets."""
    begin = text.find(spec.caption)
    if begin < 0:
        raise TableError(f"caption {spec.caption!r} not found")
    finish = text.find(spec.end, begin)
    if finish < 0:
        raise TableError(f"end marker {spec.end!r} not found after the caption")
    pattern = re.compile(spec.row_pattern)
    blocks = _blocks(text, begin + len(spec.caption), finish)
    rows: list[Row] = []
    previous: tuple[int, int] | None = None
    for b0, b1 in blocks:
        first_line_end = text.find("\n", b0, b1)
        first_line_end = b1 if first_line_end < 0 else first_line_end
        match = pattern.match(text, b0, first_line_end)
        if not match:
            previous = (b0, b1)
            continue
        if previous is None:
            raise TableError(f"row at character {b0} has no first-column block before it")
        cells = [Cell(spec.label_column, _fold(text[previous[0]:previous[1]]), *previous)]
        groups = [g for g in pattern.groupindex if match.group(g) is not None]
        for g in groups:
            s, e = match.span(g)
            if g == groups[-1] and g == spec.continued_column:
                e = b1  # the last column continues over the following lines of the block
            if e > s:
                cells.append(Cell(g, _fold(text[s:e]), s, e))
        rows.append(Row(len(rows), tuple(cells)))
        previous = None
    if not rows:
        raise TableError("no row matched the row pattern")
    return rows


def match_row(rows: list[Row], label: str, label_column: str) -> Row | None:
    """The row whose first cell reads ``label`` (white space ignored)."""
    want = "".join(label.split())
    for row in rows:
        cell = row.cell(label_column)
        if cell is not None and "".join(cell.text.split()) == want:
            return row
    return None


def check_tables(files: list[m.EvidenceFile], texts: dict[str, SourceText],
                 problems: list[str]) -> None:
    """Parse every table and check that its rows and the row-to-study links match one to one."""
    for f in files:
        source = texts.get(f.document.id)
        if source is None:
            continue
        for spec in f.tables:
            if not spec.columns or not _compiles(spec.row_pattern):
                continue  # reported while loading; a table is read with its columns and pattern
            try:
                rows = parse_table(source.text, spec)
            except TableError as exc:
                problems.append(f"{spec.loc}: tables.{spec.id}: {exc}")
                continue
            linked = set()
            for link in spec.rows:
                row = match_row(rows, link.trial, spec.label_column)
                if row is None:
                    problems.append(f"{link.loc.at('trial')}: trial: no row of {spec.id} reads "
                                    f"{link.trial!r}")
                else:
                    linked.add(row.index)
            for row in rows:
                if row.index not in linked:
                    first = row.cells[0].text
                    problems.append(f"{spec.loc}: tables.{spec.id}.rows: row {first!r} is not "
                                    "linked to a study")


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True

