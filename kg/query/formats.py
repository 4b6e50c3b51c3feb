"""Write query results in every format ``kg query`` and ``kg serve`` offer.

SELECT/ASK: aligned table, CSV, TSV, SPARQL 1.1 JSON and XML; CONSTRUCT/DESCRIBE: Turtle,
N-Triples or JSON-LD.

Why not pyoxigraph's own result serializers: they serialise only a ``QuerySolutions`` its own
store produced, while results here come from two engines (Oxigraph and rdflib) and a remote
endpoint as one ``Result``, are cut at the server's row limit (and say so: ``truncated``), and
carry warnings; one writer over ``Result`` keeps every path's output identical, which the tests
compare engine against engine.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator

from kg.query.curies import compact
from kg.query.engine import Result, Rows, Term

SELECT_FORMATS = {"table": "text/plain", "csv": "text/csv",
                  "tsv": "text/tab-separated-values",
                  "json": "application/sparql-results+json",
                  "xml": "application/sparql-results+xml"}
GRAPH_FORMATS = {"turtle": "text/turtle", "ntriples": "application/n-triples",
                 "jsonld": "application/ld+json"}


def _n3(t: Term) -> str:
    if t.kind == "uri":
        return f"<{t.value}>"
    if t.kind == "bnode":
        return f"_:{t.value}"
    text = t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if t.lang:
        return f'"{text}"@{t.lang}'
    return f'"{text}"^^<{t.datatype}>' if t.datatype else f'"{text}"'


def short(t: Term) -> str:
    """How a term prints in a table: IRIs by the shared rule (`kg.query.curies.compact`)."""
    if t.kind == "uri":
        return compact(t.value)
    return " ".join(t.value.split())


_short = short  # the former name, still imported elsewhere


SHORT = 12  # columns up to this wide (numbers, qualifiers, short labels) are never wrapped
GAP = "  "  # between columns


def _unbreakable(text: str, iri: bool) -> int:
    """The narrowest a cell can be without cutting a word, a number or an IRI."""
    if iri or len(text) <= SHORT:
        return len(text)
    return max((len(w) for w in text.split()), default=0)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken between words only."""
    import textwrap

    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def table(result: Result, width: int = 100) -> str:
    """A text table that fits ``width`` columns; long text wraps between words, nothing is cut.

    Every column is kept: each is at least as wide as its header, its longest word, its IRIs and
    its short values (numbers, qualifiers), so no word, number or IRI is ever broken. When the
    columns cannot fit side by side, each row is printed as a block of ``name  value`` lines and
    the footer says so.
    """
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    if result.kind == "graph":
        return result.ntriples
    variables = result.variables
    cells = [[(short(r[v]) if v in r else "") for v in variables] for r in result.rows]
    iris = [any(v in r and r[v].kind == "uri" for r in result.rows) for v in variables]
    natural = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(variables)]
    least = [max([len(v)] + [_unbreakable(row[i], iris[i]) for row in cells])
             for i, v in enumerate(variables)]
    footer = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    footer += ", cut at the result-size limit" if result.truncated else ""
    room = width - len(GAP) * (len(variables) - 1)
    if sum(least) > room and not cells:
        return footer + ")"
    if sum(least) > room:
        footer += f"; one record per block: {len(variables)} columns do not fit {width} "
        return "\n".join([*records(variables, cells, width), footer + "characters)"])
    widths = _widths(natural, least, room)
    lines = [GAP.join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip(),
             "\u2500" * min(width, sum(widths) + len(GAP) * (len(variables) - 1))]
    for row in cells:
        wrapped = [_wrap(c, w) for c, w in zip(row, widths, strict=True)]
        for k in range(max(len(x) for x in wrapped)):
            lines.append(GAP.join((x[k] if k < len(x) else "").ljust(w)
                                  for x, w in zip(wrapped, widths, strict=True)).rstrip())
    return "\n".join([*lines, footer + ")"])


def _widths(natural: list[int], least: list[int], room: int) -> list[int]:
    """Column widths within ``room``: natural where it fits, else the widest columns give way."""
    widths = list(natural)
    while sum(widths) > room:
        i = max(range(len(widths)), key=lambda j: (widths[j] - least[j] > 0, widths[j]))
        if widths[i] <= least[i]:
            break
        widths[i] -= 1
    return widths


def records(variables: list[str], cells: list[list[str]], width: int) -> list[str]:
    """Rows as blocks of ``name  value`` lines, for results too wide for columns.

    Nothing is cut or dropped; long values wrap between words (a single word or IRI longer than
    the line stays whole).
    """
    key = max(len(v) for v in variables)
    out: list[str] = []
    for n, row in enumerate(cells, 1):
        out.append(f"-[ row {n} ]" + "-" * max(0, min(width, 40) - 12 - len(str(n))))
        for v, c in zip(variables, row, strict=True):
            if not c:
                continue
            wrapped = _wrap(c, max(20, width - key - 2))
            out.append(f"{v.ljust(key)}  {wrapped[0]}")
            out += [" " * (key + 2) + more for more in wrapped[1:]]
    return out


CHUNK_ROWS = 512  # rows per piece written while streaming: few writes, little held


def _tuples(answer: Result | Rows) -> Iterator[tuple[Term | None, ...]]:
    """Rows as tuples in variable order, whether read lazily or already materialised."""
    if isinstance(answer, Rows):
        return iter(answer)
    variables = answer.variables
    return (tuple(r.get(v) for v in variables) for r in answer.rows)


