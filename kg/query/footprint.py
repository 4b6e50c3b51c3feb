"""What a named query reads: its triple patterns, each with the patterns that guard it.

Why: an edit changes a few dozen statements, and many of the 22 named answers read none of
them; recomputing all 22 on every build was ~0.7 s of a 300x edit. A query's answer is a
function of the statements its triple patterns match, within the solutions they can join: a
changed statement that matches a pattern matters only if, with its terms bound, the patterns
every such solution must also satisfy (its *context*) can be satisfied too. `kg.query.reuse`
checks that on the graph; here the patterns and contexts are read from the query's SPARQL
algebra (rdflib's parser), never written by hand.

A query's footprint is a list of scopes ``[patterns, context]``: the patterns of one basic graph
pattern, and the patterns every solution using one of them must match as well. For a pattern,
its context is the scope's context plus the other patterns of its scope. What guards what
follows the algebra: the two sides of a join guard each other; the required side of an
OPTIONAL, of a MINUS and of a FILTER (NOT) EXISTS guards the other side, never the reverse; the
branches of a UNION guard their neighbours only together, never each other; a VALUES clause
guards like a pattern; a subquery starts afresh inside, and outside guards only through the
variables it projects (its other variables renamed apart); a GROUP BY's rows each come from a
solution of its pattern (without GROUP BY, one row comes whatever matches: no guard). Anything
else guards nothing.

A context may hold a union, ``{"union": [left, right]}``: the items of either branch must be
matched (a UNION whose branches each require something), or ``{"values": [...], "rows":
[...]}``: a VALUES clause's IRIs (a literal or UNDEF as ``"*"``). A pattern is three terms:
``"?name"`` a variable, ``"<iri>"`` an IRI (a predicate may be several, ``"<a> <b>"``:
either), ``"*"`` anything (a literal, a blank node of the query). A property path of IRIs,
inverses, sequences and alternatives of IRIs becomes patterns joined through fresh variables
(``?~1``, no SPARQL variable has a tilde); the steps of other paths (``a+``) stand alone, each
with both ends open and no context. ``None`` for a query means its
footprint cannot be stated (a variable predicate, a zero-length or negated path, a ``GRAPH``
or ``SERVICE`` clause, a function whose value changes between runs): it is always recomputed.

Parsing 22 queries with rdflib takes about a second, so the footprints are stored in
``kg/query/footprints.json`` keyed by the SHA-256 of each default query text
(``python -m kg.query.footprint`` writes it again; a test fails while it is stale).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

Term = str
Pattern = tuple[Term, Term, Term]
# a context item: a pattern, or ("UNION", branch, branch) with each branch a tuple of items
Item = Any
Scope = tuple[list[Pattern], list[Item]]  # one basic graph pattern's patterns, its context
Footprint = list[Scope]

STORED = Path(__file__).resolve().parent / "footprints.json"
# functions whose value is not a function of the data: an answer using one is never reused
UNSTABLE = {"Builtin_BNODE", "Builtin_RAND", "Builtin_NOW", "Builtin_UUID", "Builtin_STRUUID"}
OPAQUE = {"Graph", "ServiceGraphPattern"}  # graph names or remote data: not stated here
EXISTS = {"Builtin_EXISTS", "Builtin_NOTEXISTS"}
PASS = {"Distinct", "Reduced", "OrderBy", "Slice", "ToMultiSet", "SelectQuery", "Extend"}


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


def _values_term(t: object) -> Term:
    from rdflib import URIRef

    return f"<{t}>" if isinstance(t, URIRef) else "*"


def _terms(items: Iterable[Item]) -> Iterator[Term]:
    """Every term of some context items, unions' branches included."""
    for item in items:
        if item[0] == "VALUES":
            yield from item[1]
        elif item[0] == "UNION":
            yield from _terms(item[1])
            yield from _terms(item[2])
        else:
            yield from item


