"""``output/build-report.json``: what each build made, so the next build can refuse a silent shrink.

Every build writes the counts of its report, and per document the number of curated records and
the triples of the document's named graph. The next build compares **records**: they are what a
curator writes and what a cut-short file or a bad merge loses, while triple counts also move
when a builder changes for good reasons. A document that disappeared, or lost more than half of
its records, is refused unless the user says it is intended (``kg build --allow-shrink``). The
file holds no timings, so two builds of the same input write the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.assemble import BuildReport

REPORT_FILE = "build-report.json"
FORMAT = 1
ALLOW = "if that is intended, build with --allow-shrink"
SKIP = "build with --allow-shrink to skip the comparison (the build then writes a new report)"


def report_json(report: BuildReport) -> str:
    """The report as stable, sorted JSON."""
    data = {
        "format": FORMAT,
        "about": "written by kg build; the next build compares each document's records with "
                 "these and refuses a document that is gone or lost more than half of them",
        "triples": report.triples,
        "triples_per_builder": report.triples_per_builder,
        "triples_per_graph": report.triples_per_graph,
        "nodes": report.counts,
        "documents": {doc: {"file": Path(d.file).name, "records": d.records,
                            "triples": d.triples}
                      for doc, d in sorted(report.documents.items())},
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def write_build_report(report: BuildReport, path: Path) -> None:
    """Write the report of a build into its output folder."""
    path.write_text(report_json(report), encoding="utf-8")


def read_previous(path: Path, problems: list[str]) -> dict[str, tuple[str, int]] | None:
    """Per document (evidence file name, records) of the last build; None if there was none.

    A report that exists but cannot be read is a problem: without it nothing can be compared,
    and a silent skip is exactly what the comparison is there to prevent.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        problems.append(f"{path}:1: build report: cannot read it ({reason}); {SKIP}")
        return None
    try:
        data = json.loads(text)
        docs = data["documents"]
        previous = {str(doc): (str(d["file"]), int(d["records"])) for doc, d in docs.items()}
    except json.JSONDecodeError as exc:
        problems.append(f"{path}:{exc.lineno}: build report: not JSON ({exc.msg}); {SKIP}")
        return None
    except (KeyError, TypeError, ValueError, AttributeError):
        problems.append(f"{path}:1: build report: no per-document record counts in it; {SKIP}")
        return None
    return previous


def shrink_problems(previous: dict[str, tuple[str, int]], report: BuildReport, since: Path
                    ) -> list[str]:
    """Documents of the last build that are gone, or kept less than half of their records."""
    problems = []
    folder = Path(next(iter(report.documents.values())).file).parent if report.documents else None
    for doc, (name, before) in sorted(previous.items()):
        now = report.documents.get(doc)
        if now is None:
            where = str(folder / name) if folder is not None else name
            problems.append(f"{where}:1: document: {doc!r} is gone: the last build ({since}) had "
                            f"it with {before} records; {ALLOW}")
        elif now.records * 2 < before:
            problems.append(f"{now.file}:{now.line}: document: {doc!r} has {now.records} records, "
                            f"the last build ({since}) had {before}: more than half are gone; "
                            f"{ALLOW}")
    return problems
