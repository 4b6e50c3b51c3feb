"""An arm's doses as its part of the assignment prints them: "alphamab 400 mg twice daily".

A plain function over the part's text and the drugs the lexicon knows by name and synonym; a
dose per area or weight ("75 mg/m2") is left to the curator, its unit being no plain mg.
"""

from __future__ import annotations

import re

from kg.draft.patterns import dec


def dosing(text: str, regimen: list[str], drugs: dict) -> list[dict]:
    """One record per drug of ``regimen`` printed with a dose in mg (and once or twice daily)."""
    out = []
    for drug in regimen:
        e = drugs.get(drug)
        if e is None:
            continue
        names = "|".join(re.escape(n) for n in (e.label, *e.synonyms))
        mt = re.search(rf"(?:{names})\s+(?P<dose>\d+(?:\.\d+)?)\s*mg(?!\s*/)\b"
                       rf"(?:\s+(?P<freq>once|twice)\s+daily)?", text, re.I)
        if mt:
            rec = {"intervention": drug, "dose": dec(mt.group("dose")), "unit": "mg"}
            if mt.group("freq"):
                rec["daily_frequency"] = {"once": 1, "twice": 2}[mt.group("freq").lower()]
            out.append(rec)
    return out
