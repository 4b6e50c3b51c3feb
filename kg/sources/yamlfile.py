"""Read YAML files with the line of every mapping and key, exact decimals, and no way to crash.

Whatever bytes a file holds, ``read_yaml`` returns its data or records one ``file:line`` problem:
bad encodings, syntax errors, duplicate keys, keys that are not text, values that cannot be built
(``!!int abc``) and nesting too deep to read. Files are parsed with libyaml (five times faster)
when that is safe, and any error is reported by the pure-Python parser, whose messages are clearer.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

# look-alikes pasted from PDFs: minus sign, dashes, no-break and zero-width spaces
CONFUSABLE = set("\u2212\u2010\u2011\u2012\u2013\u2014\u00a0\u2007\u202f\u200b\ufeff")


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _Values:
    """Constructor behaviour shared by both loaders."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Build a value; one that cannot be built (``!!int abc``) is an error at its line."""
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, TypeError, ArithmeticError, LookupError, AttributeError) as exc:
            tag = node.tag.rsplit(":", 1)[-1]
            value = node.value if isinstance(node, yaml.ScalarNode) else node.id
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {value!r} as {tag}", node.start_mark) from exc


class PyLoader(_Values, yaml.SafeLoader):
    """Safe YAML loader that records lines and reads floats as exact Decimals (pure Python)."""


class FastLoader(_Values, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's parser: five times faster, but terse errors and no recursion guard.

    Two shortcuts make it faster again (loading was a fifth of a large build): a plain scalar's
    tag is resolved once per distinct text (keys repeat in every record), and a document of
    mappings (merge keys too), lists and scalars is built by ``_build`` in one pass. Anything
    else (a duplicate key, a tag of its own, a value that cannot be built, an alias to itself)
    is built by PyYAML's constructor as before, with its errors.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a node, remembered per scalar text (the resolvers are the class's)."""
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            if len(_RESOLVED) >= RESOLVED_KEPT:
                _RESOLVED.clear()
            tag = _RESOLVED[key] = super().resolve(kind, value, implicit)
        return tag

    def construct_document(self, node: yaml.Node) -> Any:
        """The document's value: in one pass if it is plain, else by PyYAML's constructor."""
        done: dict[int, Any] = {}
        try:
            return _build(self, node, done, set())
        except (_NotPlain, RecursionError) as exc:
            if FLATTENED in done:  # a merge changed the nodes: the pure-Python loader reads
                raise yaml.YAMLError("read again without libyaml") from exc  # them afresh
            return super().construct_document(node)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # anything unforeseen: the pure-Python loader says what
            raise yaml.YAMLError("read again without libyaml") from exc


class _NotPlain(Exception):
    """A node ``_build`` leaves to PyYAML's constructor."""


_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}
RESOLVED_KEPT = 1 << 12
STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
FLATTENED = -1  # in _build's ``done`` once a merge key has changed the nodes (never an id)
SEQ_TAG = "tag:yaml.org,2002:seq"


def _build(loader: FastLoader, node: yaml.Node, done: dict[int, Any], open_: set[int]) -> Any:
    """A node's value as ``_construct_mapping`` and PyYAML's safe constructors make it.

    ``done`` holds each collection built (an alias is the same node: the same object comes
    back; a scalar's value is immutable, made again); ``open_`` the collections being built
    (an alias inside itself is left to PyYAML).
    """
    tag = node.tag
    if node.__class__ is yaml.ScalarNode:
        if tag == STR_TAG:
            return node.value
        make = loader.yaml_constructors.get(tag)
        if make is None:
            raise _NotPlain
        try:
            return make(loader, node)
        except Exception as exc:  # reported by PyYAML's constructor, in its words
            raise _NotPlain from exc
    key = id(node)
    if key in done:
        return done[key]
    if key in open_:
        raise _NotPlain
    if tag == SEQ_TAG and isinstance(node, yaml.SequenceNode):
        open_.add(key)
        value = [_build(loader, item, done, open_) for item in node.value]
        open_.discard(key)
    elif tag == MAP_TAG and isinstance(node, yaml.MappingNode):
        own: set[str] = set()
        merges = False
        for key_node, _ in node.value:  # as _construct_mapping checks them, before merging
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value in own:
                raise _NotPlain  # PyYAML's constructor says what is wrong, and where
            if key_node.tag == MERGE_TAG:
                merges = True
            else:
                own.add(key_node.value)
        if merges:  # merged keys first, own keys last (they win): PyYAML's own step
            done[FLATTENED] = True
            loader.flatten_mapping(node)  # its error (the node half merged) goes to PyLoader
        open_.add(key)
        value = LineDict()
        value.line = node.start_mark.line + 1
        value.key_lines = {}
        lines = value.key_lines
        for key_node, value_node in node.value:
            name = key_node.value if key_node.tag == STR_TAG else _build(
                loader, key_node, done, open_)
            value[name] = (value_node.value if value_node.tag == STR_TAG
                           and value_node.__class__ is yaml.ScalarNode
                           else _build(loader, value_node, done, open_))
            lines[str(name)] = key_node.start_mark.line + 1
        open_.discard(key)
    else:
        raise _NotPlain
    done[key] = value
    return value


