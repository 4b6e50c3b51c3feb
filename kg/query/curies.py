r"""The one rule by which the tool prints IRIs, and reads back what it printed.

Every short form the tool prints (tables, errors, warnings, the server's pages) must work when
pasted into a query. An instance IRI is a path (``https://w3id.org/dti-kg/id/study/mission``),
and a SPARQL local name cannot contain ``/``, so ``kgi:study/mission`` does not parse. The rule:

- an instance IRI prints with a **prefix per namespace**, named by the path with dots:
  ``study:mission``, ``drug:sorafenib``, ``study.mission.comparison:os-hr``,
  ``document.nsclc-review.sentence:12``. The first segment must be a known kind (`KINDS`), so a
  mistyped prefix is not silently declared;
- vocabulary and external IRIs print with the project's prefixes (`kg.vocab.PREFIXES`) and the
  identifier prefixes of `kg.ids.PREFIX_TABLE` (bioregistry spelling: ``CHEBI:45863``);
- anything else, or a local part a prefixed name cannot hold without escapes (``+``, ``/``),
  prints as the full ``<IRI>``. Escapes (``study:mission\\/arm``) are valid SPARQL, but rdflib 7.6
  keeps the backslash in the IRI, so a pasted escaped name would find nothing there.

Every query run through the tool gets these prefixes declared (`prefixes_for`, `with_prefixes`):
only those it uses and does not declare itself. IRIs never change; only their printing does.

CURIE handling for the fixed prefixes goes through the ``curies`` package (longest-namespace
match, expansion). Measured: importing it costs ~0.17 s (pydantic), about 45% of a cold
``kg query``; it is imported on first use, which every printed table needs anyway.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from kg.prefixes import INSTANCE_IRI, PREFIXES
from kg.query.text import strip_literals

if TYPE_CHECKING:
    import curies

# First path segments of instance IRIs (kg/ids.mint callers); tests/test_query_curies.py checks
# that every instance IRI of the built graph starts with one of them.
KINDS = frozenset({
    "adverse-event", "biomarker", "check", "claim", "contradiction", "disease", "document", "drug",
    "evidence",
    "evidence-item", "gene", "graph", "interaction", "intervention", "mapping", "protein",
    "regimen", "study", "target-family",
})
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
# SPARQL 1.1 PN_LOCAL without escapes or percent-encoding (ASCII: the slugs are ASCII).
_LOCAL = re.compile(r"[A-Za-z0-9_:](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?")
_PREFIX_NAME = r"[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?"
_USED = re.compile(rf"(?<![\w.:?$\\-])({_PREFIX_NAME}):")
_DECLARED = re.compile(rf"\bPREFIX\s+({_PREFIX_NAME})?:", re.IGNORECASE)


@functools.cache
def fixed_prefixes() -> dict[str, str]:
    """Vocabulary prefixes plus identifier prefixes (bioregistry spelling), by name."""
    from kg.ids import PREFIX_TABLE

    out = {name: p.uri_prefix for name, p in PREFIX_TABLE.items()}
    out.update(PREFIXES)
    return out


@functools.cache
def converter() -> curies.Converter:
    """A ``curies`` converter over the fixed prefixes (``kgi`` left to the per-kind rule)."""
    import curies

    return curies.Converter.from_prefix_map(
        {k: v for k, v in fixed_prefixes().items() if k != "kgi"})


def instance_prefix(namespace_path: str) -> str | None:
    """The prefix name of an instance path: ``study/mission/arm`` gives ``study.mission.arm``."""
    segments = namespace_path.split("/")
    if segments[0] not in KINDS or not all(_SEGMENT.fullmatch(s) for s in segments[1:]):
        return None
    return ".".join(segments)


def compact(iri: str) -> str:
    """The pasteable short form of an IRI: a valid SPARQL prefixed name, else ``<iri>``.

    This is the shared printing function: the CLI, the server, errors and the HTML pages call it.
    """
    if iri.startswith(INSTANCE_IRI):
        ns, _, local = iri[len(INSTANCE_IRI):].rpartition("/")
        prefix = instance_prefix(ns) if ns else "kgi"
        if prefix and _LOCAL.fullmatch(local):
            return f"{prefix}:{local}"
        return f"<{iri}>"
    curie = converter().compress(iri)
    if curie:
        prefix, _, local = curie.partition(":")
        if _LOCAL.fullmatch(local):
            return curie
    return f"<{iri}>"


def namespace_of(prefix: str) -> str | None:
    """The namespace a prefix stands for, fixed or per kind; None if it is not one of ours."""
    fixed = fixed_prefixes()
    if prefix in fixed:
        return fixed[prefix]
    if prefix.split(".")[0] in KINDS and instance_prefix(prefix.replace(".", "/")):
        return INSTANCE_IRI + prefix.replace(".", "/") + "/"
    return None


def expand(value: str) -> str:
    """An IRI from what a user may type: ``<iri>``, an IRI, a prefixed name of ours.

    The old form ``kgi:study/mission`` is still read (it is printed nowhere any more). Anything
    else is returned unchanged, for the caller to judge.
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if value.startswith(("http://", "https://", "urn:")):
        return value
    prefix, sep, local = value.partition(":")
    ns = namespace_of(prefix) if sep else None
    return ns + local if ns is not None and local else value


def declared_prefixes(query: str) -> set[str]:
    """Prefix names the query declares itself."""
    return {m.group(1) or "" for m in _DECLARED.finditer(strip_literals(query))}


@functools.lru_cache(maxsize=512)
def used_prefixes(query: str) -> dict[str, int]:
    """Prefix names used in prefixed names, with the offset of their first use."""
    out: dict[str, int] = {}
    for m in _USED.finditer(strip_literals(query)):
        out.setdefault(m.group(1), m.start())
    return out


def prefixes_for(query: str) -> dict[str, str]:
    """The prefixes of ours a query uses without declaring them (the engines declare them)."""
    declared = declared_prefixes(query)
    out = {}
    for name in used_prefixes(query):
        ns = namespace_of(name) if name not in declared else None
        if ns is not None:
            out[name] = ns
    return out


def undeclared(query: str) -> dict[str, int]:
    """Prefixes used but neither declared nor ours, with the offset of their first use."""
    declared = declared_prefixes(query)
    return {name: at for name, at in used_prefixes(query).items()
            if name not in declared and namespace_of(name) is None}


def with_prefixes(query: str) -> str:
    """The query text with the prefixes it needs declared on one first line (for remote stores)."""
    needed = prefixes_for(query)
    if not needed:
        return query
    return " ".join(f"PREFIX {k}: <{v}>" for k, v in sorted(needed.items())) + "\n" + query
