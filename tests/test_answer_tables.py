"""Answer tables (kg/query/answertables.py): the fast path gives the plain SPARQL's rows.

For every named query, on the shipped corpus and on a 10x synthetic corpus: the rows read from
the table kg build wrote equal, term for term and in order, the rows Oxigraph gives for the same
text; pages, formats and warnings agree; a table of another graph is never used.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from kg.query.answertables import FOLDER, AnswerTables, TableRows
from kg.query.engine import OxigraphEngine, Rows
from kg.query.formats import stream_select
from kg.query.library import load_library

LIBRARY = load_library()


def plain(engine: OxigraphEngine) -> OxigraphEngine:
    """The same loaded store with the tables switched off: every query runs as SPARQL."""
    return OxigraphEngine.over(engine.store)


@pytest.fixture(scope="module")
def ten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10x synthetic corpus built as kg build writes it (RDF files and answer tables)."""
    from benchmarks.synthetic import generate
    from kg.cli import write_outputs
    from kg.pipeline import build

    root = tmp_path_factory.mktemp("ten")
    src = generate(10, root / "src")
    out = root / "out"
    out.mkdir()
    write_outputs(build(src), out, html=False)
    return out / "graph.trig"


@pytest.fixture(scope="module", params=["shipped", "10x"])
def engines(request: pytest.FixtureRequest, built_output: Path, ten: Path
            ) -> tuple[OxigraphEngine, OxigraphEngine]:
    """The fast engine (tables on) and the plain one, over the same loaded graph."""
    graph = built_output / "graph.trig" if request.param == "shipped" else ten
    fast = OxigraphEngine(graph)
    return fast, plain(fast)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_named_query_table_equals_plain_sparql(engines, name: str):
    fast, slow = engines
    text = LIBRARY[name].bind()
    answer = fast.stream(text)
    assert isinstance(answer, TableRows), f"{name}: no answer table was used"
    got = list(answer)
    reference = slow.stream(text)
    assert isinstance(reference, Rows) and not isinstance(reference, TableRows)
    want = list(reference)
    assert answer.variables == reference.variables
    assert got == want, f"{name}: table rows differ from the SPARQL rows"
    assert fast.query(text).warnings == slow.query(text).warnings


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("name", ["outcomes", "hazard-ratios", "drug-studies"])
def test_formats_and_pages_agree(engines, name: str):
    fast, slow = engines
    text = LIBRARY[name].bind()
    for fmt in ("csv", "tsv", "json"):
        mine = "".join(stream_select(fast.stream(text), fmt))
        theirs = "".join(stream_select(slow.stream(text), fmt))
        if fmt == "csv":
            assert mine == theirs  # byte for byte
        elif fmt == "json":
            a, b = json.loads(mine), json.loads(theirs)
            assert a["head"] == b["head"]
            assert a["results"]["bindings"] == b["results"]["bindings"]
        else:
            assert len(mine.splitlines()) == len(theirs.splitlines())
    total = len(fast.query(text).rows)
    for limit, offset in ((2, 0), (3, 1), (5, max(0, total - 2)), (None, 1)):
        page = fast.query(text, limit=limit, offset=offset)
        ref = slow.query(text, limit=limit, offset=offset)
        assert page.comparable() == ref.comparable()
        assert (page.truncated, page.next_offset) == (ref.truncated, ref.next_offset)
        streamed = fast.stream(text, limit=limit, offset=offset)
        body = "".join(stream_select(streamed, "csv"))
        assert _csv_rows(body)[1:] == _csv_rows("".join(
            stream_select(slow.stream(text, limit=limit, offset=offset), "csv")))[1:]
        assert streamed.truncated == ref.truncated


def test_a_bound_parameter_runs_as_sparql(built_output: Path):
    engine = OxigraphEngine(built_output / "graph.trig")
    text = LIBRARY["hazard-ratios"].bind({"disease": "disease:nsclc"})
    answer = engine.stream(text)
    assert not isinstance(answer, TableRows)


def test_tables_of_another_graph_are_not_used(built_output: Path, tmp_path: Path):
    """A graph file edited after the build (or copied beside other tables) runs as SPARQL."""
    for f in ("graph.trig", "ontology.ttl"):
        shutil.copyfile(built_output / f, tmp_path / f)
    shutil.copytree(built_output / FOLDER, tmp_path / FOLDER)
    text = LIBRARY["drug-studies"].bind()
    assert isinstance(OxigraphEngine(tmp_path / "graph.trig").stream(text), TableRows)
    with (tmp_path / "graph.trig").open("a", encoding="utf-8") as f:
        f.write("\n# edited after the build\n")
    assert AnswerTables(tmp_path / "graph.trig").get(text) is None
    assert not isinstance(OxigraphEngine(tmp_path / "graph.trig").stream(text), TableRows)


