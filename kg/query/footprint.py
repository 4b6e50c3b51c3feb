"""What a named query reads: its triple patterns, grouped by the basic graph pattern stating them.

Why: an edit changes a few dozen statements, and most of the 22 named answers read none of
them; recomputing all 22 on every build was ~0.7 s of a 300x edit. A query's answer is a
function of the statements its triple patterns match: if no statement an edit added or removed
matches any of its patterns, each pattern matches what it matched before, and the answer is the
one the last build computed (`kg.query.reuse` applies this). The patterns are read from the
query's SPARQL algebra (rdflib's parser), never written by hand.

A pattern is three terms: ``"?name"`` a variable, ``"<iri>"`` an IRI (a predicate may be
several, ``"<a> <b>"``: either), ``"*"`` anything (a literal, a blank node of the query). The
patterns of one basic graph pattern must all match for any of them to count (a statement
matching one pattern whose fellow patterns find nothing for its bindings joins no solution: see
`kg.query.reuse`); a path of IRIs, inverses, sequences and alternatives of IRIs joins its
group as patterns through fresh variables (``?~1``); the steps of other paths (``a+``) stand
alone, each with both ends open. ``None`` for a query means its
footprint cannot be stated (a variable predicate, a zero-length or negated path, a ``GRAPH``
or ``SERVICE`` clause, a function whose value changes between runs): it is always recomputed.

Parsing 22 queries with rdflib takes about a second, so the footprints are stored in
``kg/query/footprints.json`` keyed by the SHA-256 of each default query text
(``python -m kg.query.footprint`` writes it again; a test fails while it is stale).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

Term = str
Pattern = tuple[Term, Term, Term]
Footprint = list[list[Pattern]]  # groups of patterns, each a basic graph pattern or a path step

STORED = Path(__file__).resolve().parent / "footprints.json"
# functions whose value is not a function of the data: an answer using one is never reused
UNSTABLE = {"Builtin_BNODE", "Builtin_RAND", "Builtin_NOW", "Builtin_UUID", "Builtin_STRUUID"}
OPAQUE = {"Graph", "ServiceGraphPattern"}  # graph names or remote data: not stated here


class Unstated(Exception):
    """The query reads something its patterns do not state."""


def _term(t: object) -> Term:
    from rdflib import URIRef, Variable

    if isinstance(t, Variable):
        return f"?{t}"
    if isinstance(t, URIRef):
        return f"<{t}>"
    return "*"  # a literal matches by value (conservatively: any), a blank node as anything


def _path_steps(path: object) -> list[Pattern]:
    """Each IRI a property path steps over, as a pattern with both ends open."""
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(path, URIRef):
        return [("*", f"<{path}>", "*")]
    if isinstance(path, SequencePath | AlternativePath):
        return [s for p in path.args for s in _path_steps(p)]
    if isinstance(path, InvPath):
        return _path_steps(path.arg)
    if isinstance(path, MulPath) and path.mod == "+":
        return _path_steps(path.path)
    raise Unstated(f"path {path!r}")  # p* and p? match every node once; !p any other predicate


def _chain(s: Term, path: object, o: Term, fresh: list[int]) -> tuple[list[Pattern],
                                                                      list[Pattern]]:
    """A path as patterns joined through fresh variables, and the steps that stand alone.

    ``a/b`` is ``?s a ?x . ?x b ?o``, ``^a`` is ``?o a ?s``, and ``a|b`` (IRIs) one pattern
    whose predicate is either (written ``<a> <b>``): exactly what the path matches. Other
    paths (``a+``, an alternative of paths) give their steps with both ends open.
    """
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, SequencePath

    if isinstance(path, URIRef):
        return [(s, f"<{path}>", o)], []
    if isinstance(path, InvPath):
        return _chain(o, path.arg, s, fresh)
    if isinstance(path, AlternativePath) and all(isinstance(a, URIRef) for a in path.args):
        return [(s, " ".join(sorted({f"<{a}>" for a in path.args})), o)], []
    if isinstance(path, SequencePath):
        joined: list[Pattern] = []
        alone: list[Pattern] = []
        ends = [s]
        for _ in path.args[1:]:
            fresh[0] += 1
            ends.append(f"?~{fresh[0]}")  # no SPARQL variable is spelt with a tilde
        ends.append(o)
        for i, step in enumerate(path.args):
            j, a = _chain(ends[i], step, ends[i + 1], fresh)
            joined += j
            alone += a
        return joined, alone
    return [], _path_steps(path)


def _walk(node: object, out: Footprint) -> None:
    """Every basic graph pattern anywhere in the algebra (subqueries, EXISTS, MINUS …)."""
    from rdflib.paths import Path as RdfPath
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if isinstance(node, CompValue):
        if node.name in OPAQUE or node.name in UNSTABLE:
            raise Unstated(node.name)
        if node.name == "BGP":
            group: list[Pattern] = []
            fresh = [0]
            for s, p, o in node.triples:
                if isinstance(p, Variable):
                    raise Unstated("variable predicate")
                if isinstance(p, RdfPath):
                    joined, alone = _chain(_term(s), p, _term(o), fresh)
                    group += joined
                    out += [[step] for step in alone]
                else:
                    group.append((_term(s), _term(p), _term(o)))
            if group:
                out.append(group)
        for value in node.values():
            _walk(value, out)
    elif isinstance(node, list | tuple | set):
        for value in node:
            _walk(value, out)
    elif isinstance(node, dict):
        for value in node.values():
            _walk(value, out)


def footprint(sparql: str) -> Footprint | None:
    """The query's patterns by group (see the module's notes), or None if it reads more."""
    from rdflib.plugins.sparql import prepareQuery

    out: Footprint = []
    try:
        _walk(prepareQuery(sparql).algebra, out)
    except Unstated:
        return None
    return [list(g) for g in sorted({tuple(sorted(set(g))) for g in out})]


def default_texts() -> dict[str, str]:
    """Each named SELECT's default text (its parameters' defaults bound), by name."""
    from kg.query.library import load_library

    return {name: q.bind() for name, q in sorted(load_library().items())}


def text_digest(sparql: str) -> str:
    """The key of a query text in the stored file."""
    return hashlib.sha256(sparql.encode("utf-8")).hexdigest()


def stored_json() -> str:
    """The text of ``kg/query/footprints.json``: each default text's digest and footprint."""
    rows = []
    for name, text in default_texts().items():
        fp = footprint(text)
        rows.append(f' "{text_digest(text)}": {json.dumps({"name": name, "patterns": fp})}')
    return "{\n" + ",\n".join(rows) + "\n}\n"


def stored() -> dict[str, Any]:
    """The stored footprints by text digest (empty if the file cannot be read)."""
    try:
        data = json.loads(STORED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def of(sparql: str, table: dict[str, Any] | None = None) -> Footprint | None:
    """The stored footprint of a query text; None if not stored or not stateable."""
    entry = (table if table is not None else stored()).get(text_digest(sparql))
    if not isinstance(entry, dict) or entry.get("patterns") is None:
        return None
    return [[tuple(p) for p in group] for group in entry["patterns"]]  # type: ignore[misc]


if __name__ == "__main__":  # python -m kg.query.footprint: write kg/query/footprints.json
    STORED.write_text(stored_json(), encoding="utf-8")
