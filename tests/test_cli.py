"""End to end: ``kg build`` as a user runs it, in a subprocess, into temporary folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kg.paths import PROJECT_DIR, SOURCES_DIR
from kg.sources.loader import load_evidence_file
from tests.conftest import MINI

OUTPUTS = ("graph.ttl", "graph.trig", "graph.jsonld", "ontology.ttl")


def kg(*args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "output"
    proc = kg("build", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_build_writes_every_output_and_a_report(built: Path):
    for name in OUTPUTS:
        assert (built / name).stat().st_size > 1000, name


def test_report_lists_builders_counts_and_time(tmp_path: Path):
    proc = kg("build", "--out", str(tmp_path / "o"), "--quiet")
    assert proc.returncode == 0, proc.stderr
    for word in ("triples per builder", "entities", "drugs", "targets", "studies",
                 "outcome results", "evidence spans", "time:"):
        assert word in proc.stdout
    assert proc.stderr == ""


def test_outputs_parse_and_agree(built: Path):
    ttl = Graph().parse(built / "graph.ttl")
    jsonld = Graph().parse(built / "graph.jsonld", format="json-ld")
    ds = Dataset()
    ds.parse(built / "graph.trig", format="trig")
    names = {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)}
    documents = {load_evidence_file(p, []).document.id  # type: ignore[union-attr]
                 for p in (SOURCES_DIR / "evidence").glob("*.yaml")}
    # one graph per shipped document, whatever documents are added; "checks" only when two
    # documents report on the same study
    assert {"entities", "provenance", "summaries"} | documents <= names
    assert names - documents <= {"entities", "provenance", "summaries", "checks"}
    trig = Graph()
    for s, p, o, _ in ds.quads():
        trig.add((s, p, o))
    assert ttl.isomorphic(jsonld)
    assert ttl.isomorphic(trig)
    assert '"@context"' in (built / "graph.jsonld").read_text()[:200]


def test_build_is_byte_identical_across_runs(built: Path, tmp_path: Path):
    proc = kg("build", "--out", str(tmp_path / "again"), "--quiet", seed="12345")
    assert proc.returncode == 0, proc.stderr
    # the cache is not output: its pieces pickle sets of triples in the order of their hashes
    files = sorted(p.relative_to(built) for p in built.rglob("*")
                   if p.is_file() and p.relative_to(built).parts[0] != ".cache")
    assert len(files) > 50  # RDF, HTML pages, lib, GraphML
    for name in files:
        assert (built / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def test_bad_input_fails_cleanly_and_keeps_previous_output(tmp_path: Path):
    out = tmp_path / "output"
    assert kg("build", "--sources", str(MINI), "--out", str(out), "--quiet").returncode == 0
    (out / "README.md").write_text("kept")
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    ev = broken / "evidence" / "examplinib.yaml"
    ev.write_text(ev.read_text().replace("p_value", "p_value").replace(
        "        count: 10\n", "        count: 41\n"))
    proc = kg("build", "--sources", str(broken), "--out", str(out))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "examplinib.yaml:" in proc.stderr and "count: 41 is above its denominator 40" in (
        proc.stderr)
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*")
            if p.is_file()} == before
    assert not list(tmp_path.glob(".output.*")), "temporary folder left behind"


def test_successful_build_keeps_files_it_does_not_make(tmp_path: Path):
    out = tmp_path / "output"
    out.mkdir()
    (out / "README.md").write_text("kept")
    assert kg("build", "--sources", str(MINI), "--out", str(out), "--quiet").returncode == 0
    assert (out / "README.md").read_text() == "kept"
    assert (out / "graph.ttl").exists()


def test_validate_command(built: Path, tmp_path: Path):
    proc = kg("validate", str(built / "graph.ttl"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 problem(s)" in proc.stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/dti-kg/ontology#> .\n"
                   "<urn:x> a kg:OutcomeResult ; kg:pValue 2 .\n")
    proc = kg("validate", str(bad))
    assert proc.returncode == 2
    assert "urn:x" in proc.stdout
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle")
    proc = kg("validate", str(broken))
    assert proc.returncode == 1 and "cannot parse" in proc.stderr and "Traceback" not in proc.stderr


def test_build_graph_shim_and_module_agree(tmp_path: Path):
    proc = subprocess.run([sys.executable, str(PROJECT_DIR / "build_graph.py"), "--sources",
                           str(MINI), "--out", str(tmp_path / "o"), "--quiet"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o" / "graph.ttl").exists()


def test_make_graph_from_a_fresh_clone(tmp_path: Path):
    """The README's first command works on a clean checkout of the committed tree."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(PROJECT_DIR), str(clone)], check=True, timeout=120)
    proc = subprocess.run(["make", "graph"], cwd=clone, capture_output=True, text=True,
                          timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    for name in OUTPUTS:
        assert (clone / "output" / name).exists()
    assert "evidence spans" in proc.stdout


def test_audit_command_passes_on_the_shipped_sources():
    proc = kg("audit")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "0 unexplained" in proc.stdout
    proc = kg("audit", "--all")
    assert "reference number" in proc.stdout and "covered" in proc.stdout


def test_audit_command_fails_on_an_unexplained_number(mini_copy: Path):
    text = mini_copy / "texts" / "examplinib.txt"
    text.write_text(text.read_text() + "A further 17 patients were screened.\n")
    ev = mini_copy / "evidence" / "examplinib.yaml"
    import hashlib

    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    ev.write_text("\n".join(
        f"  sha256: {digest}" if line.startswith("  sha256:") else line
        for line in ev.read_text().splitlines()) + "\n")
    proc = kg("audit", "--sources", str(mini_copy))
    assert proc.returncode == 2
    assert "17  unexplained" in proc.stdout
