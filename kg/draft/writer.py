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
