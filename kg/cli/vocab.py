"""``kg vocab``: every section and field of the evidence files, with its allowed values."""

from __future__ import annotations

import argparse
from typing import Any


def cmd_vocab(args: argparse.Namespace) -> int:
    """Print every section and field of the evidence files with its allowed values."""
    from kg.sources.schema import SECTIONS, reference_lines

    if args.markdown:
        print("\n".join(reference_lines()))
        return 0
    for section, (about, fields) in SECTIONS.items():
        print(f"{section}: {about}")
        for f in fields:
            need = ", required" if f.required else ""
            print(f"  {f.name} ({f.type}{need}): {f.meaning}")
            if f.values:
                print(f"      one of: {', '.join(f.values)}")
    return 0


def add_vocab(sub: Any) -> None:
    """The ``kg vocab`` subcommand and its options."""
    vo = sub.add_parser("vocab", help="list every field of the evidence files and its values")
    vo.add_argument("--markdown", action="store_true",
                    help="print the reference page (docs/evidence-format.md)")
    vo.set_defaults(func=cmd_vocab)
