"""Warn about terms of our namespaces that do not exist, naming the closest ones that do.

A query that asks for ``kg:hasOutcomeResult`` (not an ontology term) or ``study:misson`` (not in
the graph) is valid SPARQL and silently answers nothing. The warning says so and names the
closest known terms (difflib), so a typo costs one look instead of an hour.
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
from dataclasses import dataclass
from typing import Any, Protocol

from kg.prefixes import INSTANCE_IRI, ONTOLOGY_IRI
from kg.query.curies import compact
from kg.query.text import blank_strings


class Engine(Protocol):
    """What the checks need of an engine (``kg.query.engine.BaseEngine`` has it).

    Named here, not imported: the engine imports this module, and a module it imports must not
    import it back.
    """

    def run_raw(self, sparql: str, prefixes: dict[str, str], limit: int | None,
                original: str = "") -> Any:
        """Run SPARQL on the engine itself; the answer has ``boolean`` and ``rows``."""

_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
_PNAME = re.compile(r"(?<![\w.:?$\\-])([A-Za-z](?:[\w.-]*[\w-])?)?:"
                    r"([A-Za-z0-9_:](?:[\w.:-]*[\w:-])?)")


def terms_in(query: str, prefixes: dict[str, str]) -> list[tuple[str, str]]:
    """Every IRI the query names, as (IRI, as written), outside strings and comments."""
    text = blank_strings(query)
    declared = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(text)}
    namespaces = {**prefixes, **declared}
    found: dict[str, str] = {}
    for m in _IRI.finditer(text):
        iri = m.group(1)
        if iri and not iri.endswith(("/", "#")):
            found.setdefault(iri, m.group(0))
    for m in _PNAME.finditer(text):
        ns = namespaces.get(m.group(1) or "")
        if ns is not None:
            found.setdefault(ns + m.group(2), m.group(0))
    return list(found.items())


@functools.cache
def ontology_terms() -> list[str]:
    """Local names of every ontology term, read from ontology.ttl by pyoxigraph.

    ``tests/test_vocab.py`` keeps the closed namespace ``kg.vocab.KG`` equal to these, and
    reading the file spares ``kg query`` importing rdflib (a fifth of its start-up). Where
    ``kg.vocab`` is loaded already (``kg build``), its names are taken: the same list without
    parsing the file again (~4 ms).
    """
    vocab = sys.modules.get("kg.vocab")
    if vocab is not None:
        return sorted(vocab.KG.__annotations__)
    import pyoxigraph as ox

    from kg.paths import ONTOLOGY_FILE

    return sorted({q.subject.value[len(ONTOLOGY_IRI):]
                   for q in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
                   if isinstance(q.subject, ox.NamedNode)
                   and q.subject.value.startswith(ONTOLOGY_IRI)})


def _exists(engine: Engine, iri: str) -> bool:
    known = engine.__dict__.setdefault("_existing", {})  # the loaded graph never changes
    if iri not in known:
        known[iri] = _ask_exists(engine, iri)
    return known[iri]


def _ask_exists(engine: Engine, iri: str) -> bool:
    ask = (f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} UNION {{ ?s <{iri}> ?o }} "
           f"UNION {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} }}")
    return bool(engine.run_raw(ask, {}, None).boolean)


def _closest(engine: Engine, iri: str) -> list[str]:
    """The instance IRIs closest to a missing one, once per engine and IRI.

    Finding them scans every triple and compares thousands of names (0.5-1.4 s at 1,000x);
    the loaded graph never changes, so a query run again with the same missing IRI pays once.
    """
    known = engine.__dict__.setdefault("_closest", {})
    if iri not in known:
        shown = {compact(c): c for c in _neighbours(engine, iri)}
        known[iri] = difflib.get_close_matches(compact(iri), list(shown), 3, 0.6)
    return known[iri]


def _neighbours(engine: Engine, iri: str) -> list[str]:
    path = iri[len(INSTANCE_IRI):]
    spaces = [INSTANCE_IRI + path.rpartition("/")[0] + "/", INSTANCE_IRI + path.split("/")[0] + "/"]
    for ns in dict.fromkeys(spaces):
        # typed nodes only: every node of ours has a class, and the rdf:type triples are a
        # fifth of the graph (scanning every triple both ways took 1-2 s at 1,000x)
        select = (f'SELECT DISTINCT ?s WHERE {{ ?s a ?t '
                  f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ns}")) }}')
        found = [row["s"].value for row in engine.run_raw(select, {}, 5000).rows]
        if found:
            return found
    return []


@dataclass(frozen=True)
class Unknown:
    """A term of ours the query names that does not exist, and the closest that do.

    ``close`` is None for an instance IRI whose closest IRIs were not looked up: finding them
    compares thousands of names (seconds at 1,000x), so the build's answer tables store the
    warning without them and whoever shows it completes it (`complete`).
    """

    written: str
    iri: str
    what: str
    close: tuple[str, ...] | None

    def warning(self, close: tuple[str, ...] | list[str] = ()) -> str:
        """The warning a person reads; ``close`` when the term's own were not looked up."""
        names = self.close if self.close is not None else close
        hint = f"; closest: {', '.join(names)}" if names else ""
        return f"warning: {self.written} {self.what}{hint}"


def find_unknown(engine: Engine, query: str, prefixes: dict[str, str]) -> list[Unknown]:
    """The ontology terms and instance IRIs of ours the query names that do not exist.

    The closest ontology terms are found at once (a few hundred names); an instance IRI's are
    left to `complete`.
    """
    out = []
    for iri, written in terms_in(query, prefixes):
        if iri.startswith(ONTOLOGY_IRI):
            local = iri[len(ONTOLOGY_IRI):]
            if local in ontology_terms():
                continue
            close = tuple(f"kg:{c}" for c in difflib.get_close_matches(local, ontology_terms(),
                                                                       3, 0.6))
            out.append(Unknown(written, iri, "is not a term of the ontology", close))
        elif iri.startswith(INSTANCE_IRI) and not _exists(engine, iri):
            out.append(Unknown(written, iri, "is not in the graph", None))
    return out


def complete(engine: Engine, unknown: Unknown) -> str:
    """The warning with its closest terms, looked up on ``engine`` if they were not yet."""
    return unknown.warning(_closest(engine, unknown.iri) if unknown.close is None else ())


def unknown_terms(engine: Engine, query: str, prefixes: dict[str, str]) -> list[str]:
    """One warning per ontology term or instance IRI of ours the query names that does not exist."""
    return [complete(engine, u) for u in find_unknown(engine, query, prefixes)]
