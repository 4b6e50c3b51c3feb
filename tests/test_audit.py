"""`kg audit` sees every printed form of a number, so "0 unexplained" means it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.assemble import build
from kg.audit import audit
from kg.sources.loader import load_corpus

# Written for this test: each sentence prints numbers in a form a plain digit scan misses.
FORMS = ("The odds were .056 and 0·59 apart. The change was −0.4. In all, 1,234 were screened. "
         "Seventy-two were eligible; nine of 23 responded; no partial responses were seen in the "
         "rest. The interval was 0.45–0.76, or 0.55 to 0.87, after random assignment 2:1.\n")
EXPECTED = {".056": "0.056", "0·59": "0.59", "−0.4": "-0.4", "1,234": "1234",
            "Seventy-two": "72", "nine": "9", "23": "23", "no": "0", "0.45": "0.45",
            "0.76": "0.76", "0.55": "0.55", "0.87": "0.87", "2": "2", "1": "1"}


def with_text(root: Path, extra: str) -> None:
    text = root / "texts" / "examplinib.txt"
    text.write_text(text.read_text() + extra)
    ev = root / "evidence" / "examplinib.yaml"
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    ev.write_text("\n".join(f"  sha256: {digest}" if line.startswith("  sha256:") else line
                            for line in ev.read_text().splitlines()) + "\n")


def test_every_form_is_seen_and_flagged_when_uncovered(mini_copy: Path):
    with_text(mini_copy, FORMS)
    corpus, texts = load_corpus(mini_copy)
    occurrences = audit(build(mini_copy).union(), corpus, texts)
    start = texts["examplinib-abstract"].text.index("The odds were")
    new = {o.number: o for o in occurrences if o.start >= start}
    assert set(new) == set(EXPECTED), sorted(new)
    assert all(o.status == "unexplained" for o in new.values())


def test_a_covered_word_number_is_covered(mini_copy: Path):
    corpus, texts = load_corpus(mini_copy)
    occurrences = audit(build(mini_copy).union(), corpus, texts)
    ten = [o for o in occurrences if o.number == "Ten"]  # "Ten patients (25%)": the count 10
    assert [o.status for o in ten] == ["covered"]
