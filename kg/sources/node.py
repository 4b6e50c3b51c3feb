"""Read fields out of YAML mappings that remember their lines, collecting problems.

Every reader of the curated files (identifier table, entities, evidence) goes through ``Node``,
so every problem reads ``file:line: field: what is wrong`` and an unknown key is never ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg import model as m
from kg.sources.yamlfile import CONFUSABLE, LineDict, oddities, read_yaml, shape, visible

ID_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
# how a number declared derived may be derived (see ``Node.derived``)
DERIVED_RE = re.compile(r"^(?:count/denominator|size of (?P<pop>[a-z0-9][a-z0-9.+-]*))$")


@dataclass
class Node:
    """Reads fields out of one YAML mapping, collecting problems instead of raising."""

    data: Any
    file: str
    problems: list[str]
    where: str = ""
    seen: set[str] = field(default_factory=set)
    near: int = 1  # the line to name when the data has none (a list item that is not a mapping)

    @property
    def line(self) -> int:
        """Line of the mapping itself (or the nearest line known, if it is not a mapping)."""
        return getattr(self.data, "line", 0) or self.near

    @property
    def loc(self) -> m.Loc:
        """Location of the mapping and of each of its keys, for records."""
        keys = tuple(getattr(self.data, "key_lines", {}).items())
        return m.Loc(self.file, self.line, keys)

    def ok(self) -> bool:
        """Whether the node is a mapping at all (reported once if not)."""
        if isinstance(self.data, dict):
            return True
        self.problems.append(f"{self.file}:{self.line}: {self.where or 'entry'}: "
                             f"expected a mapping, got {shape(self.data)}")
        return False

    def err(self, key: str, msg: str) -> None:
        """Record a problem at the key's line (or the mapping's line)."""
        line = getattr(self.data, "key_lines", {}).get(key, self.line)
        shown = key if key.isprintable() and not (set(key) & CONFUSABLE) else visible(key)
        name = f"{self.where}.{shown}" if self.where else shown
        self.problems.append(f"{self.file}:{line}: {name}: {msg}")

    def get(self, key: str, kind: type | tuple[type, ...], required: bool = False,
            default: Any = None) -> Any:
        """Return a field of the given type, or ``default`` after recording a problem."""
        self.seen.add(key)
        if not isinstance(self.data, dict) or key not in self.data or self.data[key] is None:
            if required:
                self.err(key, "required field is missing")
            return default
        value = self.data[key]
        blank = isinstance(value, str) and not value.strip()
        if blank or (required and value in ([], {})):
            self.err(key, "required field is empty" if required else "empty value; leave the "
                     "field out instead")
            return default
        if kind is Decimal and isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        if kind is str and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return str(value)
        if kind is int and isinstance(value, bool):
            self.err(key, f"expected a whole number, got {value!r}")
            return default
        if not isinstance(value, kind):
            want = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            want = {"Decimal": "number", "int": "whole number", "str": "text",
                    "bool": "true or false", "list": "list", "LineDict": "mapping",
                    "dict": "mapping"}.get(want, want)
            hint = oddities(value) if isinstance(value, str) else ""
            self.err(key, f"expected {want}, got {value!r}{hint}")
            return default
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        """A text field."""
        return self.get(key, str, required)

    def number(self, key: str, required: bool = False) -> Decimal | None:
        """A decimal field, kept exactly as written."""
        value = self.get(key, Decimal, required)
        if isinstance(value, Decimal) and not value.is_finite():
            self.err(key, f"expected a finite number, got {value}")
            return None
        return value

    def integer(self, key: str, required: bool = False) -> int | None:
        """A whole-number field."""
        return self.get(key, int, required)

    def flag(self, key: str) -> bool | None:
        """A true/false field; absent means the source does not say."""
        return self.get(key, bool)

    def strings(self, key: str, required: bool = False) -> tuple[str, ...]:
        """A list of text, also accepting a single text."""
        value = self.get(key, (list, str, int), required, default=[])
        if isinstance(value, (str, int)):
            value = [value]
        out = []
        for item in value:
            if isinstance(item, (str, int)) and not isinstance(item, bool):
                out.append(str(item))
            else:
                self.err(key, f"expected text items, got {item!r}")
        return tuple(out)

    def choice(self, key: str, allowed: set[str], required: bool = False) -> str | None:
        """A text field restricted to a set of values."""
        value = self.text(key, required)
        if value is not None and value not in allowed:
            self.err(key, f"{value!r} is not one of {', '.join(sorted(allowed))}"
                          f"{oddities(value)}")
            return None
        return value

    def children(self, key: str, required: bool = False) -> Iterator[Node]:
        """Mappings in a list field."""
        items = self.get(key, list, required, default=[])
        prefix = f"{self.where}." if self.where else ""
        near = getattr(self.data, "key_lines", {}).get(key, self.line)
        for i, item in enumerate(items):
            yield Node(item, self.file, self.problems, f"{prefix}{key}[{i}]", near=near)

    def record_id(self) -> str:
        """The record's ``id``: lower case, digits, dots, plus and hyphens."""
        value = self.text("id", required=True) or "?"
        if value != "?" and not ID_RE.match(value):
            self.err("id", f"{value!r} must be lower case letters, digits, '.', '+' or '-'")
        return value

    def drafted(self) -> str:
        """The ``kg draft`` rule that proposed the record; a curator deletes it once reviewed."""
        value = self.text("drafted") or ""
        if value and not re.fullmatch(r"[a-z][a-z0-9-]*", value):
            self.err("drafted", f"{value!r} is not a rule name (lower case letters, digits, '-')")
        return value

    def quotes(self) -> tuple[str, ...]:
        """The supporting quote(s) of a record; at least one is required."""
        return self.strings("quote", required=True)

    def derived(self, allowed: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """Numbers declared derived rather than quoted, checked against the record later.

        ``{value: count/denominator}`` or ``{field: size of <population id>}``.
        """
        data = self.get("derived", dict, default={})
        out = []
        for key, basis in data.items():
            if key not in allowed:
                self.err("derived", f"{key!r} cannot be declared derived here (allowed: "
                                    f"{', '.join(allowed)})")
            elif not isinstance(basis, str) or not DERIVED_RE.match(basis):
                self.err("derived", f"{key}: {basis!r} is not 'count/denominator' or "
                                    "'size of <population id>'")
            elif (basis == "count/denominator") != (key == "value"):
                self.err("derived", f"{key}: {basis!r} does not fit this field")
            else:
                out.append((str(key), basis))
        return tuple(out)

    def close(self) -> None:
        """Report keys that no reader asked for: a typo must not be silently ignored."""
        if isinstance(self.data, dict):
            for key in self.data:
                if key not in self.seen:
                    self.err(str(key), "unknown field")


def read_mapping(path: Path, label: str, problems: list[str], what: str) -> LineDict:
    """Read a file that must hold a mapping; an empty file or another shape is one problem."""
    before = len(problems)
    data = read_yaml(path, label, problems)
    if isinstance(data, LineDict):
        return data
    if len(problems) == before:
        got = "nothing (the file is empty)" if data is None else shape(data)
        problems.append(f"{label}:1: {what}: expected a mapping of {what}, got {got}")
    empty = LineDict()
    empty.line, empty.key_lines = 1, {}
    return empty


def file_label(path: Path) -> str:
    """Path as shown in messages: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
