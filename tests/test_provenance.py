"""Quote location on PDF-extracted text: line breaks, hyphens, page headers, ambiguity."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.paths import SOURCES_DIR
from kg.provenance import QuoteAmbiguous, QuoteNotFound, SourceText, skeleton, split_sentences

REVIEW = (SOURCES_DIR / "texts" / "nsclc-sorafenib-review.txt").read_text()
HEADERS = ("Sorafenib in NSCLC- results of clinical trials", r"\d{1,4}")
REVIEW_INDEX = SourceText(REVIEW, HEADERS)


def test_quote_across_line_break_maps_to_exact_offsets():
    span = REVIEW_INDEX.locate("randomized 703 patients to receive sorafenib monotherapy")
    assert REVIEW[span.start:span.end] == span.exact
    assert "\n" in span.exact
    assert span.exact.startswith("randomized 703") and span.exact.endswith("monotherapy")


def test_quote_across_page_header():
    quote = "10.6 months in the placebo arm. Patients with squamous cell carcinoma (n=223)"
    span = REVIEW_INDEX.locate(quote)
    assert "results of clinical trials" in span.exact  # the header lies inside the span
    assert REVIEW_INDEX.matches(quote, span.start, span.end)
    assert "results of clinical trials" not in REVIEW_INDEX.clean(span.start, span.end)


def test_line_end_hyphen_is_tolerated_either_way():
    a = REVIEW_INDEX.locate("Platelet-derived growth factor subunit B (PDGF-B)")
    b = REVIEW_INDEX.locate("Platelet-derived growth factor subunit B (PDGFB)")
    assert (a.start, a.end) == (b.start, b.end)
    assert a.exact.endswith("(PDGF-\n B)")


def test_dash_and_quote_mark_variants():
    span = REVIEW_INDEX.locate("HR=0.67, 95% CI 0.40-1.11; p=0.117")  # source has an en dash
    assert "0.40–1.11" in span.exact
    span = REVIEW_INDEX.locate("two groups ('good' or 'poor')")  # source has curly quotes
    assert "‘good’" in span.exact


def test_missing_quote_names_how_far_it_matched():
    with pytest.raises(QuoteNotFound, match=r"first .* letters match"):
        REVIEW_INDEX.locate("randomized 703 patients to receive sorafenib twice")


def test_ambiguous_quote_is_an_error():
    with pytest.raises(QuoteAmbiguous, match="more than once"):
        REVIEW_INDEX.locate("sorafenib and erlotinib")


def test_empty_quote_is_an_error():
    with pytest.raises(QuoteNotFound):
        REVIEW_INDEX.locate(" \n ")


def test_span_records_sentence_and_context():
    span = REVIEW_INDEX.locate("Primary \nendpoint was OS.")
    (idx,) = span.sentences
    sentence = REVIEW_INDEX.sentences[idx]
    assert sentence.text == "Primary \nendpoint was OS."
    assert REVIEW[sentence.start:sentence.end] == sentence.text
    assert span.prefix.endswith("[9]. ")
    assert span.suffix.startswith(" The overall response rate")


def test_sentences_split_on_headings_not_on_abbreviations():
    texts = [s.text for s in REVIEW_INDEX.sentences]
    assert "Sorafenib monotherapy" in texts
    assert "Discussion" in texts
    assert any(t.startswith("Garassino et al. [23] demonstrated") for t in texts)


def test_sentence_broken_by_page_header_stays_whole():
    span = REVIEW_INDEX.locate("showed a median OS of 10.7 months in the sorafenib arm")
    (idx,) = span.sentences
    assert REVIEW_INDEX.sentences[idx].text.endswith("arm.")


def test_initials_do_not_end_sentences():
    sents = split_sentences("Written by A. Santoro and U. Basso. Results were good.")
    assert [s.text for s in sents] == ["Written by A. Santoro and U. Basso.",
                                      "Results were good."]


WORDS = [(m.start(), m.end()) for m in re.finditer(r"\S+", REVIEW)]


@settings(max_examples=150, deadline=None)
@given(start=st.integers(0, len(WORDS) - 30), length=st.integers(6, 25))
def test_any_run_of_words_is_found_at_its_place(start: int, length: int):
    first, last = WORDS[start][0], WORDS[start + length - 1][1]
    quote = " ".join(REVIEW[a:b] for a, b in WORDS[start:start + length])
    crosses_header = any(a < last and first < b for a, b in REVIEW_INDEX.header_spans)
    try:
        span = REVIEW_INDEX.locate(quote)
    except QuoteAmbiguous:
        return
    except QuoteNotFound:
        assert crosses_header  # header words are not part of the matchable text
        return
    assert not crosses_header
    # the span may leave out leading/trailing characters that matching ignores (a final dash)
    assert skeleton(REVIEW[first:span.start]) == "" and skeleton(REVIEW[span.end:last]) == ""
    assert skeleton(REVIEW_INDEX.clean(span.start, span.end)) == skeleton(quote)


@given(st.text(min_size=1, max_size=200))
def test_skeleton_is_idempotent_and_drops_whitespace(text: str):
    sk = skeleton(text)
    assert skeleton(sk) == sk
    assert not any(c.isspace() for c in sk)
