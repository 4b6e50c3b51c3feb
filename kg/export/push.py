"""Load the built dataset into a SPARQL 1.1 store over the Graph Store HTTP Protocol.

Each named graph of ``graph.trig`` (one per document, entities, provenance, summaries) and the
ontology beside it is sent with one ``PUT STORE?graph=IRI``, which replaces that graph. The
graphs of a load are listed in one more graph, ``…/graph/load``; the next push reads it back and
deletes the graphs that are no longer built, so a push replaces the previous load entirely and
never touches graphs it did not write.

Atomicity, honestly: a store applies each PUT as a unit, but the load as a whole is not one
transaction. While a push runs, a query may see some graphs new and others old; if it stops
half-way the store holds a mix until the next push. New graphs are written before stale ones are
deleted, so a statement is never missing from both loads at once.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.query.credentials import Auth, Credentials
from kg.query.engine import ONTOLOGY_GRAPH, QueryError, companions
from kg.query.remote import http
from kg.vocab import INSTANCE_IRI

LOAD_GRAPH = INSTANCE_IRI + "graph/load"
HAS_PART = "http://purl.org/dc/terms/hasPart"
CREATED = "http://purl.org/dc/terms/created"
NTRIPLES = "application/n-triples"


@dataclass
class PushReport:
    """What a push did: graphs written (IRI → triples) and graphs of the last load removed."""

    written: dict[str, int] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    seconds: float = 0.0


def graph_url(store: str, graph: str) -> str:
    """The Graph Store Protocol address of one named graph (``?graph=`` indirect naming)."""
    sep = "&" if "?" in store else "?"
    return f"{store}{sep}{urllib.parse.urlencode({'graph': graph})}"


def read_graphs(trig: Path) -> dict[str, list[ox.Triple]]:
    """The named graphs of a TriG file, and the ontology written beside it, as triples."""
    if not trig.exists():
        raise QueryError(f"{trig} not found: build the graph first (make graph, or kg build)")
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            raise QueryError(f"{trig}: has triples outside named graphs; push keeps graphs by name")
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    for onto in companions(trig):
        graphs[ONTOLOGY_GRAPH] = [q.triple for q in ox.parse(path=str(onto),
                                                             format=ox.RdfFormat.TURTLE)]
    return graphs


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def previous_load(store: str, timeout: float, auth: Auth | None = None) -> list[str]:
    """The graphs the last push wrote, from its load graph (none if there was no push)."""
    resp = http("GET", graph_url(store, LOAD_GRAPH), headers={"Accept": NTRIPLES},
                timeout=timeout, auth=auth, write=True)
    if resp.status == 404 or not resp.body.strip():
        return []
    try:
        triples = ox.parse(resp.body, format=ox.RdfFormat.N_TRIPLES)
        return sorted(t.object.value for t in triples if t.predicate.value == HAS_PART)
    except SyntaxError as exc:
        raise QueryError(f"{store}: the load graph {LOAD_GRAPH} is not N-Triples: {exc}") from None


def _load_record(graphs: list[str]) -> list[ox.Triple]:
    load = ox.NamedNode(LOAD_GRAPH)
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    xsd_datetime = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
    return [ox.Triple(load, ox.NamedNode(HAS_PART), ox.NamedNode(g)) for g in graphs] + [
        ox.Triple(load, ox.NamedNode(CREATED), ox.Literal(now, datatype=xsd_datetime))]


def push(trig: Path, store: str, say: Callable[[str], None] = print,
         timeout: float = 120.0, credentials: Credentials | None = None) -> PushReport:
    """Replace the previous load in ``store`` (a Graph Store Protocol URL) with ``trig``.

    ``credentials`` are sent only when the store asks (HTTP Digest or Basic); one challenge
    serves the whole push.
    """
    start = time.perf_counter()
    graphs = read_graphs(trig)
    report = PushReport()
    auth = Auth(credentials) if credentials else None
    old = previous_load(store, timeout, auth)
    for name, triples in graphs.items():
        t = time.perf_counter()
        resp = http("PUT", graph_url(store, name), _ntriples(triples),
                    {"Content-Type": NTRIPLES}, timeout, auth)
        if resp.status == 404:
            raise QueryError(f"PUT {graph_url(store, name)}: HTTP 404: no Graph Store endpoint "
                             "at this URL (Oxigraph: …/store, Fuseki: …/DATASET/data, "
                             "Virtuoso: …/sparql-graph-crud-auth)")
        report.written[name] = len(triples)
        say(f"PUT {name}: {len(triples):,} triples ({time.perf_counter() - t:.2f} s)")
    for name in old:
        if name not in graphs:
            http("DELETE", graph_url(store, name), timeout=timeout, auth=auth)
            report.deleted.append(name)
            say(f"DELETE {name}: not in this build")
    http("PUT", graph_url(store, LOAD_GRAPH), _ntriples(_load_record(sorted(graphs))),
         {"Content-Type": NTRIPLES}, timeout, auth)
    report.seconds = time.perf_counter() - start
    return report
