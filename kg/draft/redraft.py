"""Drafting a paper again keeps what a curator reviewed.

A record whose ``drafted:`` field the curator deleted is theirs: drafting the same paper again
(after adding entities, say) keeps it exactly as it is and replaces only the drafted records, so
no file has to be deleted by hand and no review work is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.sources.yamlfile import read_yaml


class RedraftError(Exception):
    """The earlier draft cannot be read, so drafting again could lose review work."""


@dataclass
class Reviewed:
    """What a curator has reviewed in an earlier draft of the same paper, kept as it is."""

    study: dict | None = None  # the study's own fields, when its ``drafted:`` is gone
    records: dict[str, list[dict]] = field(default_factory=dict)  # section -> records
    claims: list[dict] = field(default_factory=list)

    def keys(self) -> set[str]:
        """The reviewed records as ``section/id``, the way load problems name them."""
        out = {f"{k}/{r.get('id')}" for k, recs in self.records.items() for r in recs}
        return out | {f"claims/{c.get('id')}" for c in self.claims}


SECTIONS = ("arms", "populations", "endpoints", "results", "comparisons", "adverse_events")


def reviewed_in(evidence: Path) -> Reviewed:
    """Records of an earlier draft without a ``drafted:`` field: the curator's work."""
    problems: list[str] = []
    data = read_yaml(evidence, str(evidence), problems)
    if problems or not isinstance(data, dict):
        raise RedraftError("the earlier draft does not read, so drafting again could lose review "
                         "work:\n" + "\n".join(problems or [f"{evidence}: not a mapping"]))
    out = Reviewed()
    studies = data.get("studies") or []
    study = studies[0] if studies and isinstance(studies[0], dict) else {}
    if study and "drafted" not in study:
        out.study = {k: v for k, v in study.items() if k not in SECTIONS}
    for key in SECTIONS:
        out.records[key] = [dict(r) for r in study.get(key) or []
                            if isinstance(r, dict) and "drafted" not in r]
    out.claims = [dict(c) for c in data.get("claims") or []
                  if isinstance(c, dict) and "drafted" not in c]
    return out


def keep_reviewed(records: dict[str, list[dict]], reviewed: Reviewed) -> None:
    """Reviewed records first, as they are; a drafted one of the same id gives way."""
    for key in SECTIONS:
        mine = reviewed.records.get(key, [])
        ids = {r.get("id") for r in mine}
        records[key] = [*mine, *(r for r in records[key] if r.get("id") not in ids)]
