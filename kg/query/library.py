"""The shipped library of named SPARQL queries (``kg/query/*.rq``) and their parameters.

Each ``.rq`` file starts with a comment header::

    # name: drug-targets
    # description: Targets of a drug, with identifiers and the evidence quote.
    # param: drug iri kgi:drug/sorafenib

Each parameter appears in the query as one ``VALUES ?name { default }`` line, placed where the
variable must be bound (inside a subquery if need be), so the ``.rq`` file is a plain, runnable
SPARQL query in any tool; binding a parameter replaces the term in that line.

**Optional parameters (no filter).** A parameter whose default is ``any`` filters nothing until
it is given: its line is ``VALUES ?name { UNDEF }``, which SPARQL reads as one solution with the
variable unbound, so every row passes. The query keeps the filter on the variable bound when it
is given and off when it is not, e.g. ``FILTER(!BOUND(?disease) || EXISTS { ... })``, or uses the
variable only in a pattern that joins with anything while unbound. ``kg query hazard-ratios
--param disease=disease:nsclc`` then filters; without ``--param`` it lists every row.

Values: ``iri`` takes a prefixed name the tool prints (``drug:sorafenib``, ``kg:OverallSurvival``)
or a full IRI; ``string`` any text; ``number`` a decimal; any kind takes ``any`` (no filter) when
its default is ``any``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.paths import QUERY_DIR
from kg.query import curies
from kg.query.engine import QueryError

PARAM_KINDS = {"iri", "string", "number"}
ANY = "any"  # the default of an optional parameter: no filter (VALUES ?x { UNDEF })


@dataclass(frozen=True)
class Param:
    """A query parameter: variable name, kind and default."""

    name: str
    kind: str
    default: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    @property
    def optional(self) -> set[str]:
        """Names of the parameters that filter nothing unless given."""
        return {p.name for p in self.params if p.default == ANY}

    def bind(self, values: dict[str, str] | None = None) -> str:
        """The query text with every parameter bound (given value or default)."""
        values = dict(values or {})
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {sorted(unknown)[0]!r} "
                             f"(it takes: {', '.join(p.name for p in self.params) or 'none'})")
        text = self.text
        for p in self.params:
            if p.name in values:
                term = render(p, values[p.name])
                text = values_line(p.name).sub(lambda m, t=term: f"{m.group(1)}{t} }}", text,
                                               count=1)
        return text


def values_line(name: str) -> re.Pattern[str]:
    """The ``VALUES ?name { ... }`` line of a parameter."""
    return re.compile(rf"(VALUES\s+\?{name}\s*\{{\s*)[^}}]*\}}")


def render(param: Param, value: str) -> str:
    """A parameter value as a SPARQL term, validated and escaped (``any``: UNDEF)."""
    if value == ANY and param.default == ANY:
        return "UNDEF"
    if param.kind == "iri":
        iri = expand(value)
        if re.search(r'[\s<>"{}|^`\\]', iri) or ":" not in iri:
            raise QueryError(f"parameter {param.name}: {value!r} is not an IRI or known CURIE")
        return f"<{iri}>"
    if param.kind == "number":
        try:
            Decimal(value)
        except InvalidOperation:
            raise QueryError(f"parameter {param.name}: {value!r} is not a number") from None
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


expand = curies.expand  # the former name: prefixed names the tool prints, and kgi:kind/slug


def parse_header(path: Path) -> NamedQuery:
    """Read a query file and its header."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        m = re.match(r"#\s*(name|description|param):\s*(.+)$", line)
        if not m:
            if line.strip() and not line.startswith("#"):
                break
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) != 3 or parts[1] not in PARAM_KINDS:
                raise QueryError(f"{path}: bad param line {value!r} (name kind default)")
            params.append(Param(*parts))
        else:
            meta[key] = value
    if "name" not in meta or "description" not in meta:
        raise QueryError(f"{path}: header needs '# name:' and '# description:'")
    for p in params:
        if p.default == ANY and not re.search(rf"VALUES\s+\?{p.name}\s*\{{\s*UNDEF\s*\}}", text):
            raise QueryError(f"{path}: optional parameter {p.name} needs "
                             f"'VALUES ?{p.name} {{ UNDEF }}'")
        if not values_line(p.name).search(text):
            raise QueryError(f"{path}: parameter {p.name} has no 'VALUES ?{p.name} {{ ... }}' "
                             "line")
    return NamedQuery(meta["name"], meta["description"], tuple(params), text, path)


def load_library(folder: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every named query, by name."""
    out: dict[str, NamedQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        q = parse_header(path)
        if q.name in out:
            raise QueryError(f"{path}: query name {q.name!r} used twice")
        out[q.name] = q
    return out
