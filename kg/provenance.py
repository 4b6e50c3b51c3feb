"""Locate curated quotes in PDF-extracted source text and split that text into sentences.

A curator types a quote as it reads; the source text has line breaks, end-of-line hyphens, page
headers and typographic dashes. Matching is done on a *skeleton* of both: whitespace and dashes
dropped, quote marks folded, case folded, page-header lines skipped. Every skeleton character
remembers its offset in the original text, so a match maps back to exact character offsets and
``text[start:end]`` is the verbatim span. A quote must occur exactly once; an ambiguous or missing
quote is an error, never a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import compress

DASHES = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
QUOTE_FOLD = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
              "\u201e": '"', "`": "'"}
ABBREVIATIONS = ("et al.", "e.g.", "i.e.", "vs.", "Dr.", "Fig.", "approx.", "No.", "ca.")
CONTEXT = 32  # characters of oa:prefix / oa:suffix


class QuoteNotFound(LookupError):
    """The quote does not occur in the source text (after normalisation)."""


class QuoteAmbiguous(LookupError):
    """The quote occurs more than once; the curator must quote more context."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its index in the document and its offsets in the original text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Span:
    """A located quote: offsets into the original text and the sentences it touches."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    sentences: tuple[int, ...]


def _fold(ch: str) -> str:
    """Fold one character for matching; returns '' for characters the skeleton drops."""
    if ch.isspace() or ch in DASHES:
        return ""
    ch = QUOTE_FOLD.get(ch, ch)
    low = ch.lower()
    return low if len(low) == 1 else ch


class _FoldTable(dict):
    """``str.translate`` table of ``_fold``, filled in as characters are met (C-speed lookups)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def skeleton(text: str) -> str:
    """The matching form of a quote (no offsets needed)."""
    return text.translate(_FOLD_TABLE)


class SourceText:
    """A source text with its skeleton index and sentences, built once per document."""

    def __init__(self, text: str, page_headers: tuple[str, ...] = ()) -> None:
        """Index ``text``; lines fully matching a ``page_headers`` regex are skipped."""
        self.text = text
        self.header_spans = _header_spans(text, page_headers)
        parts: list[str] = []
        index: list[int] = []
        pos = 0
        for hs, he in [*self.header_spans, (len(text), len(text))]:
            if hs > pos:  # the text between two header lines, folded at C speed
                part = text[pos:hs]
                parts.append(part.translate(_FOLD_TABLE))
                kept = map(_FOLD_TABLE.__getitem__, map(ord, part))
                index += compress(range(pos, hs), kept)
            pos = max(pos, he)
        self._skeleton = "".join(parts)
        self._index = index
        self._located: dict[str, Span] = {}  # the loader locates each quote, builders again

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """Sentences of the text (headings and table cells come out as short sentences)."""
        return tuple(split_sentences(self.text, self.header_spans))

    @cached_property
    def _bounds(self) -> tuple[list[int], list[int]]:
        """Start and end offsets of the sentences, each list ascending (sentences never nest)."""
        return [s.start for s in self.sentences], [s.end for s in self.sentences]

    def locate(self, quote: str) -> Span:
        """Find ``quote`` exactly once and return its span; raise QuoteNotFound/QuoteAmbiguous."""
        found = self._located.get(quote)
        if found is None:
            found = self._located[quote] = self._locate(quote)
        return found

    def _locate(self, quote: str) -> Span:
        needle = skeleton(quote)
        if not needle:
            raise QuoteNotFound("the quote is empty")
        first = self._skeleton.find(needle)
        if first < 0:
            raise QuoteNotFound(_near_miss(self._skeleton, needle))
        second = self._skeleton.find(needle, first + 1)
        if second >= 0:
            raise QuoteAmbiguous(
                f"the quote occurs more than once (at characters {self._index[first]} and "
                f"{self._index[second]}); quote more of the sentence")
        start = self._index[first]
        end = self._index[first + len(needle) - 1] + 1
        return self.span_at(start, end)

    def span_at(self, start: int, end: int) -> Span:
        """The span between two known offsets (a table cell), with context and sentences."""
        return Span(
            start=start,
            end=end,
            exact=self.text[start:end],
            prefix=self.text[max(0, start - CONTEXT):start],
            suffix=self.text[end:end + CONTEXT],
            sentences=self._sentences_in(start, end),
        )

    def _sentences_in(self, start: int, end: int) -> tuple[int, ...]:
        """Indexes of the sentences overlapping ``[start, end)``, found by bisection."""
        starts, ends = self._bounds
        return tuple(range(bisect_right(ends, start), bisect_left(starts, end)))

    def matches(self, quote: str, start: int, end: int) -> bool:
        """True when ``text[start:end]`` is ``quote`` up to the tolerated differences."""
        return skeleton(self.clean(start, end)) == skeleton(quote)

    def clean(self, start: int, end: int) -> str:
        """The text between two offsets without page-header lines."""
        parts, pos = [], start
        for hs, he in self.header_spans:
            if he <= start or hs >= end:
                continue
            parts.append(self.text[pos:max(pos, hs)])
            pos = max(pos, he)
        parts.append(self.text[pos:end])
        return "".join(parts)


