"""``kg serve``'s ``/node?iri=...``: one node of the graph described as an HTML page.

A result cell of the query editor links here, so a researcher can follow an IRI (a study, a
comparison, an evidence span) without writing a DESCRIBE: what the node states (its properties,
with labels) and what points at it, every IRI again a link. Built from two SELECT queries run by
the server's own workers, under the same limits as any query; text is escaped, never parsed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote

from kg.query.curies import compact, expand

OUT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?p ?pl ?o ?ol WHERE {{ <{iri}> ?p ?o .
  OPTIONAL {{ ?p rdfs:label ?pl }} OPTIONAL {{ ?o rdfs:label ?ol }} }} ORDER BY ?p ?o"""
IN = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?sl ?p ?pl WHERE {{ ?s ?p <{iri}> .
  OPTIONAL {{ ?p rdfs:label ?pl }} OPTIONAL {{ ?s rdfs:label ?sl }} }} ORDER BY ?p ?s"""
BAD_IRI = re.compile(r'[\s<>"{}|^`\\]')
STYLE = ("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
         "table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;"
         "padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}"
         ".iri{color:#555;font-size:12px}")


def node_iri(value: str) -> str | None:
    """The IRI a ``iri=`` value names (a full IRI or a CURIE the tool printed), or None."""
    iri = expand(value.strip())
    if not iri.startswith(("http://", "https://", "urn:")) or BAD_IRI.search(iri):
        return None
    return iri


def link(term: dict) -> str:
    """A SPARQL JSON term as HTML: an IRI links to its own node page, a literal is text."""
    if term.get("type") == "uri":
        iri = term["value"]
        return (f'<a href="node?iri={quote(iri, safe="")}" title="{html.escape(iri)}">'
                f"{html.escape(compact(iri))}</a>")
    return html.escape(term.get("value", ""))


def _named(term: dict, label: dict | None) -> str:
    text = link(term)
    return f"{html.escape(label['value'])} <span class=iri>{text}</span>" if label else text


def node_page(iri: str, run: Callable[[str], dict]) -> str:
    """The page of one node; ``run`` answers a SELECT as SPARQL JSON (or raises)."""
    out = run(OUT.format(iri=iri))
    inc = run(IN.format(iri=iri))
    label = next((b["o"]["value"] for b in out["results"]["bindings"]
                  if b["p"]["value"].endswith("rdf-schema#label")), compact(iri))
    rows_out = "".join(f"<tr><td>{_named(b['p'], b.get('pl'))}</td>"
                       f"<td>{_named(b['o'], b.get('ol'))}</td></tr>"
                       for b in out["results"]["bindings"])
    rows_in = "".join(f"<tr><td>{_named(b['s'], b.get('sl'))}</td>"
                      f"<td>{_named(b['p'], b.get('pl'))}</td></tr>"
                      for b in inc["results"]["bindings"])
    cut = " (cut at the server's result-size limit)"
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8>"
             f"<title>{html.escape(label)}</title><style>{STYLE}</style></head><body>",
             '<p><a href="./">← query editor</a></p>',
             f"<h1>{html.escape(label)}</h1><p class=iri>{html.escape(compact(iri))} · "
             f"{html.escape(iri)}</p>"]
    if not rows_out and not rows_in:
        parts.append("<p>No statement of the graph names this IRI.</p>")
    if rows_out:
        parts.append(f"<h2>What it states{cut if out.get('truncated') else ''}</h2>"
                     f"<table><tr><th>property</th><th>value</th></tr>{rows_out}</table>")
    if rows_in:
        parts.append(f"<h2>What points at it{cut if inc.get('truncated') else ''}</h2>"
                     f"<table><tr><th>node</th><th>property</th></tr>{rows_in}</table>")
    parts.append("</body></html>")
    return "".join(parts)