def stream_select(answer: Result | Rows, fmt: str) -> Iterator[str]:
    """CSV, TSV or SPARQL JSON in pieces, written as the engine hands rows over.

    The materialised writers (`delimited`, `sparql_json`) are this joined, so a streamed answer
    is the materialised one, byte for byte.
    """
    from kg.query.answertables import TableRows

    if isinstance(answer, TableRows) and fmt == "csv":
        return answer.csv_pieces()  # a precomputed answer, converted by Oxigraph
    if fmt == "json":
        return _json_pieces(answer)
    return _delimited_pieces(answer, "," if fmt == "csv" else "\t")


def _delimited_pieces(answer: Result | Rows, delimiter: str) -> Iterator[str]:
    buf = io.StringIO()
    variables = answer.variables
    if delimiter == ",":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        cell: Callable[[Term], str] = _plain
        write = w.writerow
    else:
        buf.write("\t".join(f"?{v}" for v in variables) + "\n")
        cell = _n3

        def write(values: list[str]) -> None:
            buf.write("\t".join(values) + "\n")
    cache: dict[Term, str] = {}
    for n, row in enumerate(_tuples(answer), 1):
        values = []
        for t in row:
            if t is None:
                values.append("")
                continue
            text = cache.get(t)
            if text is None:
                text = cache[t] = cell(t)
            values.append(text)
        write(values)
        if n % CHUNK_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _plain(t: Term) -> str:
    return t.value


def _json_term(t: Term) -> str:
    """One bound term as the lines json.dumps(indent=1) writes at the depth of a binding."""
    d: dict[str, str] = {"type": t.kind, "value": t.value}
    if t.datatype:
        d["datatype"] = t.datatype
    if t.lang:
        d["xml:lang"] = t.lang
    return json.dumps(d, ensure_ascii=False, indent=1).replace("\n", "\n    ")


def _json_pieces(answer: Result | Rows) -> Iterator[str]:
    """SPARQL JSON laid out exactly as ``json.dumps(doc, ensure_ascii=False, indent=1)``."""
    variables = answer.variables
    head = json.dumps({"head": {"vars": variables}}, ensure_ascii=False, indent=1)
    names = [json.dumps(v, ensure_ascii=False) for v in variables]
    cache: dict[Term, str] = {}
    parts = [head[:-2] + ',\n "results": {\n  "bindings": [']
    first = True
    count = 0
    for count, row in enumerate(_tuples(answer), 1):
        fields = []
        for name, t in zip(names, row, strict=True):
            if t is None:
                continue
            text = cache.get(t)
            if text is None:
                text = cache[t] = _json_term(t)
            fields.append(f"    {name}: {text}")
        body = "{\n" + ",\n".join(fields) + "\n   }" if fields else "{}"
        parts.append(("\n   " if first else ",\n   ") + body)
        first = False
        if count % CHUNK_ROWS == 0:
            yield "".join(parts)
            parts = []
    parts.append("\n  ]\n }" if not first else "]\n }")
    tail: dict[str, object] = {}
    if answer.truncated:  # known only now: the writer has read every row of the page
        tail["truncated"] = True
        tail["has_more"] = True
        tail["next_offset"] = answer.offset + count
    if answer.warnings:
        tail["warnings"] = answer.warnings
    for key, value in tail.items():
        parts.append(f",\n {json.dumps(key)}: "
                     + json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n "))
    parts.append("\n}")
    yield "".join(parts)


def delimited(result: Result, delimiter: str) -> str:
    """CSV (plain values, SPARQL 1.1 CSV) or TSV (N-Triples terms, SPARQL 1.1 TSV)."""
    return "".join(_delimited_pieces(result, delimiter))


def sparql_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON; a cut page says ``"has_more"`` and ``"next_offset"``.

    (``"truncated": true`` too, as before paging.)
    """
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    return "".join(_json_pieces(result))


def sparql_xml(result: Result) -> str:
    """SPARQL Query Results XML."""
    from xml.sax.saxutils import escape  # imported here: it pulls in urllib and email (80 ms)

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("<head>" + "".join(f'<variable name="{escape(v)}"/>'
                                      for v in result.variables) + "</head>")
        out.append("<results>")
        for r in result.rows:
            out.append("<result>")
            for v, t in r.items():
                if t.kind == "uri":
                    inner = f"<uri>{escape(t.value)}</uri>"
                elif t.kind == "bnode":
                    inner = f"<bnode>{escape(t.value)}</bnode>"
                else:
                    attrs = f' datatype="{escape(t.datatype)}"' if t.datatype else ""
                    attrs += f' xml:lang="{escape(t.lang)}"' if t.lang else ""
                    inner = f"<literal{attrs}>{escape(t.value)}</literal>"
                out.append(f'<binding name="{escape(v)}">{inner}</binding>')
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out)


def render_select(result: Result, fmt: str, width: int = 100) -> str:
    """A SELECT/ASK result in one of SELECT_FORMATS (``width``: of a table)."""
    return {"table": lambda r: table(r, width), "csv": lambda r: delimited(r, ","),
            "tsv": lambda r: delimited(r, "\t"), "json": sparql_json,
            "xml": sparql_xml}[fmt](result)


def render_graph(result: Result, fmt: str) -> str:
    """A CONSTRUCT/DESCRIBE result in one of GRAPH_FORMATS."""
    if fmt == "ntriples":
        return result.ntriples
    from rdflib import Graph

    from kg.triples import bind_prefixes

    g = Graph()
    bind_prefixes(g)
    g.parse(data=result.ntriples, format="nt")
    return g.serialize(format="turtle" if fmt == "turtle" else "json-ld")
