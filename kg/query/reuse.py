"""Named answers an edit cannot change, taken from the last build instead of queried again.

Why: the 22 default answers were queried whole on every build (~0.7 s of a 300x edit, ~2 s at
1,000x), while an edit changes a few statements that most of them never read.

The proof, mechanical for every query: the statements that differ between the last build's
graph and this one (the old and new statements of every subject whose TriG block's digest
changed, `kg.export.rowgroups`; the old ones read from the last ``graph.trig`` and checked
against the digests noted then) are matched against the query's triple patterns
(`kg.query.footprint`, read from its algebra). A changed statement matching a pattern counts
unless the pattern's context (what every solution using it must match too), with the
statement's terms put in, has no solution in the new graph nor in the old one: then no
solution of either graph holds the statement. If no changed statement counts, the query's
solutions are the last build's, and so is its answer, which is taken byte for byte from the
last output (Oxigraph's plan depends on the query, not on the data). Anything not known for
certain (no state, another code or ontology, a last answer file that is not the one noted, a
changed block not found in the last ``graph.trig`` with its digest, a query whose footprint
cannot be stated) recomputes; ``tests/test_answer_reuse.py`` compares with clean builds.
"""

from __future__ import annotations

import hashlib
import mmap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.query.footprint import Footprint, Pattern

if TYPE_CHECKING:
    import pyoxigraph as ox

    from kg.cache import BuildCache

KIND = "answers"  # the cache's folder
STATE = "reuse.pickle"
LIMIT = 2000  # more changed blocks than this: every answer is queried


def _section(data: mmap.mmap, graph: bytes) -> tuple[int, int] | None:
    """Where one named graph's blocks are in a TriG file written by this project."""
    start = data.find(b"\n<" + graph + b"> {\n")
    if start < 0:
        return None
    start += len(graph) + 5
    end = data.find(b"\n}\n", start - 1)
    return None if end < 0 else (start, end + 1)


def _blocks(data: mmap.mmap, span: tuple[int, int], subjects: list[str],
            prefixes: list[tuple[str, str]]) -> dict[str, bytes]:
    """The blocks of these subjects in one graph's span (each opens a line with a tab)."""
    start, end = span
    names = {s: [f"<{s}>"] + [f"{p}:{s[len(ns):]}" for p, ns in prefixes if s.startswith(ns)]
             for s in subjects}
    if len(subjects) > 4:  # many: every block's start in one pass, not one search each
        import re

        starts = {m.group(1).decode(): m.start() for m in
                  re.finditer(rb"^\t(\S+) ", data[start:end], re.MULTILINE)}
        at = {s: next((starts[n] + start for n in ns if n in starts), -1)
              for s, ns in names.items()}
    else:
        at = {s: next((i + 1 for n in ns if (i := data.find(b"\n\t" + n.encode() + b" ",
                                                             start - 1, end)) >= 0), -1)
              for s, ns in names.items()}
    out = {}
    for s, i in at.items():
        if i >= 0:
            stop = data.find(b"\n\t", i, end)  # a block's lines after its first open with two
            while stop >= 0 and data[stop + 2:stop + 3] == b"\t":
                stop = data.find(b"\n\t", stop + 1, end)
            out[s] = data[i:(stop + 1 if stop >= 0 else end)]
    return out


def _prefixes(data: mmap.mmap) -> tuple[bytes, list[tuple[str, str]]]:
    """The file's prefix lines and their (prefix, namespace) pairs."""
    head = data[:data.find(b"\n<") + 1]
    pairs = []
    for line in head.decode().splitlines():
        if line.startswith("@prefix "):
            name, ns = line[8:].split(": <", 1)
            pairs.append((name, ns.split(">", 1)[0]))
    return head, pairs


def old_statements(trig: Path, keys: Iterable[str], old: dict[str, bytes]) -> set[Any] | None:
    """The last graph's statements of the blocks ``keys`` (``graph NUL subject``), as quads.

    Each block is found in the last ``graph.trig`` and must have the digest noted then;
    otherwise None (the file is not that graph's).
    """
    import pyoxigraph as ox

    from kg.ids import graph_iri

    by: dict[str, list[str]] = {}
    for key in sorted(keys):
        name, _, subject = key.partition("\0")
        by.setdefault(name, []).append(subject)
    if not by:
        return set()
    try:
        with trig.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            head, prefixes = _prefixes(data)
            parts = [head]
            for name, subjects in by.items():
                iri = str(graph_iri(name))
                span = _section(data, iri.encode())
                blocks = _blocks(data, span, subjects, prefixes) if span else {}
                for subject in subjects:
                    block = blocks.get(subject)
                    if block is None or (hashlib.blake2b(block, digest_size=12).digest()
                                         != old[f"{name}\0{subject}"]):
                        return None
                parts += [f"<{iri}> {{\n".encode(), *blocks.values(), b"}\n"]
    except (OSError, ValueError):
        return None
    return set(ox.parse(b"".join(parts), format=ox.RdfFormat.TRIG))


