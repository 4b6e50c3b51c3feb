"""``kg draft``: draft an evidence file from a paper, or list what is left to review (``--check``).

Only calls kg.draft's public functions: the drafter is its own package.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kg import paths
from kg.cli.common import EXIT_INPUT, EXIT_UNREVIEWED, err


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft an evidence file from a paper's text into the sources folder, for review."""
    from kg.draft import DraftError, draft_paper

    if args.check is not None:
        return _draft_check(args.check)
    if args.paper is None:
        err("error: give a paper to draft, or --check FILE")
        return EXIT_INPUT
    try:
        report = draft_paper(args.paper, args.sources, args.id, args.add_names)
    except DraftError as exc:
        err(f"error: {exc}")
        return EXIT_INPUT
    where = f", attached to the existing study {report.attached_to!r}" if report.attached_to \
        else ""
    if report.added:
        print(f"added {len(report.added)} name(s) to entities.yaml (labels only, no "
              f"identifiers; review them): {', '.join(report.added)}")
    print(f"wrote {report.text}")
    print(f"wrote {report.evidence} ({report.records} records{where})")
    if report.dropped:
        print(f"dropped {len(report.dropped)} record(s) the build rejected: "
              f"{', '.join(report.dropped)}")
    if report.unlinked:
        print(f"{len(report.unlinked)} name(s) not in entities.yaml, proposed at the top of the "
              f"draft: {', '.join(report.unlinked)}")
    print(f"{len(report.unplaced)} number(s) of the text placed in no record (listed at the top "
          "of the draft); review, then kg build and kg audit")
    return 0


def _draft_check(path: Path) -> int:
    """List the records of an evidence file still marked drafted; exit 3 while any is left."""
    from kg.draft.review import unreviewed

    left, problems = unreviewed(path)
    for p in problems:
        err(p)
    if problems:
        return EXIT_INPUT
    for u in left:
        print(f"{path}:{u.line}: {u.where} ({u.id}): drafted by rule {u.rule!r}, not reviewed")
    print(f"{len(left)} record(s) of {path} not reviewed" if left else
          f"{path}: every record reviewed")
    return EXIT_UNREVIEWED if left else 0


def add_draft(sub: Any) -> None:
    """The ``kg draft`` subcommand and its options."""
    dr = sub.add_parser("draft", help="draft an evidence file from a paper's text")
    dr.add_argument("paper", type=Path, nargs="?", help="plain text (optionally with 'Field: "
                    "value' header lines) or PubMed MEDLINE format")
    dr.add_argument("--id", help="document id (default: from the file name)")
    dr.add_argument("--sources", type=Path, default=paths.SOURCES_DIR,
                    help="sources folder to write into (default: the shipped one)")
    dr.add_argument("--add-names", action="store_true",
                    help="add the drug, intervention and disease names entities.yaml lacks to "
                         "it (labels only, never identifiers) and draft with them")
    dr.add_argument("--check", type=Path, metavar="FILE",
                    help="list the records of an evidence file still marked drafted (exit 3 "
                         "while any is left)")
    dr.set_defaults(func=cmd_draft)
