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

from kg.query.curies import compact
from kg.query.engine import Result, Term

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


def table(result: Result, width: int = 100) -> str:
    """A text table that fits ``width`` columns; long text wraps, IRIs are never cut.

    Layout by rich (shrinks and wraps columns to the width), rather than by hand; cells are
    passed as `rich.text.Text`, so brackets in labels are never read as markup. An IRI column
    keeps its full width (a cut CURIE cannot be pasted back) while the other columns wrap.
    """
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    if result.kind == "graph":
        return result.ntriples
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [[(short(r[v]) if v in r else "") for v in result.variables] for r in result.rows]
    footer = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    footer += ", cut at the result-size limit)" if result.truncated else ")"
    needed = sum(min(max([len(v)] + [len(row[i]) for row in cells]), SHORT)
                 if not any(v in r and r[v].kind == "uri" for r in result.rows)
                 else max([len(v)] + [len(row[i]) for row in cells])
                 for i, v in enumerate(result.variables)) + 2 * len(result.variables)
    if needed > width:
        return "\n".join([*records(result.variables, cells, width), footer])
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    for i, v in enumerate(result.variables):
        iris = any(v in r and r[v].kind == "uri" for r in result.rows)
        longest = max([len(v)] + [len(row[i]) for row in cells])
        if iris or longest <= SHORT:
            grid.add_column(v, no_wrap=True, min_width=min(longest, width), overflow="fold")
        else:
            grid.add_column(v, overflow="fold", min_width=SHORT)
    for row in cells:
        grid.add_row(*(Text(c) for c in row))
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, force_terminal=False, highlight=False,
            emoji=False, soft_wrap=False).print(grid)
    lines = [line.rstrip() for line in buf.getvalue().splitlines()]
    return "\n".join([*lines, footer])


def records(variables: list[str], cells: list[list[str]], width: int) -> list[str]:
    """Rows as blocks of ``name  value`` lines, for results too wide for columns.

    Nothing is cut or dropped (rich drops columns that do not fit); long values wrap.
    """
    import textwrap

    key = max(len(v) for v in variables)
    out: list[str] = []
    for n, row in enumerate(cells, 1):
        out.append(f"-[ row {n} ]" + "-" * max(0, min(width, 40) - 12 - len(str(n))))
        for v, c in zip(variables, row, strict=True):
            if not c:
                continue
            wrapped = textwrap.wrap(c, max(20, width - key - 2), break_long_words=False,
                                    break_on_hyphens=False) or [""]
            out.append(f"{v.ljust(key)}  {wrapped[0]}")
            out += [" " * (key + 2) + more for more in wrapped[1:]]
    return out


def delimited(result: Result, delimiter: str) -> str:
    """CSV (plain values, SPARQL 1.1 CSV) or TSV (N-Triples terms, SPARQL 1.1 TSV)."""
    buf = io.StringIO()
    if delimiter == ",":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(result.variables)
        for r in result.rows:
            w.writerow([r[v].value if v in r else "" for v in result.variables])
    else:
        buf.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for r in result.rows:
            buf.write("\t".join(_n3(r[v]) if v in r else "" for v in result.variables) + "\n")
    return buf.getvalue()


def sparql_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON (with ``"truncated": true`` when the limit cut rows)."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    bindings = []
    for r in result.rows:
        b = {}
        for v, t in r.items():
            d: dict[str, str] = {"type": t.kind if t.kind != "bnode" else "bnode",
                                 "value": t.value}
            if t.datatype:
                d["datatype"] = t.datatype
            if t.lang:
                d["xml:lang"] = t.lang
            b[v] = d
        bindings.append(b)
    doc: dict[str, object] = {"head": {"vars": result.variables},
                              "results": {"bindings": bindings}}
    if result.truncated:
        doc["truncated"] = True
    if result.warnings:
        doc["warnings"] = result.warnings
    return json.dumps(doc, ensure_ascii=False, indent=1)


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

    from kg.assemble import bind_prefixes

    g = Graph()
    bind_prefixes(g)
    g.parse(data=result.ntriples, format="nt")
    return g.serialize(format="turtle" if fmt == "turtle" else "json-ld")