def new_statements(store: ox.Store, keys: Iterable[str]) -> set[Any]:
    """The new graph's statements of the blocks ``keys``, from its store."""
    import pyoxigraph as ox

    from kg.ids import graph_iri

    out: set[Any] = set()
    for key in keys:
        name, _, subject = key.partition("\0")
        out.update(store.quads_for_pattern(ox.NamedNode(subject), None, None,
                                           ox.NamedNode(str(graph_iri(name)))))
    return out


def _value(term: Any) -> str:
    """A store term as a footprint writes it: ``<iri>``, else a literal's N-Triples form."""
    return f"<{term.value}>" if type(term).__name__ == "NamedNode" else str(term)


def _bind(pattern: Pattern, quad: Any) -> dict[str, Any] | None:
    """The bindings under which ``quad`` matches ``pattern``, or None if it cannot."""
    got: dict[str, Any] = {}
    for want, term in zip(pattern, (quad.subject, quad.predicate, quad.object), strict=True):
        if want == "*":
            continue
        if want.startswith("?"):
            if want in got and got[want] != term:
                return None
            got[want] = term
        elif want != _value(term) and (" " not in want or _value(term) not in want.split()):
            return None
    return got


def _lookup(want: str, bound: dict[str, Any]) -> Any:
    """A pattern term as a store lookup's argument: its binding, its IRI, or None (any)."""
    import pyoxigraph as ox

    if want.startswith("?"):
        return bound.get(want)
    if want.startswith("<"):
        return ox.NamedNode(want[1:-1])
    return None


def _matches_any(store: ox.Store, removed: set[Any], pattern: Pattern,
                 bound: dict[str, Any]) -> bool:
    """Whether the pattern, with these bindings, matches a statement of the new or old graph."""
    s, o = _lookup(pattern[0], bound), _lookup(pattern[2], bound)
    if s is not None and type(s).__name__ not in ("NamedNode", "BlankNode"):
        return False  # a literal bound to a subject position matches nothing
    for p in pattern[1].split():
        for _ in store.quads_for_pattern(s, _lookup(p, bound), o, None):
            return True
    for quad in removed:  # the old graph: the new one, less what was added, plus these
        got = _bind(pattern, quad)
        if got is not None and all(bound.get(v, t) == t for v, t in got.items()):
            return True
    return False


SCRATCH = "urn:x-kg:statements-removed-since-the-last-build"  # never a graph of ours


def _ask(items: list[Any], bound: dict[str, Any]) -> str | None:
    """An ASK for a solution of context ``items`` with ``bound`` put in (other terms open).

    None when there can be none: a VALUES clause has no row agreeing with the bound terms.
    """
    names: dict[str, str] = {}

    def term(t: str) -> str:
        if t == "*" or (t.startswith("?") and t not in bound):
            key = t if t != "*" else f"*{len(names)}"
            return names.setdefault(key, f"?v{len(names)}")
        if t.startswith("?"):
            return str(bound[t])
        return f"({'|'.join(t.split())})" if " " in t else t

    def values(item: Any) -> str | None:
        cols = [i for i, v in enumerate(item[1]) if v not in bound]
        rows = [r for r in item[2] if all(c == "*" or c == _value(bound[v])
                                         for v, c in zip(item[1], r, strict=True)
                                         if v in bound)]
        if not rows:
            return None
        if not cols:
            return ""
        cells = " ".join("(" + " ".join("UNDEF" if r[i] == "*" else r[i] for i in cols) + ")"
                         for r in rows)
        return f"VALUES ({' '.join(term(item[1][i]) for i in cols)}) {{ {cells} }}"

    def text(group: Iterable[Any]) -> str | None:
        parts = []
        for i in group:
            if i[0] == "VALUES":
                part = values(i)
            elif i[0] == "UNION":
                left, right = text(i[1]), text(i[2])
                part = (None if left is None and right is None else
                        left if right is None else right if left is None else
                        f"{{ {left} }} UNION {{ {right} }}")
            else:
                part = f"{term(i[0])} {term(i[1])} {term(i[2])} ."
            if part is None:
                return None
            parts.append(part)
        return " ".join(parts)

    body = text(items)
    return None if body is None else f"ASK {{ {body} }}"