def _renamed(item: Item, apart: dict[str, str]) -> Item:
    """A context item with some variables renamed."""
    if item[0] == "VALUES":
        return ("VALUES", tuple(apart.get(t, t) for t in item[1]), item[2])
    if item[0] == "UNION":
        return ("UNION", tuple(_renamed(i, apart) for i in item[1]),
                tuple(_renamed(i, apart) for i in item[2]))
    return tuple(apart.get(t, t) for t in item)


def _to_json(item: Item) -> Any:
    if item[0] == "VALUES":
        return {"values": list(item[1]), "rows": [list(r) for r in item[2]]}
    if item[0] == "UNION":
        return {"union": [[_to_json(i) for i in item[1]], [_to_json(i) for i in item[2]]]}
    return list(item)


def _from_json(item: Any) -> Item:
    if isinstance(item, dict) and "values" in item:
        return ("VALUES", tuple(item["values"]), tuple(tuple(r) for r in item["rows"]))
    if isinstance(item, dict):
        left, right = item["union"]
        return ("UNION", tuple(_from_json(i) for i in left), tuple(_from_json(i) for i in right))
    return tuple(item)


class _Walker:
    """One query's walk: its scopes, and fresh variable names unique within the query."""

    def __init__(self) -> None:
        self.scopes: list[Scope] = []
        self.fresh = 0
        self.bgps: dict[int, tuple[list[Pattern], list[Pattern]]] = {}

    def _new(self) -> str:
        self.fresh += 1
        return f"?~{self.fresh}"

    def _chain(self, s: Term, path: object, o: Term) -> tuple[list[Pattern], list[Pattern]]:
        """A path as patterns joined through fresh variables, and the steps that stand alone.

        ``a/b`` is ``?s a ?x . ?x b ?o``, ``^a`` is ``?o a ?s``, and ``a|b`` (IRIs) one pattern
        whose predicate is either: exactly what the path matches.
        """
        from rdflib import URIRef
        from rdflib.paths import AlternativePath, InvPath, SequencePath

        if isinstance(path, URIRef):
            return [(s, f"<{path}>", o)], []
        if isinstance(path, InvPath):
            return self._chain(o, path.arg, s)
        if isinstance(path, AlternativePath) and all(isinstance(a, URIRef) for a in path.args):
            return [(s, " ".join(sorted({f"<{a}>" for a in path.args})), o)], []
        if isinstance(path, SequencePath):
            joined: list[Pattern] = []
            alone: list[Pattern] = []
            ends = [s, *(self._new() for _ in path.args[1:]), o]
            for i, step in enumerate(path.args):
                j, a = self._chain(ends[i], step, ends[i + 1])
                joined += j
                alone += a
            return joined, alone
        return [], _path_steps(path)

    def bgp(self, node: Any) -> tuple[list[Pattern], list[Pattern]]:
        """A basic graph pattern's patterns and its paths' lone steps (made once per node)."""
        from rdflib.paths import Path as RdfPath
        from rdflib.term import Variable

        got = self.bgps.get(id(node))
        if got is None:
            group: list[Pattern] = []
            alone: list[Pattern] = []
            for s, p, o in node.triples:
                if isinstance(p, Variable):
                    raise Unstated("variable predicate")
                if isinstance(p, RdfPath):
                    j, a = self._chain(_term(s), p, _term(o))
                    group += j
                    alone += a
                else:
                    group.append((_term(s), _term(p), _term(o)))
            got = self.bgps[id(node)] = group, alone
        return got

    def required(self, node: object) -> list[Pattern]:
        """The patterns every solution of ``node`` matches (its variables as outside sees them)."""
        from rdflib.plugins.sparql.parserutils import CompValue
        from rdflib.term import Variable

        if not isinstance(node, CompValue):
            return []
        name = node.name
        if name == "BGP":
            return self.bgp(node)[0]
        if name == "Join":
            return self.required(node.p1) + self.required(node.p2)
        if name == "Union":  # one branch or the other: a union of what each requires
            left, right = self.required(node.p1), self.required(node.p2)
            return [("UNION", tuple(left), tuple(right))] if left and right else []
        if name in ("LeftJoin", "Minus"):
            return self.required(node.p1)
        if name == "Filter" or name in PASS:
            return self.required(node.p)
        if name == "AggregateJoin":
            return self.required(node.p)
        if name == "Group":  # with GROUP BY, a row per group: each group has a solution of p
            return self.required(node.p) if "expr" in node and node["expr"] is not None else []
        if name == "values":  # VALUES: the rows' terms (a literal or UNDEF as anything)
            names = sorted({f"?{v}" for row in node.res for v in row})
            rows = tuple(sorted({tuple(_values_term(row.get(Variable(n[1:]))) for n in names)
                                 for row in node.res}))
            return [("VALUES", tuple(names), rows)] if names and rows else []
        if name == "Project":  # a subquery: what it does not project is its own
            keep = {f"?{v}" for v in node.PV}
            inner = self.required(node.p)
            names = {t for t in _terms(inner) if t.startswith("?") and t not in keep}
            apart = {t: self._new() for t in sorted(names)}
            return [_renamed(i, apart) for i in inner]
        return []

    def visit(self, node: object, ctx: list[Pattern]) -> None:
        """Record every scope under ``node``, guarded by ``ctx``."""
        from rdflib.plugins.sparql.parserutils import CompValue

        if isinstance(node, list | tuple | set):
            for value in node:
                self.visit(value, [])
            return
        if isinstance(node, dict) and not isinstance(node, CompValue):
            for value in node.values():
                self.visit(value, [])
            return
        if not isinstance(node, CompValue):
            return
        name = node.name
        if name in OPAQUE or name in UNSTABLE:
            raise Unstated(name)
        if name == "BGP":
            group, alone = self.bgp(node)
            self.scopes += [([step], []) for step in alone]
            if group:
                self.scopes.append((group, ctx))
        elif name == "Join":
            self.visit(node.p1, ctx + self.required(node.p2))
            self.visit(node.p2, ctx + self.required(node.p1))
        elif name in ("LeftJoin", "Minus"):
            self.visit(node.p1, ctx)
            self.visit(node.p2, ctx + self.required(node.p1))
            if name == "LeftJoin":
                self.visit(node.expr, ctx + self.required(node.p1) + self.required(node.p2))
        elif name == "Filter":
            self.visit(node.p, ctx)
            self.visit(node.expr, ctx + self.required(node.p))
        elif name == "Union":
            self.visit(node.p1, ctx)
            self.visit(node.p2, ctx)
        elif name in PASS:
            self.visit(node.p, ctx)
            for key in ("expr", "order"):  # BIND(EXISTS …) and ORDER BY EXISTS see p's rows
                if key in node and node[key] is not None:
                    self.visit(node[key], ctx + self.required(node.p))
        elif name in EXISTS:  # evaluated with the outer solution's terms put in
            from rdflib.plugins.sparql.algebra import translateGroupGraphPattern

            graph = node.graph
            if graph.name not in ("BGP", "Join", "LeftJoin", "Filter", "Union", "Minus"):
                graph = translateGroupGraphPattern(graph)
            self.visit(graph, ctx)
        else:  # a subquery, an aggregate, VALUES, an expression: nothing outside guards it
            for value in node.values():
                self.visit(value, [])


def footprint(sparql: str) -> Footprint | None:
    """The query's scopes (see the module's notes), or None if it reads more than patterns."""
    from rdflib.plugins.sparql import prepareQuery

    walker = _Walker()
    try:
        walker.visit(prepareQuery(sparql).algebra, [])
    except Unstated:
        return None
    seen: dict[str, Any] = {}
    for group, ctx in walker.scopes:
        scope = [sorted({json.dumps(_to_json(p)): _to_json(p) for p in group}.values()),
                 [v for _, v in sorted({json.dumps(_to_json(i)): _to_json(i)
                                        for i in ctx}.items())]]
        seen.setdefault(json.dumps(scope), scope)
    return [scope for _, scope in sorted(seen.items())]


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
    return [([tuple(p) for p in group], [_from_json(i) for i in ctx])
            for group, ctx in entry["patterns"]]


if __name__ == "__main__":  # python -m kg.query.footprint: write kg/query/footprints.json
    STORED.write_text(stored_json(), encoding="utf-8")
