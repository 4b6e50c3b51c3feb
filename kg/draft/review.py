"""``kg draft --check FILE``: the records of an evidence file a curator has not reviewed yet.

A drafted record carries ``drafted: <rule>``; reviewing it means checking it against its quote
and deleting that field. This lists what is left, one ``file:line`` a record, so a curator (or a
CI job) can see that a draft is finished before it counts as reviewed evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.sources.yamlfile import read_yaml


@dataclass(frozen=True)
class Unreviewed:
    """A record still marked ``drafted``."""

    line: int
    where: str  # e.g. studies[0].results[3]
    id: str
    rule: str


def _walk(data: Any, where: str) -> Iterator[Unreviewed]:
    if isinstance(data, dict):
        if "drafted" in data:
            line = getattr(data, "key_lines", {}).get("drafted", getattr(data, "line", 0))
            yield Unreviewed(line, where or "(top level)", str(data.get("id", data.get(
                "extends", "?"))), str(data["drafted"]))
        for key, value in data.items():
            if key != "drafted":
                yield from _walk(value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _walk(item, f"{where}[{i}]")


def unreviewed(path: Path, label: str | None = None) -> tuple[list[Unreviewed], list[str]]:
    """The records of ``path`` still marked drafted, and any problem reading the file."""
    problems: list[str] = []
    data = read_yaml(path, label or str(path), problems)
    if problems:
        return [], problems
    return sorted(_walk(data, ""), key=lambda u: u.line), []
