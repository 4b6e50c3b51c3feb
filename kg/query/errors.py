"""SPARQL syntax errors in a researcher's words: where, the offending text, what was expected.

Both engines report a position and a list of grammar tokens (Oxigraph: "expected one of ABS,
AVG, …, ['A' ..= 'Z' | …]"; rdflib: "Expected SelectQuery, found 'FILTER'"). The list is
turned into a few plain words, and the line is shown with a caret under the column.
"""

from __future__ import annotations

import difflib
import re


class QueryError(ValueError):
    """A query that cannot run: syntax error (with line and column), refused form, bad input."""


class QueryRefused(QueryError):
    """A query this tool will not run: an update, or a federated SERVICE call."""


class QuerySyntaxError(QueryError):
    """A query that does not parse; the message shows the line with a caret under the column."""

    def __init__(self, message: str, line: int, col: int) -> None:
        """Keep the position for callers that point at it (the editor page)."""
        super().__init__(message)
        self.line = line
        self.col = col

FORMS = {"SelectQuery": "a SELECT query", "ConstructQuery": "a CONSTRUCT query",
         "AskQuery": "an ASK query", "DescribeQuery": "a DESCRIBE query",
         "Query": "a query (SELECT, CONSTRUCT, ASK or DESCRIBE)"}
FUNCTIONS = {"ABS", "AVG", "STR", "STRSTARTS", "MAX", "MIN", "SUM", "IRI", "URI", "MD5", "NOW",
             "BOUND", "REGEX", "CONCAT", "COUNT", "LANG", "DATATYPE", "COALESCE", "IF", "NOT"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


def plain_expected(raw: str) -> str:
    """What an engine's list of grammar tokens means, in a few words."""
    head = raw.split("expected", 1)[-1] if "expected" in raw.lower() else raw
    if "Prefix not found" in head:
        return "a declared prefix (the name before ':' is not declared)"
    for form, words in FORMS.items():
        if re.search(rf"\b{form}\b", head):
            return words
    quoted = set(re.findall(r'"((?:[^"\\]|\\.)+)"', head))
    words = set(re.findall(r"(?<![\"'\w])([A-Z]{2,}[A-Z_]*)(?![\"'\w])", head))
    if words & QUERY_FORMS:
        return "a query form: SELECT, CONSTRUCT, ASK or DESCRIBE"
    if len(words & FUNCTIONS) >= 3:
        return "an expression: a variable, a value, or a function such as STR(...) or BOUND(...)"
    if "\\\\u" in quoted and "?" not in quoted:  # only escapes or the quote may follow
        return "the closing quote of the string"
    parts = []
    if {"?", "<", "_:"} <= quoted:
        parts.append("a term: a variable (?x), an IRI (<...>), a prefixed name (kg:Drug) or a "
                     "literal")
    for mark, words_for in PUNCTUATION.items():
        if mark in quoted:
            parts.append(words_for)
    if "..=" in head:
        parts.append("more of the name (letters, digits, '-', '_'; a name cannot hold '/')")
    if words and not parts:
        parts.append(" or ".join(sorted(words)))
    return "; or ".join(parts) if parts else re.sub(r"\s+", " ", head).strip()[:120]


PUNCTUATION = {"}": "'}' to close the group", ".": "'.' to end the triple",
               ";": "';' for another property of the same subject",
               ")": "')' to close the parenthesis"}


def offending(line: str, col: int) -> str:
    """The word or mark at a 1-based column of a line ('end of line' past its end)."""
    rest = line[col - 1:] if col >= 1 else line
    m = re.match(r"\S+", rest)
    if not m:
        return "the end of the line" if rest.strip() == "" else rest.strip()[:20]
    word = m.group(0)
    cut = re.match(r"[\w:.-]+|.", word)
    return f"'{cut.group(0) if cut else word}'"


def hints(query: str) -> list[str]:
    """Known mistakes with a known fix (the old kgi:kind/slug form, an unknown prefix)."""
    from kg.query.curies import compact, expand, namespace_of, undeclared

    out = []
    for m in re.finditer(r"\bkgi:([\w.+-]+(?:/[\w.+-]+)+)", query):
        iri = expand(f"kgi:{m.group(1)}")
        out.append(f"'{m.group(0)}' is not a valid prefixed name ('/' cannot appear after "
                   f"':'); write {compact(iri)}")
    for name in undeclared(query):
        known = [p for p in ("kg", "kgi", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov",
                             "oa", "biolink", "study", "drug", "disease", "biomarker")
                 if namespace_of(p)]
        close = difflib.get_close_matches(name, known, n=2, cutoff=0.5)
        also = f"; did you mean {' or '.join(c + ':' for c in close)}" if close else ""
        out.append(f"prefix '{name}:' is not declared and is not one of the project's{also}")
    return out


def explain(query: str, line: int, col: int, raw: str) -> QuerySyntaxError:
    """A syntax error with the line, a caret under the column and the expected thing in words."""
    expected = plain_expected(raw)
    if expected.startswith("a query form"):  # point at the word that should have been the form
        m = re.match(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*",
                     query, re.IGNORECASE)
        at = m.end() if m else 0
        line = query.count("\n", 0, at) + 1
        col = at - (query.rfind("\n", 0, at) + 1) + 1
    lines = query.splitlines() or [""]
    line = min(max(line, 1), len(lines))
    text = lines[line - 1]
    col = max(col, 1)
    found = offending(text, col)
    message = (f"syntax error at line {line}, column {col}: found {found}, "
               f"expected {expected}\n"
               f"  {text.expandtabs(1)}\n  {' ' * (col - 1)}^")
    extra = hints(query)
    if extra:
        message += "\n" + "\n".join(f"hint: {h}" for h in extra)
    return QuerySyntaxError(message, line, col)


def from_oxigraph(query: str, exc: BaseException) -> QuerySyntaxError:
    """Oxigraph's "error at L:C: expected …"."""
    text = str(exc)
    m = re.search(r"at (\d+):(\d+):?\s*(.*)", text, re.DOTALL)
    if not m:
        return QuerySyntaxError(f"syntax error: {text.splitlines()[0] if text else exc}", 1, 1)
    return explain(query, int(m.group(1)), int(m.group(2)), m.group(3))


def from_rdflib(query: str, exc: BaseException, prefixes: dict[str, str]) -> QuerySyntaxError:
    """Explain an rdflib parse error, through Oxigraph's parser when it also refuses the query.

    pyparsing reports the outermost rule that failed ("Expected SelectQuery") at its start;
    Oxigraph's parser names the exact position and the tokens it would accept there.
    """
    import pyoxigraph as ox

    try:
        ox.Store().query(query, prefixes=prefixes)
    except SyntaxError as again:
        return from_oxigraph(query, again)
    except Exception:  # noqa: S110 - anything else: keep rdflib's own report below
        pass
    line, col = getattr(exc, "lineno", 1), getattr(exc, "col", 1)
    msg = str(getattr(exc, "msg", exc))
    return explain(query, int(line), int(col), msg.split(", found")[0])
