"""Nothing silently lost: every evidence file yields a document with records, every text is used.

A truncated save or a bad merge can leave an evidence file empty (YAML reads it as nothing) or
with its document block and no records; a text can lose its evidence file. Each would drop a whole
document from the graph with no error, so each is a problem naming the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg import model as m

RECORD_KINDS = "target_interactions, studies, claims or contradictions"


def check_evidence_files(paths: list[Path], files: list[m.EvidenceFile], problems: list[str],
                         label: Callable[[Path], str]) -> None:
    """Report evidence files that yielded no document, or a document without any record."""
    loaded = {f.path for f in files}
    for path in paths:
        name = label(path)
        if name in loaded or any(p.startswith(f"{name}:") for p in problems):
            continue  # loaded, or already reported: one message per problem
        problems.append(f"{name}:1: document: the file holds no document record (it is empty or "
                        "only comments); remove it if the document is meant to go")
    for f in files:
        if f.document.loc.line and not f.iter_records():
            problems.append(f"{f.document.loc}: document: {f.document.id!r} has no records "
                            f"({RECORD_KINDS}); was the file cut short?")


def check_texts(texts_dir: Path, paths: list[Path], files: list[m.EvidenceFile],
                problems: list[str], label: Callable[[Path], str]) -> None:
    """Report source texts that no evidence file uses.

    An evidence file that could not be read far enough to name its text may still be the one
    using it: a text named anywhere in such a file is not reported, to keep one message per problem.
    """
    if not texts_dir.is_dir():
        return
    used = {f.document.text_file for f in files if f.document.text_file}
    named = {f.path for f in files if f.document.text_file}
    unsure = [p for p in paths if label(p) not in named]
    raw = ""
    for path in unsure:
        try:
            raw += path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # already reported as unreadable
    for text in sorted(texts_dir.glob("*.txt")):
        if text.name not in used and text.name not in raw:
            problems.append(f"{label(text)}:1: text: no evidence file uses this text (no "
                            f"document has text: {text.name}); add its evidence file or remove "
                            "the text")
