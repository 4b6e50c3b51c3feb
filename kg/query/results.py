"""What a query answers, whatever ran it: terms, rows read lazily, a materialised result.

Apart from the engines (`kg.query.engine`) so that what reads an answer (the writers, the answer
tables) need not import what runs a query.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("decimal", "integer", "int", "long", "double", "float",
                             "nonNegativeInteger", "positiveInteger")}


@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term in a result, independent of the engine."""

    kind: str  # uri, literal, bnode
    value: str
    datatype: str | None = None
    lang: str | None = None

    def key(self) -> tuple[str, str, str, str]:
        """Comparison key: numeric literals compare by value, so 35 and 35.0 agree."""
        value = self.value
        if self.kind == "literal" and self.datatype in NUMERIC:
            with contextlib.suppress(InvalidOperation):
                value = str(Decimal(self.value).normalize())
            return ("literal", value, "numeric", "")
        if self.kind == "bnode":
            return ("bnode", "", "", "")
        return (self.kind, value, self.datatype or "", self.lang or "")

    def __str__(self) -> str:
        """Plain display form."""
        return self.value


@dataclass
class Result:
    """A query result: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples (N-Triples)."""

    kind: str  # select, ask, graph
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: str = ""
    truncated: bool = False  # more rows follow this page (or the result-size cut)
    warnings: list[str] = field(default_factory=list)  # unknown terms (see kg/query/terms.py)
    offset: int = 0  # rows of the whole answer before this page

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None when this page ends the answer."""
        return self.offset + len(self.rows) if self.truncated else None

    def comparable(self) -> object:
        """A form in which results of the two engines can be compared (order kept)."""
        if self.kind == "ask":
            return self.boolean
        if self.kind == "graph":
            return sorted(line for line in self.ntriples.splitlines() if line.strip())
        return [tuple(row[v].key() if v in row else None for v in self.variables)
                for row in self.rows]


Row = tuple["Term | None", ...]



def converted(values: Iterable[object], cache: dict[object, Term],
              convert: Callable[[object], Term]) -> tuple[Term | None, ...]:
    """A solution's terms in variable order (None: unbound), each distinct term converted once.

    Labels and IRIs repeat across rows; ``cache`` keeps their converted forms.
    """
    row: list[Term | None] = []
    for t in values:
        if t is None:
            row.append(None)
            continue
        term = cache.get(t)
        if term is None:
            term = cache[t] = convert(t)
        row.append(term)
    return tuple(row)


class Rows:
    """A SELECT answer read lazily, row by row, as the engine hands rows over.

    Iterate once; ``truncated`` is known when the iteration ends (a row past the page was
    seen). Writers stream from it (`kg.query.formats.stream_select`); `Result` is its
    materialised form.
    """

    def __init__(self, variables: list[str], solutions: Iterator[Iterable[object]],
                 convert: Callable[[object], Term], limit: int | None, skip: int = 0,
                 offset: int = 0) -> None:
        """Convert ``solutions`` (value lists) after skipping ``skip`` of them, up to ``limit``."""
        self.variables = variables
        self.offset = offset
        self.truncated = False
        self.read = 0  # rows handed out so far
        self.warnings: list[str] = []
        self._solutions = solutions
        self._convert = convert
        self._limit = limit
        self._skip = skip

    def __iter__(self) -> Iterator[Row]:
        """Rows as tuples in variable order (None: unbound); each term converted once."""
        # (a row's terms: ``converted``)
        cache: dict[object, Term] = {}  # labels and IRIs repeat across rows: convert once
        convert = self._convert
        solutions = iter(self._solutions)
        for _ in itertools.islice(solutions, self._skip):
            pass
        left = self._limit
        for values in solutions:
            if left is not None:
                if left <= 0:
                    self.truncated = True
                    return
                left -= 1
            self.read += 1
            yield converted(values, cache, convert)

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts (once read), or None when this page ends the answer."""
        return self.offset + self.read if self.truncated else None

    def result(self) -> Result:
        """Every row of the page, materialised."""
        variables = self.variables
        rows = [{v: t for v, t in zip(variables, row, strict=True) if t is not None}
                for row in self]
        return Result("select", variables, rows, truncated=self.truncated,
                      warnings=self.warnings, offset=self.offset)


def companions(path: Path) -> list[Path]:
    """The ontology written beside a graph file, loaded too so vocabulary labels resolve."""
    onto = path.with_name("ontology.ttl")
    return [onto] if onto.exists() and onto != path else []
