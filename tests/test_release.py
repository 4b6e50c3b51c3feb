"""Release bundle: versioned, dated, checksummed, deterministic, and tampering is detected."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kg.export.release import export_release, verify_release
from kg.export.tables import ExportError
from kg.paths import PROJECT_DIR, SOURCES_DIR

DATE = "2026-01-31"


@pytest.fixture(scope="module")
def bundle(written: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    manifest, _ = export_release(written / "graph.trig", tmp_path_factory.mktemp("rel"), DATE)
    return manifest.parent


def version() -> str:
    with (PROJECT_DIR / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_bundle_is_named_by_version_and_date_and_holds_everything(bundle: Path):
    assert bundle.name == f"dti-kg-{version()}-{DATE}"
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "ontology.ttl", "build-report.json",
                 "README.md", "manifest.json", "SHA256SUMS", "tables/README.md",
                 "tables/evidence.csv", "kgx/nodes.tsv", "kgx/edges.tsv"):
        assert (bundle / name).is_file(), name


def test_manifest_counts_sources_and_files(bundle: Path, real):
    m = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert (m["version"], m["date"], m["tool"]) == (version(), DATE, f"dti-kg {version()}")
    graphs = {str(g.identifier): len(g) for g in real.dataset.graphs() if len(g)}
    assert m["counts"]["triples_per_graph"] == graphs
    assert m["counts"]["triples"] == sum(graphs.values())
    kinds = m["counts"]["instances_per_class"]
    assert kinds["OutcomeResult"] == real.report.counts["outcome results"]
    assert kinds["Contradiction"] == real.report.counts["contradictions"]
    assert m["counts"]["kgx"]["edges"] > 100 and m["counts"]["table_rows"]["evidence"] > 200
    for source in m["sources"]:
        text = SOURCES_DIR / source["file"]
        assert hashlib.sha256(text.read_bytes()).hexdigest() == source["sha256"]
    assert len(m["sources"]) == len(list((SOURCES_DIR / "texts").glob("*.txt")))
    for entry in m["files"]:
        path = bundle / entry["path"]
        assert path.stat().st_size == entry["bytes"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_checksums_verify_with_the_tool_and_with_sha256sum(bundle: Path):
    assert verify_release(bundle) == []
    proc = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=bundle,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_same_graph_and_date_give_the_same_bytes(written: Path, bundle: Path, tmp_path: Path):
    again, _ = export_release(written / "graph.trig", tmp_path, DATE)
    assert (again.parent / "SHA256SUMS").read_bytes() == (bundle / "SHA256SUMS").read_bytes()
    assert (again.parent / "manifest.json").read_bytes() == \
        (bundle / "manifest.json").read_bytes()


def copy_of(bundle: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(bundle, tmp_path / bundle.name))


def test_a_changed_file_is_detected(bundle: Path, tmp_path: Path):
    copy = copy_of(bundle, tmp_path)
    csv = copy / "tables" / "comparisons.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("1.85", "1.58"), encoding="utf-8")
    problems = verify_release(copy)
    assert len(problems) == 1 and "comparisons.csv: checksum differs" in problems[0]
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "release", "--verify",
                           str(copy)], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "does not verify" in proc.stderr


def test_missing_extra_and_relisted_files_are_detected(bundle: Path, tmp_path: Path):
    copy = copy_of(bundle, tmp_path)
    (copy / "kgx" / "nodes.tsv").unlink()
    (copy / "notes.txt").write_text("added later")
    problems = "\n".join(verify_release(copy))
    assert "nodes.tsv: listed in SHA256SUMS but missing" in problems
    assert "notes.txt: not listed in SHA256SUMS" in problems
    # Recomputing SHA256SUMS after a change still disagrees with manifest.json.
    copy2 = copy_of(bundle, tmp_path / "b")
    (copy2 / "graph.ttl").write_text("# emptied\n")
    sums = (copy2 / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    fresh = hashlib.sha256(b"# emptied\n").hexdigest()
    (copy2 / "SHA256SUMS").write_text("\n".join(
        f"{fresh}  graph.ttl" if line.endswith("  graph.ttl") else line for line in sums) + "\n")
    assert verify_release(copy2) == [f"{copy2 / 'manifest.json'}: graph.ttl: not as in "
                                     "SHA256SUMS"]
    assert "not found" in verify_release(tmp_path)[0]


def test_bad_date_and_missing_graph_are_one_line_errors(written: Path, tmp_path: Path):
    with pytest.raises(ExportError, match="expected a date as YYYY-MM-DD"):
        export_release(written / "graph.trig", tmp_path, "31.01.2026")
    proc = subprocess.run([sys.executable, "-m", "kg", "export", "release", "--graph",
                           str(tmp_path / "graph.trig"), "--out", str(tmp_path / "r")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and "build the graph first" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "r").exists()
