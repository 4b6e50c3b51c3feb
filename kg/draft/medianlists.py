"""Medians listed arm by arm after the endpoint they are of.

"(median OS: A, 31 months; B, 24 months; P = 0.02; median PFS: A, ...)": a
bracket of statistics the value rules mask whole. Read here as plain text, before masking: each
"median <endpoint>:" heads a list of "<arm>, <value> <unit>" items separated by semicolons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.draft.patterns import NUM

HEAD_RE = re.compile(r"\bmedian\s+(?P<what>[A-Za-z][\w -]{1,30}?)\s*:\s*", re.I)
ITEM_RE = re.compile(rf"(?P<arm>[A-Za-z][^,;:()]{{0,40}}?),\s*(?P<v>{NUM})\s*(?P<u>months?|"
                     r"weeks?|years?|days?)\b\s*(?:;\s*|(?=\)|$))", re.I)


@dataclass(frozen=True)
class Item:
    """One arm's median in a list: the arm's words, the value's place and its unit."""

    what: str
    arm: str
    start: int
    end: int
    unit: str


def median_lists(text: str) -> list[Item]:
    """Every list of two or more "<arm>, <value> <unit>" items after a "median <endpoint>:"."""
    out: list[Item] = []
    for head in HEAD_RE.finditer(text):
        at, items = head.end(), []
        while (mt := ITEM_RE.match(text, at)) is not None:
            items.append(Item(head.group("what"), mt.group("arm"), mt.start("v"), mt.end("v"),
                              mt.group("u").lower().rstrip("s")))
            at = mt.end()
        if len(items) >= 2:
            out += items
    return out
