"""A read-only graph for drawing pages: the part of rdflib's Graph API the views use, on dicts.

The views ask a few hundred thousand small questions (a node's label, a study's arms) of a
graph that never changes while they draw. An rdflib ``Graph`` answers each through its store's
context bookkeeping (~5 µs a lookup, ~1.3 KB a triple); two plain dict indexes answer in well
under a microsecond and take a fraction of the memory, and building them costs about what
adding the triples to rdflib would. Same terms (rdflib's ``URIRef``/``Literal``), same answers,
so every view runs unchanged on either; ``tests/test_readgraph.py`` pins that the pages drawn
from both are byte-identical.

It also records, on request, which nodes a block of drawing code read (its ``Footprint``): the
page cache (``kg/render/pagecache.py``) reuses a page when every node it read has the same
statements as when it was drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import repeat
from typing import Any

from rdflib.paths import AlternativePath
from rdflib.term import Literal

Node = Any
Triple = tuple[Node, Node, Node]


def _predicates(p: Node) -> tuple[Node, ...]:
    """A predicate or an rdflib alternative path (``KG.a | KG.b``) as the predicates it names."""
    if isinstance(p, AlternativePath):
        return tuple(x for arg in p.args for x in _predicates(arg))
    return (p,)


class Footprint:
    """The nodes a block read: subjects asked forward, objects asked in reverse, or anything.

    ``wild`` is set by a question with no node in it (every subject of a predicate): its
    answer depends on the whole graph, so nothing that asked it can be reused.
    """

    __slots__ = ("into", "out", "wild")

    def __init__(self) -> None:
        """Nothing read yet."""
        self.out: set[Node] = set()
        self.into: set[Node] = set()
        self.wild = False

    def add(self, other: Footprint) -> None:
        """Also what ``other`` read (a memoised answer reused inside this block)."""
        self.out |= other.out
        self.into |= other.into
        self.wild = self.wild or other.wild


class ReadGraph:
    """Triples indexed by subject and by object, read through rdflib's method names.

    Answers come in insertion order per index entry; the views sort wherever order shows, as
    they must for rdflib's hash order too.
    """

    def __init__(self, triples: Iterable[Triple] = (), *, distinct: bool = False) -> None:
        """Index ``triples``; duplicates are dropped as a graph drops them (``distinct``: none)."""
        self._sp: dict[Node, dict[Node, list[Node]]] = {}
        self._op: dict[Node, dict[Node, list[Node]]] = {}
        self._literals: list[Triple] | None = []  # not in ``_op`` until asked for (see update)
        self._by_p: dict[Node, list[tuple[Node, Node]]] | None = None
        self._one_p: dict[Node, list[tuple[Node, Node]]] = {}
        self._n = 0
        self._fp: Footprint | None = None  # being recorded
        self.counts: Any = None  # kg.counts.Counts of these triples, when the build has them
        self.update(triples, distinct=distinct)

    @contextmanager
    def footprint(self) -> Iterator[Footprint]:
        """Record what the block reads; nested blocks add theirs to the enclosing one."""
        outer, self._fp = self._fp, Footprint()
        fp = self._fp
        try:
            yield fp
        finally:
            self._fp = outer
            if outer is not None:
                outer.add(fp)

    def note(self, fp: Footprint) -> None:
        """Count ``fp`` as read by the block being recorded (a memoised answer reused)."""
        if self._fp is not None:
            self._fp.add(fp)

    def _read(self, out: Node = None, into: Node = None) -> None:
        fp = self._fp
        if fp is None:
            return
        if out is not None:
            fp.out.add(out)
        elif into is not None:
            fp.into.add(into)
        else:
            fp.wild = True

    def statements_out(self, node: Node) -> list[tuple[Node, Node]]:
        """Every (predicate, object) of ``node``."""
        return [(p, o) for p, objs in self._sp.get(node, {}).items() for o in objs]

    def statements_in(self, node: Node) -> list[tuple[Node, Node]]:
        """Every (subject, predicate) pointing at ``node``."""
        return [(s, p) for p, subs in self._rev(node).items() for s in subs]

    def _rev(self, node: Node) -> dict[Node, list[Node]]:
        """``_op``'s entry of a node (a literal's are indexed on the first such question)."""
        if type(node) is Literal and self._literals is not None:
            pending, self._literals = self._literals, None
            op = self._op
            for s, p, o in pending:
                props = op.get(o)
                if props is None:
                    op[o] = {p: [s]}
                else:
                    subs = props.get(p)
                    if subs is None:
                        props[p] = [s]
                    else:
                        subs.append(s)
        return self._op.get(node) or {}

    def update(self, triples: Iterable[Triple], *, distinct: bool = False) -> None:
        """Add triples (the ontology's beside the build's, for class and term labels).

        ``distinct`` says no triple is given twice or is already here (a set of new triples),
        which skips the duplicate check. A triple whose object is a literal waits to enter
        the reverse index until a question names a literal object, which the views never ask:
        hashing 400,000 literals (rdflib's ``__hash__`` is Python) was a quarter of the index
        at 1,000x. Kept in order, they enter it as they would have.
        """
        sp, op = self._sp, self._op
        literals = self._literals
        for t in triples:
            s, p, o = t
            props = sp.get(s)
            if props is None:
                props = sp[s] = {}
            objs = props.get(p)
            if objs is None:
                objs = props[p] = []
            elif not distinct and o in objs:
                continue
            objs.append(o)
            self._n += 1
            if literals is not None and type(o) is Literal:
                literals.append(t)
                continue
            back = op.get(o)
            if back is None:
                back = op[o] = {}
            subs = back.get(p)
            if subs is None:
                back[p] = [s]
            else:
                subs.append(s)
        self._by_p = None
        self._one_p = {}

    def __len__(self) -> int:
        """The number of distinct triples."""
        self._read()
        return self._n

    def _pairs(self, p: Node) -> list[tuple[Node, Node]]:
        """(subject, object) pairs of one predicate, found on first use.

        One predicate is one pass over the subjects (~30 ms at 1,000x); indexing every
        predicate's pairs at once, when the views ask for two or three, took 3.5 s.
        """
        if self._by_p is not None:
            return self._by_p.get(p, [])
        pairs = self._one_p.get(p)
        if pairs is None:
            pairs = self._one_p[p] = [(s, o) for s, props in self._sp.items()
                                      for o in props.get(p, ())]
        return pairs

    def _all_pairs(self) -> dict[Node, list[tuple[Node, Node]]]:
        """Every predicate's (subject, object) pairs (a question naming no predicate)."""
        if self._by_p is None:
            by_p: dict[Node, list[tuple[Node, Node]]] = {}
            for s, props in self._sp.items():
                for q, objs in props.items():
                    by_p.setdefault(q, []).extend(zip(repeat(s), objs))
            self._by_p = by_p
        return self._by_p

    def objects(self, subject: Node = None, predicate: Node = None) -> Iterator[Node]:
        """Objects of ``subject`` along ``predicate`` (either may be None: any)."""
        if subject is not None and predicate is not None and type(predicate) is not AlternativePath:
            if self._fp is not None:
                self._fp.out.add(subject)
            props = self._sp.get(subject)  # the common question, answered without a generator
            return iter(props.get(predicate, ()) if props else ())
        self._read(out=subject)
        return self._hop(self._sp, subject, predicate, 1)

    def _hop(self, index: dict[Node, dict[Node, list[Node]]], node: Node, predicate: Node,
             side: int) -> Iterator[Node]:
        """The general case of ``objects`` (``_sp``, side 1) and ``subjects`` (``_op``, side 0)."""
        if node is None:
            for p in (_predicates(predicate) if predicate is not None else list(self._by_all_p())):
                yield from (pair[side] for pair in self._pairs(p))
            return
        props = index.get(node)
        if not props:
            return
        if predicate is None:
            for nodes in list(props.values()):
                yield from nodes
            return
        for p in _predicates(predicate):
            yield from props.get(p, ())

    def subjects(self, predicate: Node = None, object: Node = None) -> Iterator[Node]:
        """Subjects pointing at ``object`` along ``predicate`` (either may be None: any)."""
        if object is not None and predicate is not None and type(predicate) is not AlternativePath:
            if self._fp is not None:
                self._fp.into.add(object)
            props = self._rev(object)
            return iter(props.get(predicate, ()) if props else ())
        self._read(into=object)
        if object is not None:
            self._rev(object)  # a literal's entry made
        return self._hop(self._op, object, predicate, 0)

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """(subject, object) pairs of ``predicate``."""
        self._read()
        for p in _predicates(predicate):
            yield from self._pairs(p)

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        """(predicate, object) pairs of ``subject``."""
        self._read(out=subject)
        for p, objs in self._sp.get(subject, {}).items():
            for o in objs:
                yield p, o

    def subjects_by_predicate(self, node: Node) -> Iterable[tuple[Node, list[Node]]]:
        """(predicate, subjects) pointing at ``node``, not recorded (the page cache's keys)."""
        return list(self._rev(node).items())

    def objects_by_predicate(self, subject: Node) -> Iterable[tuple[Node, list[Node]]]:
        """(predicate, objects) of ``subject``: its entry of the index, read as it is."""
        self._read(out=subject)
        return self._sp.get(subject, {}).items()

    def value(self, subject: Node = None, predicate: Node = None, object: Node = None,
              default: Node = None) -> Node:
        """One object of (subject, predicate) or subject of (predicate, object), else default."""
        if subject is not None and predicate is not None and object is None:
            if type(predicate) is not AlternativePath:
                if self._fp is not None:
                    self._fp.out.add(subject)
                objs = self._sp.get(subject, {}).get(predicate)
                return objs[0] if objs else default
            return next(self.objects(subject, predicate), default)
        if subject is None and predicate is not None and object is not None:
            return next(self.subjects(predicate, object), default)
        return None if (subject is None) + (predicate is None) + (object is None) >= 2 else default

    def triples(self, pattern: tuple[Node, Node, Node]) -> Iterator[Triple]:
        """Triples matching a pattern whose None terms match anything."""
        s, p, o = pattern
        self._read(out=s, into=o)
        if s is not None:
            for q, objs in list(self._sp.get(s, {}).items()):
                if p is not None and q not in _predicates(p):
                    continue
                for x in objs:
                    if o is None or x == o:
                        yield s, q, x
        elif o is not None:
            for q, subs in list(self._rev(o).items()):
                if p is not None and q not in _predicates(p):
                    continue
                for x in subs:
                    yield x, q, o
        else:
            for q in (_predicates(p) if p is not None else list(self._by_all_p())):
                for x, y in self._pairs(q):
                    yield x, q, y

    def _by_all_p(self) -> Iterator[Node]:
        return iter(self._all_pairs())

    def __contains__(self, triple: Triple) -> bool:
        """True when a triple matching the pattern (None: any) is in the graph."""
        s, p, o = triple
        if s is not None and p is not None and not isinstance(p, AlternativePath):
            self._read(out=s)
            objs = self._sp.get(s, {}).get(p, ())
            return (o in objs) if o is not None else bool(objs)
        return next(self.triples(triple), None) is not None

    def __iter__(self) -> Iterator[Triple]:
        """Every triple."""
        return self.triples((None, None, None))


def view_graph(result: Any) -> ReadGraph:
    """A build's triples and the ontology's (class and term labels for display), for the views."""
    from kg.counts import ontology_triples

    # in the order the triples were made (by address), not the set's hash order: the index
    # then touches memory in order (0.8 -> 0.4 s at 300x, the sort included); the views
    # never depend on the order answers come in (the set's varies from process to process)
    g = ReadGraph(sorted(result.triples, key=id), distinct=True)
    g.update(ontology_triples())  # parsed by pyoxigraph: rdflib's parser took 0.15 s a build
    g.counts = getattr(result, "counts", None)  # counted once, by the build
    return g
