"""A release bundle: everything a researcher cites, versioned, dated and checksummed.

``kg export release --out DIR`` writes ``DIR/dti-kg-<version>-<date>/`` with the graph (Turtle,
TriG, JSON-LD), the ontology, the evidence tables, KGX, the build report, a ``manifest.json``
(version, date, counts, the source texts' checksums, every file's size and checksum) and
``SHA256SUMS`` in the format ``sha256sum -c`` reads. Given the same graph and ``--date`` the
bundle is byte-identical, so its checksums can be published and checked later with
``kg export release --verify``.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import importlib.metadata
import json
import os
import shutil
import tomllib
from pathlib import Path

from kg.export.kgx import write_kgx
from kg.export.tables import ExportError, open_graph, writable_folder, write_tables
from kg.paths import PROJECT_DIR
from kg.query.engine import Engine

NAME = "dti-kg"
GRAPH_FILES = ("graph.ttl", "graph.trig", "graph.jsonld", "ontology.ttl", "build-report.json")
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
KG = "https://w3id.org/dti-kg/ontology#"


def tool_version() -> str:
    """The project's version: the installed package's, else pyproject.toml's."""
    try:
        return importlib.metadata.version(NAME)
    except importlib.metadata.PackageNotFoundError:
        with (PROJECT_DIR / "pyproject.toml").open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])


def release_date(text: str | None) -> str:
    """The release date as YYYY-MM-DD: the one given, or today (UTC)."""
    if text is None:
        return datetime.datetime.now(datetime.UTC).date().isoformat()
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ExportError(f"--date {text!r}: expected a date as YYYY-MM-DD") from None


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundle_files(folder: Path) -> list[Path]:
    """Every file of a bundle except the checksum list, sorted by relative path."""
    return sorted((p for p in folder.rglob("*") if p.is_file() and p.name != SUMS),
                  key=lambda p: p.relative_to(folder).as_posix())


def counts(engine: Engine, folder: Path) -> dict[str, object]:
    """Triples per named graph, statements by kind, rows per table and KGX size."""
    per_graph = {r["g"].value: int(r["n"].value) for r in engine.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    ).rows if not r["g"].value.endswith("/graph/ontology")}
    by_class = {r["c"].value.split("#")[-1]: int(r["n"].value) for r in engine.query(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "
        f"'{KG}')) FILTER NOT EXISTS {{ GRAPH <https://w3id.org/dti-kg/id/graph/ontology> "
        "{ ?s ?p ?o } } } GROUP BY ?c ORDER BY ?c").rows}
    kgx = {p.stem: sum(1 for _ in p.open(encoding="utf-8")) - 1  # a TSV row is one line
           for p in sorted((folder / "kgx").glob("*.tsv"))}
    tables = {p.stem: data_rows(p) for p in sorted((folder / "tables").glob("*.csv"))}
    return {"triples": sum(per_graph.values()), "triples_per_graph": per_graph,
            "instances_per_class": by_class, "table_rows": tables, "kgx": kgx}


def data_rows(path: Path) -> int:
    """Rows of a CSV below its header (quotes hold line breaks, so lines are not rows)."""
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def sources(engine: Engine) -> list[dict[str, str]]:
    """The source texts the graph was built from, with the checksums the build verified."""
    return [{"document": r["d"].value, "file": r["f"].value, "sha256": r["h"].value}
            for r in engine.query(
                f"SELECT ?d ?f ?h WHERE {{ ?d <{KG}sourceFile> ?f ; <{KG}sha256> ?h }} "
                "ORDER BY ?d").rows]


def readme_text(version: str, date: str) -> str:
    """The bundle's README."""
    return f"""# {NAME} {version} ({date})

A release of the drug-target-indication evidence graph, written by `kg export release`.

| path | what it is |
|---|---|
| `graph.ttl`, `graph.trig`, `graph.jsonld` | the graph (TriG keeps its named graphs) |
| `ontology.ttl` | the ontology the graph was built against |
| `build-report.json` | what the build made, per builder and per document |
| `tables/` | evidence tables, one CSV per kind; `tables/README.md` describes the columns |
| `kgx/` | KGX TSV (`nodes.tsv`, `edges.tsv`) and `context.jsonld`, its own CURIE prefixes |
| `manifest.json` | version, date, counts, source checksums, every file's size and SHA-256 |
| `SHA256SUMS` | checksums of every other file |

Check the bundle with `sha256sum -c SHA256SUMS` or `kg export release --verify <this folder>`.
"""


def write_bundle(engine: Engine, graph_dir: Path, folder: Path, version: str, date: str
                 ) -> None:
    """Fill ``folder`` with the bundle."""
    for name in GRAPH_FILES:
        shutil.copyfile(graph_dir / name, folder / name)
    write_tables(engine, folder / "tables", parquet=False)
    write_kgx(engine, folder / "kgx")
    (folder / "README.md").write_text(readme_text(version, date), encoding="utf-8")
    manifest = {"name": NAME, "version": version, "date": date, "tool": f"{NAME} {version}",
                "counts": counts(engine, folder), "sources": sources(engine),
                "files": [{"path": p.relative_to(folder).as_posix(), "bytes": p.stat().st_size,
                           "sha256": sha256(p)} for p in bundle_files(folder)]}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    (folder / SUMS).write_text("".join(f"{sha256(p)}  {p.relative_to(folder).as_posix()}\n"
                                       for p in bundle_files(folder)), encoding="utf-8")


def export_release(graph: Path, out: Path, date: str | None = None) -> list[Path]:
    """``kg export release``: write the bundle into ``out``; returns its manifest and sums.

    The bundle is written beside its final place and renamed into it when complete, so a
    failure leaves no half-written release.
    """
    day = release_date(date)
    missing = [n for n in GRAPH_FILES if not (graph.parent / n).exists()]
    if missing:
        raise ExportError(f"{graph.parent / missing[0]} not found: build the graph first "
                          "(make graph, or kg build)")
    engine = open_graph(graph)
    writable_folder(out)
    version = tool_version()
    final = out / f"{NAME}-{version}-{day}"
    tmp = out / f".{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        write_bundle(engine, graph.parent, tmp, version, day)
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [final / MANIFEST, final / SUMS]


def verify_release(folder: Path) -> list[str]:
    """Problems of a bundle: files missing, changed or not listed in SHA256SUMS."""
    sums = folder / SUMS
    if not sums.is_file():
        return [f"{sums}: not found (is {folder} a release bundle?)"]
    listed: dict[str, str] = {}
    problems = []
    for n, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            problems.append(f"{sums}:{n}: not a 'SHA256  path' line")
            continue
        listed[name] = digest
    for name, digest in listed.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{path}: listed in {SUMS} but missing")
        elif sha256(path) != digest:
            problems.append(f"{path}: checksum differs from {SUMS} (the file was changed)")
    for path in bundle_files(folder):
        if path.relative_to(folder).as_posix() not in listed:
            problems.append(f"{path}: not listed in {SUMS}")
    return problems + manifest_problems(folder, listed)


def manifest_problems(folder: Path, listed: dict[str, str]) -> list[str]:
    """Where manifest.json's list of files disagrees with SHA256SUMS."""
    try:
        entries = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
        recorded = {e["path"]: e["sha256"] for e in entries}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{folder / MANIFEST}: unreadable: {exc}"]
    expected = {name: digest for name, digest in listed.items() if name != MANIFEST}
    return [f"{folder / MANIFEST}: {name}: not as in {SUMS}"
            for name in sorted(set(recorded) | set(expected))
            if recorded.get(name) != expected.get(name)]
