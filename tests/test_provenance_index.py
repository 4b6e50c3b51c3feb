"""SourceText's fast index and sentence lookup agree with the plain definitions they replace."""

from __future__ import annotations

import random

import pytest

from kg.paths import SOURCES_DIR
from kg.provenance import SourceText, _fold

TEXT = ("Title of a made-up trial\n\nPage 3 of 9\nWe randomly assigned 120 patients \u2013 "
        "all\nwith \u201cadvanced\u201d disease. Median PFS was 5.5 months.\nPage 4 of 9\n"
        "Overall survival did not differ (HR 0.91).\n")


def _plain_index(text: str, headers: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """Character by character: what the skeleton and its offsets are defined as."""
    chars, index = [], []
    for i, ch in enumerate(text):
        if any(hs <= i < he for hs, he in headers):
            continue
        if folded := _fold(ch):
            chars.append(folded)
            index.append(i)
    return "".join(chars), index


def _texts() -> list[tuple[str, tuple[str, ...]]]:
    shipped = [p.read_text(encoding="utf-8") for p in sorted((SOURCES_DIR / "texts").glob("*.txt"))]
    return [(TEXT, ()), (TEXT, (r"Page \d+ of \d+",)), *((t, ()) for t in shipped),
            *((t, (r".{0,30}",)) for t in shipped)]  # every short line a header: many gaps


@pytest.mark.parametrize(("text", "headers"), _texts())
def test_index_and_sentences(text: str, headers: tuple[str, ...]) -> None:
    """The skeleton, its offsets and each span's sentences are the plain definitions'."""
    st = SourceText(text, headers)
    assert (st._skeleton, st._index) == _plain_index(text, st.header_spans)
    rnd = random.Random(7)  # noqa: S311 - sample offsets, no secret
    for _ in range(300):
        a = rnd.randrange(len(text))
        b = min(len(text), a + rnd.randrange(1, 400))
        want = tuple(s.index for s in st.sentences if s.start < b and a < s.end)
        assert st.span_at(a, b).sentences == want


def test_headers_are_skipped_and_located_once() -> None:
    """A quote across a page header is found; asked again, the same span comes back."""
    st = SourceText(TEXT, (r"Page \d+ of \d+",))
    span = st.locate("5.5 months. Overall survival")
    assert TEXT[span.start:span.end].startswith("5.5 months.") and "Page 4" in span.exact
    assert st.locate("5.5 months. Overall survival") is span
