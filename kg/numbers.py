"""Read the numbers a text prints, in every form sources print them.

One reader serves every check that compares curated numbers with text: a record's numbers
against its own quotes at build time, and (``kg audit``) every number of a source against the
graph. Forms: ``0.60``, ``.60``, ``0·60`` (middle dot), ``−0.5`` (Unicode minus), ``1,234``
(thousands separators), ``60%``, ranges (``0.55 to 0.87``, ``0.45–0.76``: two numbers, the dash is
not a minus), ratios (``2:1``), number words (``nine``, ``Seventy-two``), multiplicatives
(``twice`` daily) and, where asked, zero words (``no`` partial responses).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES = {w: i for i, w in enumerate(UNITS)} | {w: 20 + 10 * i for i, w in enumerate(TENS)}
MULTIPLICATIVES = {"once": 1, "twice": 2, "thrice": 3}
ZERO_WORDS = {"no", "none", "nil"}

# A minus sign only where it cannot be a range dash: Unicode minus, or a hyphen after a space,
# an opening bracket or "=" (never right after a digit, as in "0.9-1.7").
# thousands grouped by a space ("13 388 women", "266 064"): read as one number only where
# the groups are whole ("1 234 567"), never a list of small numbers ("2, 3 and 4")
_DIGITS = (r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d{1,3}(?:[ \u2009\u202f]\d{3})+(?![\d.,·])|\d+)"
           r"(?:[.·]\d+)?|[.·]\d+")
NUMBER_RE = re.compile(
    rf"(?<![\w.·])(?:(?P<sign>−|(?<=[\s(\[=])-))?(?P<num>{_DIGITS})(?![\w])"
    r"(?P<pct>\s?%|\sper\s?cent\b)?")
SCALES = {"hundred": 100, "thousand": 1000}
_WORD = "|".join([*TENS, *UNITS, *SCALES, *MULTIPLICATIVES, *ZERO_WORDS])
# a run of number words: "Seventy-two", "three hundred and twelve"; "and" only after a scale
WORD_RUN_RE = re.compile(
    rf"\b(?:{_WORD})(?:(?:[\s-]+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+)(?:{_WORD}))*\b"
    r"(?P<pct>\s?(?:%|per\s?cent))?", re.IGNORECASE)
# "no" states a number only where it counts something: "no partial responses", "no patients"
ZERO_COUNT_RE = re.compile(
    r"\b(?:no|none of the)\s+(?:(?:complete|partial|objective|major|grade\s+\d)\s+(?:or\s+"
    r"(?:complete|partial)\s+)?)?(?:responses?|responders?|PRs?|CRs?|patients?|events?|deaths?)"
    r"\b", re.IGNORECASE)
TOKEN_RE = re.compile(rf"\b(?:{_WORD})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Printed:
    """One number as a text prints it: its value, where it stands and how it was written."""

    value: Decimal
    start: int
    end: int
    text: str
    percent: bool = False
    form: str = "digits"  # digits, word, multiplicative, zero-word


def _digits_value(sign: str | None, num: str) -> Decimal:
    text = re.sub(r"[, \u2009\u202f]", "", num).replace("·", ".")
    if text.startswith("."):
        text = "0" + text
    value = Decimal(text)
    return -value if sign else value


def _word_numbers(mt: re.Match[str], zero_words: bool) -> Iterator[Printed]:
    """The numbers of one run of number words, split where the words stop forming one number.

    "three hundred and twelve" is 312; "one two" is 1 and 2; "twice" is 2; "no" is 0 (only
    where zero words are asked for).
    """
    pct = bool(mt.group("pct"))
    words_end = mt.end() - len(mt.group("pct") or "")  # a "%" belongs to the last number only
    total = current = 0
    start = end = None
    last = ""  # kind of the previous word: unit, teen, tens, scale

    def flush() -> Iterator[Printed]:
        if start is not None:
            yield Printed(Decimal(total + current), start, end, text[start:end],
                          pct and end == words_end, "word")

    text = mt.string
    for tok in TOKEN_RE.finditer(mt.group()):
        word = tok.group().lower()
        pos, stop = mt.start() + tok.start(), mt.start() + tok.end()
        if word in MULTIPLICATIVES or word in ZERO_WORDS:
            yield from flush()
            total = current = 0
            start, last = None, ""
            if word in MULTIPLICATIVES:
                yield Printed(Decimal(MULTIPLICATIVES[word]), pos, stop, tok.group(), pct,
                              "multiplicative")
            elif zero_words:
                yield Printed(Decimal(0), pos, stop, tok.group(), pct, "zero-word")
            continue
        kind = ("scale" if word in SCALES else "tens" if word in TENS else
                "unit" if WORD_VALUES[word] < 10 else "teen")
        joins = (start is not None and
                 ((kind == "unit" and last in {"tens", "scale"}) or
                  (kind in {"teen", "tens"} and last == "scale") or
                  (kind == "scale" and last in {"unit", "teen", "tens"})))
        if not joins:
            yield from flush()
            total = current = 0
            start = pos
        if kind == "scale":
            if SCALES[word] == 1000:
                total, current = (total + current) * 1000, 0
            else:
                current *= 100
        else:
            current += WORD_VALUES[word]
        end, last = stop, kind
    yield from flush()


def iter_numbers(text: str, words: bool = True, zero_words: bool = False,
                 zero_counts: bool = False) -> Iterator[Printed]:
    """Every number printed in ``text``, in order of position.

    ``zero_words`` reads every "no"/"none" as 0 (to test whether a quote can state a 0);
    ``zero_counts`` only those that count something ("no partial responses"), for scanning a
    whole text.
    """
    found = [Printed(_digits_value(mt.group("sign"), mt.group("num")), mt.start(), mt.end(),
                     mt.group(), bool(mt.group("pct"))) for mt in NUMBER_RE.finditer(text)]
    if words:
        for mt in WORD_RUN_RE.finditer(text):
            found.extend(_word_numbers(mt, zero_words))
        if zero_counts and not zero_words:
            found.extend(Printed(Decimal(0), mt.start(), mt.start() + len(mt.group().split()[0]),
                                 mt.group().split()[0], False, "zero-word")
                         for mt in ZERO_COUNT_RE.finditer(text))
    return iter(sorted(found, key=lambda p: p.start))