def touches(fp: Footprint, changed: set[Any], removed: set[Any], store: ox.Store,
            asked: dict[str, bool] | None = None) -> bool:
    """Whether a changed statement can take part in a solution of a query with this footprint.

    For each pattern a changed statement matches, its context with the statement's terms put
    in must have a solution in the new graph or the old one: first each context pattern
    sharing a bound variable is looked up alone, then the whole context is asked at once,
    over the new graph and the removed statements (a superset of the old graph), which are
    added to the store in a graph of their own for the question and removed again.
    """
    import pyoxigraph as ox

    asked = {} if asked is None else asked
    scratch = ox.NamedNode(SCRATCH)
    added = False
    try:
        for group, ctx in fp:
            for pattern in group:
                for quad in changed:
                    bound = _bind(pattern, quad)
                    if bound is None:
                        continue
                    others = ctx + [p for p in group if p is not pattern]
                    near = [p for p in others if p[0] not in ("UNION", "VALUES")
                            and any(t in bound for t in p if t.startswith("?"))]
                    if not all(_matches_any(store, removed, p, bound) for p in near):
                        continue
                    query = _ask(others, bound)
                    if query is None:  # no row of a VALUES clause agrees with the statement
                        continue
                    if query not in asked:
                        if removed and not added:
                            store.extend(ox.Quad(q.subject, q.predicate, q.object, scratch)
                                         for q in removed)
                            added = True
                        asked[query] = bool(store.query(query, use_default_graph_as_union=True))
                    if asked[query]:
                        return True
        return False
    finally:
        if added:
            store.remove_graph(scratch)


class LastAnswers:
    """The last build's answers and what changed since, as far as they can be trusted."""

    def __init__(self, cache: BuildCache, key: str, build: str | None,
                 keys: set[str] | None, old: dict[str, bytes]) -> None:
        """Read the last state: it counts only if made under ``key`` by the build ``build``.

        ``build`` names the last build whose table state (and digests, ``old``) the caller
        read; ``keys`` are the blocks changed since (None: unknown).
        """
        self.cache, self.key = cache, key
        state = cache.get(KIND, STATE)
        self.noted: dict[str, tuple[str, str]] = {}
        if (keys is not None and build is not None and len(keys) <= LIMIT
                and isinstance(state, dict) and state.get("key") == key
                and state.get("build") == build):
            self.noted = state["answers"]
        self.keys = keys or set()
        self.old = old
        self._delta: tuple[set[Any], set[Any]] | None = None
        self._known = True
        self.reused: list[str] = []

    def delta(self, store: ox.Store) -> tuple[set[Any], set[Any]] | None:
        """The changed statements and, of them, the removed ones (None: not known)."""
        if self._delta is None and self._known:
            before = old_statements(self.cache.out / "graph.trig",
                                    (k for k in self.keys if k in self.old), self.old)
            if before is None:
                self._known = False
                return None
            try:
                after = new_statements(store, self.keys)
            except ValueError:  # a subject the store cannot name (none of ours): not known
                self._known = False
                return None
            self._delta = before ^ after, before - after
        return self._delta

    def tsv(self, name: str, text: str, store: ox.Store, fp: Footprint | None) -> bytes | None:
        """The last build's answer to this text, if this graph cannot have changed it."""
        from kg.query.answertables import FOLDER, text_key

        noted = self.noted.get(name)
        if fp is None or noted is None or noted[0] != text_key(text):
            return None
        got = self.delta(store)
        if got is None or touches(fp, got[0], got[1], store):
            return None
        try:
            data = (self.cache.out / FOLDER / f"{name}.tsv").read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != noted[1]:
            return None
        self.reused.append(name)
        return data

    def save(self, build: str, answers: Iterable[Any]) -> None:
        """Note this build's answers (entered with the build, if it succeeds)."""
        from kg.query.answertables import text_key

        self.cache.put(KIND, STATE, {"key": self.key, "build": build, "answers": {
            a.name: (text_key(a.text), hashlib.sha256(a.tsv).hexdigest()) for a in answers}})
