"""``kg audit`` and ``kg validate``: every number of the sources covered; any RDF file checked."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kg import paths
from kg.cli.common import EXIT_INPUT, EXIT_INVALID, err


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate any RDF file against the shapes (as SPARQL; with pySHACL given ``--full``)."""
    from rdflib import Dataset, Graph

    from kg.assemble import to_store
    from kg.validate import check_store, validate_graph

    fmt = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt",
           ".jsonld": "json-ld", ".json": "json-ld"}.get(args.file.suffix)
    if fmt is None:
        err(f"error: {args.file}: unknown RDF format (use .ttl, .trig, .nq, .nt or .jsonld)")
        return EXIT_INPUT
    try:
        if fmt in {"trig", "nquads"}:
            ds = Dataset()
            ds.parse(args.file, format=fmt)
            graph = Graph()
            for s, p, o, _ in ds.quads():
                graph.add((s, p, o))
        else:
            graph = Graph().parse(args.file, format=fmt)
    except FileNotFoundError:
        err(f"error: {args.file}: no such file")
        return EXIT_INPUT
    except Exception as exc:
        err(f"error: {args.file}: cannot parse as {fmt}: {str(exc).splitlines()[0]}")
        return EXIT_INPUT
    problems = validate_graph(graph) if args.full else check_store(to_store([("urn:x-kg:file",
                                                                             graph)]))
    for p in problems:
        print(p)
    print(f"{args.file}: {len(graph)} triples, {len(problems)} problem(s)")
    return EXIT_INVALID if problems else 0


def cmd_audit(args: argparse.Namespace) -> int:
    """List every number in the source texts with what covers or explains it."""
    from kg.assemble import build
    from kg.audit import audit
    from kg.sources.loader import load_corpus

    result = build(args.sources)
    corpus, texts = load_corpus(args.sources)
    occurrences = audit(result.union(), corpus, texts)
    counts: dict[str, dict[str, int]] = {}
    for occ in occurrences:
        counts.setdefault(occ.doc, {"covered": 0, "explained": 0, "unexplained": 0})
        counts[occ.doc][occ.status] += 1
        if args.all or occ.status == "unexplained":
            print(occ)
    for doc, c in counts.items():
        print(f"{doc}: {sum(c.values())} numbers: {c['covered']} covered, {c['explained']} "
              f"explained, {c['unexplained']} unexplained")
    unexplained = sum(c["unexplained"] for c in counts.values())
    if unexplained:
        err(f"error: {unexplained} number(s) neither covered nor explained")
        return EXIT_INVALID
    return 0


def add_audit(sub: Any) -> None:
    """The ``kg audit`` subcommand and its options."""
    a = sub.add_parser("audit", help="check that every number in the sources is in the graph")
    a.add_argument("--sources", type=Path, default=paths.SOURCES_DIR)
    a.add_argument("--all", action="store_true", help="list covered and explained numbers too")
    a.set_defaults(func=cmd_audit)


def add_validate(sub: Any) -> None:
    """The ``kg validate`` subcommand and its options."""
    v = sub.add_parser("validate", help="check an RDF file against ontology/shapes.ttl")
    v.add_argument("file", type=Path)
    v.add_argument("--full", action="store_true",
                   help="validate with pySHACL (slower) instead of the shapes compiled to SPARQL")
    v.set_defaults(func=cmd_validate)
