"""The number reader sees every form in which sources print numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.numbers import iter_numbers
from kg.sources.binding import printed_as


def values(text: str, **kw: bool) -> list[str]:
    return [str(p.value) for p in iter_numbers(text, **kw)]


@pytest.mark.parametrize(("text", "expected"), [
    ("HR 0.72 (95% CI 0.58-0.90)", ["0.72", "95", "0.58", "0.90"]),
    ("P = .056 and p<.001", ["0.056", "0.001"]),
    ("0·77 (0·61–0·96)", ["0.77", "0.61", "0.96"]),
    ("a change of −0.5 (= -1.2 to 0.3)", ["-0.5", "-1.2", "0.3"]),
    ("1,234 patients; VEGFRs 1,2,3", ["1234", "1", "2", "3"]),
    ("0.55 to 0.87 and 0.45–0.76 and 1.0- 1.9", ["0.55", "0.87", "0.45", "0.76", "1.0", "1.9"]),
    ("randomly assigned 2:1", ["2", "1"]),
    ("Seventy-two patients; nine of 23", ["72", "9", "23"]),
    ("Three hundred and twelve", ["312"]),
    ("400 mg twice daily", ["400", "2"]),
    ("KRAS G12D, VEGF-165, 3rd line", ["165"]),
    ("between one and two", ["1", "2"]),
])
def test_printed_forms(text: str, expected: list[str]):
    assert values(text) == expected


def test_percent_and_zero_words():
    found = list(iter_numbers("No partial responses; 59% had SD; ninety per cent",
                              zero_words=True))
    assert [(str(p.value), p.percent, p.form) for p in found] == [
        ("0", False, "zero-word"), ("59", True, "digits"), ("90", True, "word")]
    assert values("No partial responses") == []


def test_thousands_grouped_by_a_space_are_one_number():
    assert values("A total of 13 388 women; 1\u2009021 men") == ["13388", "1021"]
    assert values("at 3 and 6 months, 12 of 40") == ["3", "6", "12", "40"]


def test_percent_in_words_after_digits():
    found = list(iter_numbers("43 percent versus 27 per cent, 8 percentile, 5 %"))
    assert [(str(p.value), p.percent) for p in found] == [
        ("43", True), ("27", True), ("8", False), ("5", True)]


def printed(field: str, value: Decimal | int, text: str) -> bool:
    return printed_as(field, Decimal(value), list(iter_numbers(text, zero_words=True)))


def test_binding_compares_values_not_text():
    assert printed("estimate", Decimal("0.6"), "HR=0.60 95% CI")
    assert printed("ci_level", Decimal("0.95"), "95% CI")  # a fraction printed as a percentage
    assert printed("count", 0, "No partial responses (PRs) were observed")
    assert not printed("value", Decimal("7.6"), "median overall survival (OS) was 6.7 months.")
    assert not printed("denominator", 50, "25 (50%) had stable disease")  # a percent, not a count


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False))
def test_every_plain_decimal_is_read_back(value: Decimal):
    text = f"the value was {value} in total"
    assert Decimal(values(text)[0]) == value
