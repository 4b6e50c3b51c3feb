"""Read one evidence file: its document, then each section with the reader the table names.

To read a new section, write its reader (a ``Node`` in, a record out) in a module of its own,
add a field for it to ``kg.model.EvidenceFile`` and one ``Section`` line to ``SECTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import model as m
from kg.sources.node import Node, file_label
from kg.sources.readers import (
    read_claim,
    read_contradiction,
    read_document,
    read_explanation,
    read_interaction,
    read_study,
    read_table,
)
from kg.sources.yamlfile import read_yaml


@dataclass(frozen=True)
class Section:
    """A list section of an evidence file: its YAML key, the record field, the item reader."""

    key: str
    field: str  # the field of kg.model.EvidenceFile that holds the records, as a tuple
    read: Callable[[Node], Any]


# Read in this order (problems are reported in it); each item is checked to be a mapping first.
SECTIONS: list[Section] = [
    Section("target_interactions", "interactions", read_interaction),
    Section("studies", "studies", read_study),
    Section("claims", "claims", read_claim),
    Section("contradictions", "contradictions", read_contradiction),
    Section("tables", "tables", read_table),
    Section("audit_explanations", "explanations", read_explanation),
]


def load_evidence_file(path: Path, problems: list[str]) -> m.EvidenceFile | None:
    """Parse one evidence file into records (structure only; references are checked later)."""
    label = file_label(path)
    data = read_yaml(path, label, problems)
    if data is None:
        return None
    root = Node(data, label, problems)
    if not root.ok():
        return None
    doc_data = root.get("document", dict, True)
    if doc_data is None:
        return None  # reported once: without its document nothing in the file can be placed
    document = read_document(Node(doc_data, label, problems, "document"))
    parts = {s.field: tuple(s.read(n) for n in root.children(s.key) if n.ok())
             for s in SECTIONS}
    root.close()
    return m.EvidenceFile(label, document, **parts)
