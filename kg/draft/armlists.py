"""Counts and shares listed arm by arm, each item headed by its arm's name.

"(Group A=7 out of 41, 17%; Group B=15 out of 44, 34%; P=NS) had a wound infection", "48 patients
relapsed: AB, 21 patients (9 deaths); CD, 27 patients (13 deaths)". The value rules would see a
run of numbers with two group names among them; here each item's label says whose they are. A
plain function over the sentence: the caller resolves labels to arms and names the outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.draft.patterns import NUM

# an item: a short label, "=", ":" or ",", then a count over its denominator with or without a
# percentage, a count of patients with a count of some event in brackets, or a percentage
ITEM_RE = re.compile(
    # or the count first: "61 patients receiving AB [88%]"
    rf"(?P<k2>{NUM})\s+(?:patients|women|participants)\s+(?:receiving|given|on|treated\s+with|"
    rf"in\s+the)\s+(?P<label2>[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){{0,3}}?)\s*[\[(]\s*(?P<p2>{NUM})"
    r"\s?%\s*[\])]|"
    rf"(?P<label>[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){{0,3}}?)\s*(?:=|:|,)\s*(?:"
    rf"(?P<c>{NUM})\s*(?:out\s+of|of|/)\s*(?P<n>{NUM})(?:\s*[,(]\s*(?P<pct>{NUM})\s?%\)?)?|"
    rf"(?P<c4>{NUM})\s*\(\s*(?P<pct4>{NUM})\s?%\s*\)|"  # "group A = 13 (25.5%)"
    rf"(?P<k>{NUM})\s+(?:patients|women|participants)\s*\(\s*(?P<e>{NUM})\s+(?P<ew>[a-z]+)\s*\)|"
    rf"(?P<p>{NUM})\s?%)"
    r"\s*(?=[;,]|\)|\.(?:\s|$)|$)|"
    # or a bare count after the label, items parted by commas: "(VB 27, observation 34)"
    rf"(?P<label3>[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){{0,2}}?)\s+(?P<k3>{NUM})(?=\s*[,;)])", re.I)
OPEN_RE = re.compile(r"[(:]\s*")


@dataclass(frozen=True)
class Item:
    """One arm's values in a list: its label and where each printed number starts."""

    label: str
    count: int | None  # where the count starts (also of "21 patients")
    total: int | None  # the denominator
    percent: int | None
    events: int | None  # "(9 deaths)": a second count, of the event named after it
    event_word: str


def arm_lists(text: str) -> list[tuple[int, int, list[Item]]]:
    """(start, end, items) of each list of two or more labelled items after "(" or ":"."""
    out: list[tuple[int, int, list[Item]]] = []
    for opener in OPEN_RE.finditer(text):
        at, items = opener.end(), []
        while (mt := ITEM_RE.match(text, at)) is not None:
            items.append(Item(mt.group("label") or mt.group("label2") or mt.group("label3"),
                              next((mt.start(g) for g in ("c", "k", "k2", "k3", "c4")
                                    if mt.group(g)), None),
                              mt.start("n") if mt.group("n") else None,
                              next((mt.start(g) for g in ("pct", "p", "p2", "pct4")
                                    if mt.group(g)), None),
                              mt.start("e") if mt.group("e") else None,
                              (mt.group("ew") or "").lower()))
            at = mt.end()
            sep = re.match(r"\s*[;,]\s*(?:and\s+)?", text[at:])
            if sep is None:
                break
            at += sep.end()
        if len(items) >= 2 and not (out and opener.start() < out[-1][1]):
            out.append((opener.start(), at, items))
    return out