# libyaml recurses on the C stack: flow nesting some 30,000 deep crashes the process. A file
# with fewer brackets than this cannot nest that deep, so it is safe to give to libyaml.
FAST_MAX_BRACKETS = 5000
LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))


MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(loader: PyLoader, node: yaml.MappingNode) -> LineDict:
    own: set[str] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be plain text, not a {key_node.id}", key_node.start_mark)
        if key_node.tag != MERGE_TAG:
            if key_node.value in own:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r}", key_node.start_mark)
            own.add(key_node.value)
    loader.flatten_mapping(node)  # merged (<<) keys first, so the mapping's own keys win
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_float(loader: PyLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    return Decimal(special.get(text.lower(), text))  # not finite: rejected where numbers are read


for _cls in (PyLoader, FastLoader):
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor("tag:yaml.org,2002:float", _construct_float)
    # dates stay text as written ("2013-04-01"): records check their form, none is altered
    _cls.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: str(node.value))


def parse_yaml(text: str) -> Any:
    """Parse YAML text: with libyaml when that is safe, else (and on any error) in pure Python.

    An error is always reported by the pure-Python parser, whose messages name what it found
    (``expected <block end>, but found '-'``); a text only libyaml rejects is read as before.
    """
    if LIBYAML and text.count("[") + text.count("{") < FAST_MAX_BRACKETS:
        try:
            return yaml.load(text, Loader=FastLoader)  # noqa: S506 - a CSafeLoader subclass
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=PyLoader)  # noqa: S506 - PyLoader is a SafeLoader


def read_yaml(path: Path, label: str, problems: list[str]) -> Any:
    """Parse a YAML file; a syntax error becomes one ``file:line`` problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(f"{label}:1: file: cannot read it: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problems.append(f"{label}:{line}: encoding: not UTF-8 text (byte "
                        f"0x{raw[exc.start]:02x}); save the file as UTF-8")
        return None
    try:
        return parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(f"{label}:{line}: syntax: {exc.problem or exc.context}")
        return None
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + 1
        problems.append(f"{label}:{line}: syntax: character {visible(chr(exc.character))} is "
                        "not allowed in YAML")
        return None
    except yaml.YAMLError as exc:
        problems.append(f"{label}:1: syntax: {str(exc).splitlines()[0]}")
        return None
    except RecursionError:
        problems.append(f"{label}:1: syntax: nested too deeply to read")
        return None


def shape(value: Any) -> str:
    """What a YAML value is, in the words of the messages."""
    if value is None:
        return "nothing"
    return {"str": "text", "list": "a list", "int": "a number", "Decimal": "a number",
            "bool": "true or false"}.get(type(value).__name__, type(value).__name__)


def visible(text: str) -> str:
    """Quote text with the characters a reader cannot see or tell apart spelled out."""
    out = "".join(c if c.isprintable() and (c == " " or not c.isspace()) and c not in CONFUSABLE
                  else f"<U+{ord(c):04X}>" for c in text)
    return f"'{out}'"


def oddities(text: str) -> str:
    """Name the invisible or look-alike characters in ``text``, for a hint after a message."""
    names = sorted({f"U+{ord(c):04X} {unicodedata.name(c, 'control character')}" for c in text
                    if not c.isprintable() or (c.isspace() and c != " ") or c in CONFUSABLE})
    return f" (it contains {', '.join(names)})" if names else ""
