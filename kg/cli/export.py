"""``kg export``: evidence tables, KGX or a checksummed release bundle of the built graph."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kg import paths
from kg.cli.common import EXIT_INPUT, EXIT_INVALID, err


def cmd_export(args: argparse.Namespace) -> int:
    """Export the built graph: evidence tables, KGX, or a checksummed release bundle."""
    from kg.export.tables import ExportError

    try:
        if args.what == "release" and args.verify:
            from kg.export.release import verify_release

            problems = verify_release(args.verify)
            for p in problems:
                err(p)
            if problems:
                err(f"error: {args.verify}: {len(problems)} problem(s); the bundle does not "
                    "verify")
                return EXIT_INVALID
            print(f"{args.verify}: every file matches SHA256SUMS, and manifest.json agrees")
            return 0
        if args.out is None:
            err(f"error: kg export {args.what}: give --out DIR")
            return EXIT_INPUT
        files = export_files(args)
    except ExportError as exc:
        err(f"error: {exc}")
        return EXIT_INPUT
    for f in files:
        print(f"wrote {f} ({f.stat().st_size:,} bytes)")
    return 0


def export_files(args: argparse.Namespace) -> list[Path]:
    """Run the chosen exporter; each checks the built graph and the folder first."""
    if args.what == "tables":
        from kg.export.tables import export_tables

        return export_tables(args.graph, args.out)
    if args.what == "kgx":
        from kg.export.kgx import export_kgx

        return export_kgx(args.graph, args.out)
    from kg.export.release import export_release

    return export_release(args.graph, args.out, date=args.date)


def add_export(sub: Any) -> None:
    """The ``kg export`` subcommand and its options."""
    ex = sub.add_parser("export", help="export the built graph: tables, KGX or a release")
    ex.add_argument("what", choices=["tables", "kgx", "release"],
                    help="tables: one CSV per kind of statement; kgx: KGX TSV with Biolink "
                         "terms; release: a versioned, checksummed bundle of everything")
    ex.add_argument("--out", type=Path, help="folder to write into (created if missing)")
    ex.add_argument("--graph", type=Path, default=paths.OUTPUT_DIR / "graph.trig",
                    help="the built graph (default output/graph.trig)")
    ex.add_argument("--date", help="release date as YYYY-MM-DD (default today; fixing it "
                    "makes the bundle byte-identical for the same graph)")
    ex.add_argument("--verify", type=Path, metavar="DIR",
                    help="with release: check a bundle's files against its SHA256SUMS")
    ex.set_defaults(func=cmd_export)
