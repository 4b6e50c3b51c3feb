"""What the draft benchmark records for each document, apart from how it runs and reports.

``benchmarks/draft.py`` runs the drafter and fills these; ``benchmarks/draft_report.py`` turns
them into tables. Both import them from here, so neither imports the other's module back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.scoring import Score


@dataclass(frozen=True, slots=True)
class Case:
    """One document to draft: its text, the gold sources folder, and any first report."""

    doc: str
    paper: Path
    gold_dir: Path
    first_report: str | None = None


@dataclass(frozen=True, slots=True)
class DraftRun:
    """What the drafter produced: the draft's path, or why there is none, and how long it took."""

    path: Path | None
    seconds: float
    error: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteCounts:
    """The draft's quotes: how many the loader would locate exactly once."""

    total: int = 0
    located: int = 0
    not_found: int = 0
    ambiguous: int = 0


@dataclass(slots=True)
class DocResult:
    """Everything measured for one document."""

    case: Case
    run: DraftRun
    loaded: bool
    score: Score
    problems: list[str] = field(default_factory=list)
    quotes: QuoteCounts = QuoteCounts()
    numbers_quoted: int = 0  # numbers of drafted records that must be printed in their quotes
    numbers_unprinted: int = 0

    @property
    def failed(self) -> bool:
        """No usable draft: the drafter failed or its file does not load."""
        return self.run.error is not None or not self.loaded
