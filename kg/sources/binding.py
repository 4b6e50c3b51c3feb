"""Every number of a record is printed in one of that record's own quotes.

A located quote proves the words exist; this check proves the record's numbers are the ones
those words state. A number the source does not print (a percentage computed from a count, a
denominator taken from the population's size) must be declared under ``derived:``, and the
graph then says how it was derived.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kg import model as m
from kg.numbers import Printed, iter_numbers

# A count or size is never read off a percentage ("25 (50%)" does not state a denominator of 50);
# a fraction (confidence level, p-value) may be printed as a percentage ("95% CI").
COUNTS = {"count", "denominator", "size", "dosing.daily_frequency", "measured_at",
          "allocation_ratio"}
FRACTIONS = {"ci_level", "p_value"}


def iter_numbers_of(rec: m.Record) -> Iterator[tuple[str, Decimal | int]]:
    """(field, value) of every number a record carries."""
    fields: tuple[str, ...] = ()
    if isinstance(rec, m.Result):
        fields = ("value", "count", "denominator", "ci_low", "ci_high", "ci_level")
    elif isinstance(rec, m.Comparison):
        fields = ("estimate", "ci_low", "ci_high", "ci_level", "p_value")
    elif isinstance(rec, m.Population):
        fields = ("size",)
    elif isinstance(rec, m.Endpoint):
        fields = ("timepoint",)
    elif isinstance(rec, (m.SafetyResult, m.HarmComparison)):
        fields = rec.number_fields()
    for name in fields:
        value = getattr(rec, name)
        if value is not None:
            yield name, value
    if isinstance(rec, m.Study) and rec.design.allocation_ratio:
        for part in rec.design.allocation_ratio.split(":"):
            yield "allocation_ratio", Decimal(part)
    if isinstance(rec, m.Arm):
        for d in rec.dosing:
            for name in ("dose", "duration", "daily_frequency"):
                value = getattr(d, name)
                if value is not None:
                    yield f"dosing.{name}", value
    if isinstance(rec, m.Finding):
        for t in rec.measured_at:
            if t.value is not None:
                yield "measured_at", t.value
            if t.cycle is not None:
                yield "measured_at", t.cycle


def printed_as(name: str, value: Decimal, printed: list) -> bool:
    """Whether a field's value is among the printed numbers (never a count read off a percent)."""
    for p in printed:
        if p.percent and name in COUNTS:
            continue
        if p.value == value or (p.percent and name in FRACTIONS and p.value / 100 == value):
            return True
    return False


def check_numbers_quoted(files: list[m.EvidenceFile], problems: list[str]) -> None:
    """Report every number that none of its record's quotes prints and that is not derived.

    A quote often backs several records (a result and its comparison): it is read once.
    """
    read: dict[str, list[Printed]] = {}
    for f in files:
        for _, rec in f.iter_records():
            derived = dict(getattr(rec, "derived", ()))
            printed = []
            for q in rec.quotes:
                numbers = read.get(q)
                if numbers is None:
                    numbers = read[q] = list(iter_numbers(q, zero_words=True))
                printed += numbers
            for name, value in iter_numbers_of(rec):
                if name in derived or printed_as(name, Decimal(value), printed):
                    continue
                problems.append(f"{rec.loc.at(name)}: {name}: {value} is not printed in the "
                                "record's quote(s); quote the words that state it, or declare "
                                "it under 'derived:'")