def _near_miss(hay: str, needle: str) -> str:
    """Explain a failed match by the longest prefix of the quote that does occur."""
    lo, hi = 0, len(needle)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if needle[:mid] in hay:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return "no part of the quote occurs in the source text"
    return (f"the first {lo} of {len(needle)} letters match, then the source differs "
            f"(matching ignores whitespace, dashes, case and line breaks)")


def _header_spans(text: str, patterns: tuple[str, ...]) -> list[tuple[int, int]]:
    """Offsets of whole lines that match one of the page-header regexes."""
    if not patterns:
        return []
    compiled = [re.compile(p) for p in patterns]
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and any(rx.fullmatch(body.strip()) for rx in compiled):
            spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


_END = re.compile(r"[.!?](?:[\"'\u2019\u201d)\]]*)(?=\s)")


def split_sentences(text: str, header_spans: list[tuple[int, int]] | None = None
                    ) -> list[Sentence]:
    """Split PDF-extracted text into sentences with original offsets.

    Boundaries: a full stop, question or exclamation mark followed by white space and an upper
    case letter, digit or bracket (not after a known abbreviation or an initial); a line that
    looks like a heading (short, no closing punctuation, between line breaks); and a blank line
    after a sentence end. Page-header lines never end a sentence, so a sentence broken by a page
    header stays one sentence.
    """
    masked = list(text)
    for hs, he in header_spans or []:
        for i in range(hs, he):
            masked[i] = " "
    m = "".join(masked)
    cuts: set[int] = set()
    for match in _END.finditer(m):
        end = match.end()
        nxt = re.match(r"\s+(\S)", m[end:])
        if not nxt:
            continue
        following = nxt.group(1)
        if not (following.isupper() or following.isdigit() or following in "([\"'\u2018\u201c"):
            continue
        before = m[max(0, match.start() - 10):match.end()]
        if any(before.endswith(a) for a in ABBREVIATIONS):
            continue
        if re.search(r"(?:^|\s)[A-Z]\.$", before) and following.isupper():
            continue  # an initial, as in "A. Santoro"
        cuts.add(end)
    # headings and isolated lines: cut before and after short lines with no closing punctuation
    pos = 0
    lines = m.splitlines(keepends=True)
    for i, line in enumerate(lines):
        body = line.strip()
        prev = lines[i - 1].strip() if i else ""
        if body and len(body) < 70 and not body.endswith((".", ",", ";", ":", "-")) and (
                not prev or prev.endswith((".", ":", "?", "!")) or len(prev) < 70):
            lead = len(line) - len(line.lstrip())
            cuts.add(pos + lead)
            cuts.add(pos + len(line.rstrip()))
        if not body and prev.endswith((".", "?", "!")):
            cuts.add(pos)
        pos += len(line)
    cuts.add(len(text))
    sentences: list[Sentence] = []
    start = 0
    for cut in sorted(cuts):
        seg = m[start:cut]
        lead = len(seg) - len(seg.lstrip())
        body = seg.strip()
        if body:
            s = start + lead
            e = s + len(body)
            sentences.append(Sentence(len(sentences), s, e, text[s:e]))
        start = cut
    return sentences