def test_a_damaged_table_is_not_used(built_output: Path, tmp_path: Path):
    for f in ("graph.trig", "ontology.ttl"):
        shutil.copyfile(built_output / f, tmp_path / f)
    shutil.copytree(built_output / FOLDER, tmp_path / FOLDER)
    (tmp_path / FOLDER / "drug-studies.tsv").write_bytes(b"?x\n<urn:x>\n")
    assert AnswerTables(tmp_path / "graph.trig").get(LIBRARY["drug-studies"].bind()) is None


def _serve(graph: Path, max_rows: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--graph", str(graph), "--port", "0",
         "--max-rows", str(max_rows), "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    assert "serving" in line, line
    return proc, line.split(" at ", 1)[1].split(" ", 1)[0]


def _get(url: str, data: bytes | None = None, headers: dict[str, str] | None = None
         ) -> tuple[dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback http
        return dict(resp.headers), resp.read()


@pytest.mark.parametrize("max_rows", [100_000, 7])
def test_server_streams_tables_chunked_with_the_plain_rows(built_output: Path, max_rows: int):
    """``/queries/NAME`` comes from the table, chunked, with the plain SPARQL's rows.

    The same query run as SPARQL (its text changed by a comment, so no table matches) gives
    the same rows, the same page and the same next link.
    """
    proc, url = _serve(built_output / "graph.trig", max_rows)
    try:
        for name in ("outcomes", "subgroup-results", "contradictions"):
            for fmt in ("csv", "json"):
                head, body = _get(f"{url}queries/{name}?format={fmt}")
                assert head.get("Transfer-Encoding") == "chunked"
                text = LIBRARY[name].bind() + "\n# run as SPARQL\n"
                mime = {"csv": "text/csv", "json": "application/sparql-results+json"}[fmt]
                ref_head, ref = _get(f"{url}sparql", text.encode(),
                                     {"Content-Type": "application/sparql-query",
                                      "Accept": mime})
                assert "Transfer-Encoding" not in ref_head
                if fmt == "csv":
                    assert body == ref
                else:
                    a, b = json.loads(body), json.loads(ref)
                    assert a["results"] == b["results"]
                    assert a.get("next_offset") == b.get("next_offset")
                assert head.get("X-Next-Offset") == ref_head.get("X-Next-Offset")
                assert ("Link" in head) == ("Link" in ref_head)
    finally:
        proc.terminate()
        proc.wait(20)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_cli_answers_from_the_table_as_sparql_would(built_output: Path, tmp_path: Path,
                                                    fmt: str):
    """``kg query NAME`` (from its table) prints what the same query run as SPARQL prints."""
    graph = str(built_output / "graph.trig")
    plain_rq = tmp_path / "outcomes.rq"
    plain_rq.write_text(LIBRARY["outcomes"].bind() + "\n# run as SPARQL\n", encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kg", "query", *args, "--graph", graph,
                               "--format", fmt], capture_output=True, text=True, check=True)

    fast, slow = run("outcomes"), run(str(plain_rq))
    assert fast.stdout == slow.stdout and fast.stdout.count("\n") > 20
    fast, slow = (run("outcomes", "--limit", "5", "--offset", "3"),
                  run(str(plain_rq), "--limit", "5", "--offset", "3"))
    assert fast.stdout == slow.stdout
    assert "the next page is --offset 8" in fast.stderr and fast.stderr == slow.stderr


def test_build_stores_a_missing_iri_without_its_closest_and_readers_complete_it(
        ten: Path, monkeypatch: pytest.MonkeyPatch):
    """The closest IRIs (difflib over thousands of names) are looked up by a reader, not the build.

    At 10x the default of ``document-statements`` names a document the synthetic graph lacks:
    its table holds the warning's term, not its closest IRIs; an engine holding the graph
    completes it as the plain run words it; a reader without one runs the query as SPARQL.
    """
    import kg.query.terms as terms
    from kg.query.precompute import compute_answers

    text = LIBRARY["document-statements"].bind()
    index = json.loads((ten.parent / FOLDER / "index.json").read_text(encoding="utf-8"))
    entry = next(e for e in index["answers"] if e["name"] == "document-statements")
    assert [w["what"] for w in entry["warnings"]] == ["is not in the graph"]
    assert AnswerTables(ten).get(text) is None  # no engine: the query runs as SPARQL

    fast = OxigraphEngine(ten)
    want = plain(fast).query(text).warnings
    assert len(want) == 1 and "; closest: document:syn-" in want[0]
    assert fast.stream(text).warnings == want  # from the table, completed on the engine

    def no_lookup(*_args: object) -> list[str]:
        raise AssertionError("closest IRIs looked up while the build computed its answers")

    monkeypatch.setattr(terms, "_closest", no_lookup)
    answers = {a.name: a for a in compute_answers(fast.store)}
    assert [u.close for u in answers["document-statements"].unknown] == [None]


def test_cli_shows_the_closest_iris_for_a_named_query_whose_default_is_missing(ten: Path):
    got = subprocess.run([sys.executable, "-m", "kg", "query", "document-statements",
                          "--graph", str(ten)], capture_output=True, text=True, check=True)
    assert "is not in the graph; closest: document:syn-" in got.stderr
