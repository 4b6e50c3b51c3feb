"""Write query results in every format ``kg query`` and ``kg serve`` offer.

SELECT/ASK: aligned table, CSV, TSV, SPARQL 1.1 JSON and XML; CONSTRUCT/DESCRIBE: Turtle,
N-Triples or JSON-LD.
"""

from __future__ import annotations

import csv
import io
import json

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


def _short(t: Term) -> str:
    from kg.prefixes import PREFIXES

    if t.kind == "uri":
        for prefix, ns in PREFIXES.items():
            if t.value.startswith(ns):
                return f"{prefix}:{t.value[len(ns):]}"
    return " ".join(t.value.split())


def table(result: Result, width: int = 60) -> str:
    """An aligned text table (long cells cut at ``width`` characters)."""
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    if result.kind == "graph":
        return result.ntriples
    cells = [[(_short(r[v]) if v in r else "") for v in result.variables] for r in result.rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(
        result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
              for row in cells]
    footer = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    footer += ", cut at the result-size limit)" if result.truncated else ")"
    return "\n".join([*lines, footer])


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


def render_select(result: Result, fmt: str) -> str:
    """A SELECT/ASK result in one of SELECT_FORMATS."""
    return {"table": table, "csv": lambda r: delimited(r, ","),
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
