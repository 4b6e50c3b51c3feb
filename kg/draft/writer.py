"""Write a draft as an evidence file the build already validates, one record per line.

One record per line (a YAML flow mapping) lets a problem the loader reports at ``file:line`` be
traced to its record, which the drafter then drops, so a drafted file always builds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Decimals as numbers exactly as written (``0.60`` stays ``0.60``)."""


_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f"))
    if v != v.to_integral_value() or "." in format(v, "f") else
    d.represent_scalar("tag:yaml.org,2002:int", format(v, "f")))


def flow(record: dict[str, Any]) -> str:
    """One record as a one-line YAML mapping."""
    text = yaml.dump(record, Dumper=_Dumper, default_flow_style=True, width=10**9,
                     allow_unicode=True, sort_keys=False).strip()
    return text


def value(v: Any) -> str:
    """One value in YAML flow style, on one line."""
    text = yaml.dump(v, Dumper=_Dumper, default_flow_style=True, width=10**9,
                     allow_unicode=True, sort_keys=False).strip()
    return text[:-3].strip() if text.endswith("\n...") or text.endswith("...") else text


def block(key: str, records: list[dict[str, Any]], indent: int) -> list[str]:
    """A list field with one record a line."""
    if not records:
        return []
    pad = " " * indent
    last = [{**{k: v for k, v in r.items() if k != "drafted"},
             **({"drafted": r["drafted"]} if r.get("drafted") else {})} for r in records]
    return [f"{pad}{key}:"] + [f"{pad}  - {flow(r)}" for r in last]  # drafted: last, to delete


def unique_in(records: list[dict], key: str = "id", taken: set[str] = frozenset()) -> None:
    """Make ids unique ("os-hr", "os-hr-2"), also against ids ``taken`` already."""
    seen: dict[str, int] = {t: 1 for t in taken}
    for r in records:
        base = r[key]
        seen[base] = seen.get(base, 0) + 1
        if seen[base] > 1:
            while f"{base}-{seen[base]}" in seen:
                seen[base] += 1
            r[key] = f"{base}-{seen[base]}"
            seen.setdefault(r[key], 1)


# the fields that name a record of another kind, by that kind
REFERENCES = {"endpoints": ("endpoint",), "populations": ("population", "parent"),
              "arms": ("arm", "experimental", "reference")}


def unique_ids(records: dict[str, list[dict]], taken: set[str] = frozenset()) -> None:
    """One id space for a study's records, each reference following its record's new id.

    An endpoint named like an arm ("the home-visit group", "a home visit was missed")
    becomes "home-visit-2", and the results of that endpoint name it so, not the arm.
    """
    before = {kind: [r["id"] for r in recs] for kind, recs in records.items()}
    unique_in([r for recs in records.values() for r in recs], taken=taken)
    for kind, fields in REFERENCES.items():
        # only an id that was its kind's own: two of one kind leave references to review
        once = {x for x in before.get(kind, []) if before[kind].count(x) == 1}
        renamed = {old: r["id"] for old, r in zip(before.get(kind, []), records.get(kind, []),
                                                  strict=True) if old != r["id"] and old in once}
        for recs in records.values() if renamed else ():
            for r in recs:
                for f in fields:
                    if r.get(f) in renamed:
                        r[f] = renamed[r[f]]
