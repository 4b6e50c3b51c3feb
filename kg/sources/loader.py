"""Load curated YAML (identifier table, entities, evidence files) into typed records.

Every problem is collected, not just the first, each as ``file:line: field: what is wrong``:
syntax errors, missing or unknown keys, wrong types, dangling references, duplicate ids, CURIEs
that do not fit their prefix, impossible numbers, and quotes not found in their source text.
This module runs the steps in order; each lives in a module named for it (kg/sources/):
``node`` (fields with line numbers), ``entities``, ``evidence`` and ``readers`` (one reader
per section), ``references`` (cross-reference checks), ``number_rules``, ``quotes`` (source
texts and quote location), ``tables``, ``binding``, ``completeness`` and ``linking``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg import model as m
from kg.errors import InputError
from kg.paths import SOURCES_DIR
from kg.provenance import SourceText
from kg.sources.binding import check_numbers_quoted
from kg.sources.completeness import check_evidence_files, check_texts
from kg.sources.entities import load_entities, load_identifier_table
from kg.sources.evidence import SECTIONS, Section, load_evidence_file
from kg.sources.linking import resolve_extensions
from kg.sources.node import DERIVED_RE, ID_RE, Node, file_label
from kg.sources.quotes import locate_all, read_text
from kg.sources.references import check_references
from kg.sources.tables import check_tables
from kg.sources.values import *  # noqa: F403 - the controlled values, importable as before

__all__ = [  # besides the controlled values, the names other code imports from here
    "DERIVED_RE", "ID_RE", "SECTIONS", "InputError", "Node", "Section", "check_references",
    "check_tables", "load_corpus", "load_entities", "load_evidence_file",
    "load_identifier_table", "locate_all", "read_text",
]


class _Texts(dict):
    """Indexed source texts, each indexed on first use (a text no quote is looked up in is not)."""

    def __init__(self) -> None:
        super().__init__()
        self.later: dict[str, tuple[str, tuple[str, ...]]] = {}

    def __missing__(self, doc_id: str) -> SourceText:
        text, headers = self.later.pop(doc_id)
        source = self[doc_id] = SourceText(text, headers)
        return source


def load_corpus(sources: Path = SOURCES_DIR,
                read_evidence: Callable[[Path, list[str]], m.EvidenceFile | None] | None = None,
                checked: Callable[[m.EvidenceFile], bool] | None = None
                ) -> tuple[m.Corpus, dict[str, SourceText]]:
    """Load and validate everything under ``sources``; raise InputError listing all problems.

    Layout: ``identifiers.yaml``, ``entities.yaml``, ``evidence/*.yaml``, ``texts/*.txt``.
    ``read_evidence`` parses one evidence file (the build cache passes its cached reader).
    ``checked`` names a file whose own checks passed in a build with these very bytes (its
    text is pinned by the checksum it records): its quotes, numbers and tables are not looked
    up again, and its text is indexed only if a builder asks for it.
    """
    read_evidence = read_evidence or load_evidence_file
    known = checked or (lambda _f: False)
    problems: list[str] = []
    sources = Path(sources)
    if not sources.is_dir():
        raise InputError([f"{sources}: sources folder not found"])
    table = load_identifier_table(sources / "identifiers.yaml", problems)
    entities = load_entities(sources / "entities.yaml", table, problems)
    paths = sorted((sources / "evidence").glob("*.yaml"))
    if not paths:
        problems.append(f"{sources / 'evidence'}: no evidence files (*.yaml) found")
    files = [f for f in (read_evidence(p, problems) for p in paths) if f is not None]
    files = resolve_extensions(files, entities, problems)
    check_evidence_files(paths, files, problems, file_label)
    check_texts(sources / "texts", paths, files, problems, file_label)
    check_references(files, entities, problems)
    texts: dict[str, str] = {}
    indexed = _Texts()
    for f in files:
        text = read_text(f.document, sources / "texts", problems)
        if text is not None:
            texts[f.document.id] = text
            doi = f.document.doi
            if doi is not None and doi.lower() not in text.lower():
                problems.append(f"{f.document.loc.at('doi')}: document.doi: {doi!r} is not "
                                f"printed in {f.document.text_file}; a DOI the text does not "
                                "print belongs in the identifier table, verified")
            if known(f):
                indexed.later[f.document.id] = text, f.document.page_headers
            else:
                indexed[f.document.id] = SourceText(text, f.document.page_headers)
    fresh = [f for f in files if not known(f)]
    locate_all(fresh, indexed, problems)
    check_numbers_quoted(fresh, problems)
    check_tables(fresh, indexed, problems)
    if problems:
        raise InputError(problems)
    return m.Corpus(entities, tuple(files), texts), indexed

