"""Source texts and quote location: every quote must occur exactly once in its document's text.

A text is read only when its checksum matches the evidence file's, so offsets stay valid.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg import model as m
from kg.provenance import QuoteAmbiguous, QuoteNotFound, SourceText


def locate_all(files: list[m.EvidenceFile], texts: dict[str, SourceText], problems: list[str]
               ) -> None:
    """Check that every quote of every record occurs exactly once in its document's text."""
    for f in files:
        source = texts.get(f.document.id)
        if source is None:
            continue
        records: list[m.Record | m.Explanation] = [r for _, r in f.iter_records()]
        records += list(f.explanations)
        for rec in records:
            quotes = rec.quotes if isinstance(rec, m.Record) else (rec.quote,)
            for q in quotes:
                try:
                    source.locate(q)
                except (QuoteNotFound, QuoteAmbiguous) as exc:
                    short = q if len(q) <= 80 else q[:77] + "..."
                    what = "not found" if isinstance(exc, QuoteNotFound) else "ambiguous"
                    problems.append(f"{rec.loc.at('quote')}: quote: {what} in "
                                    f"{f.document.text_file}: {short!r}: {exc}")


def read_text(doc: m.Document, texts_dir: Path, problems: list[str]) -> str | None:
    """Read a document's source text and check it against the recorded checksum."""
    path = texts_dir / doc.text_file
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(f"{doc.loc.at('text')}: document.text: cannot read {doc.text_file}: "
                        f"{exc.strerror}")
        return None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != doc.sha256:
        problems.append(f"{doc.loc.at('sha256')}: document.sha256: {doc.text_file} has checksum "
                        f"{digest}, the "
                        f"evidence file says {doc.sha256}; offsets would not match the text")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"{doc.loc.at('text')}: document.text: {doc.text_file} is not UTF-8 "
                        f"({exc.reason})")
        return None

