"""kg push and kg query --endpoint against a real Oxigraph server started on 127.0.0.1.

The server is the `oxigraph` package's binary (pinned in requirements.lock); nothing leaves the
machine.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from kg.cli import main
from kg.export.push import LOAD_GRAPH, push
from kg.query.engine import QueryError, open_engine
from kg.query.library import load_library
from kg.query.remote import EndpointEngine, parse_json
from tests.test_query import normalised

LIBRARY = load_library()
GRAPH = "https://w3id.org/dti-kg/id/graph/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    assert found, "the oxigraph server (pip package 'oxigraph') is not installed"
    return found


@contextlib.contextmanager
def oxigraph(location: Path, union: bool = True) -> Iterator[str]:
    """An Oxigraph server on a free local port; yields its base URL."""
    port = free_port()
    args = [oxigraph_binary(), "serve", "--location", str(location),
            "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen([*args, "--union-default-graph"] if union else args,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "oxigraph did not start within 20 s"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, two_output: Path) -> Iterator[str]:
    """A server holding the pushed graph."""
    with oxigraph(tmp_path_factory.mktemp("oxigraph")) as url:
        assert main(["push", f"{url}/store", "--graph", str(two_output / "graph.trig")]) == 0
        yield url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_named_query_answers_the_same_from_the_store(store, two_output, name, capsys):
    # rows tying under ORDER BY, and GROUP_CONCAT lists, may come in any order (normalised)
    text = LIBRARY[name].bind()
    here = open_engine("oxigraph", two_output / "graph.trig").query(text)
    assert here.rows, f"{name} returned nothing"
    assert normalised(EndpointEngine(f"{store}/query").query(text), text) == normalised(here, text)
    # and the command line prints the same, from the store as from the file
    code, out, err = run(capsys, "query", "--name", name, "--endpoint", f"{store}/query",
                         "--format", "json")
    assert code == 0 and err == ""
    assert normalised(parse_json(out.encode()), text) == normalised(here, text)


def test_kg_query_endpoint_prints_a_table(store, capsys):
    code, out, _ = run(capsys, "query", "--name", "drug-targets", "--endpoint", f"{store}/query")
    assert code == 0 and "protein:KDR" in out
    assert out.rstrip().splitlines()[-1].startswith("(10 rows")


def test_push_reports_every_graph(tmp_path, built_output):
    lines: list[str] = []
    with oxigraph(tmp_path / "db") as url:
        report = push(built_output / "graph.trig", f"{url}/store", say=lines.append)
    names = set(report.written)
    assert {GRAPH + g for g in ("entities", "provenance", "summaries", "ontology",
                                "nsclc-review", "santoro-2013")} == names
    assert [line.rsplit(": ", 1)[0] for line in lines] == [f"PUT {n}" for n in report.written]
    assert all("triples" in line for line in lines) and report.deleted == []


def test_kg_open_url_resolves_names_like_the_local_graph(store, two_output):
    here, there = kg.open(two_output), kg.open(f"{store}/query")
    for query, params in [("drug-studies", {"drug": "Nexavar"}),
                          ("indication-studies", {"disease": "NSCLC"}), ("hazard-ratios", {})]:
        text = LIBRARY[query].text
        assert normalised(there.query(query, **params).result, text) == normalised(
            here.query(query, **params).result, text)
    assert there.resolve("target", "VEGFR2") == "protein:KDR"


def without_graph(built_output: Path, graph: str, folder: Path) -> Path:
    """A copy of the output's TriG without one named graph, the ontology beside it."""
    folder.mkdir()
    quads = [q for q in ox.parse(path=str(built_output / "graph.trig"), format=ox.RdfFormat.TRIG)
             if q.graph_name.value != graph]
    ox.serialize(quads, output=str(folder / "graph.trig"), format=ox.RdfFormat.TRIG)
    shutil.copy(built_output / "ontology.ttl", folder / "ontology.ttl")
    return folder / "graph.trig"


def test_a_push_replaces_the_previous_one(tmp_path, built_output):
    santoro = GRAPH + "santoro-2013"
    smaller = without_graph(built_output, santoro, tmp_path / "smaller")
    ask = f"ASK {{ GRAPH <{santoro}> {{ ?s ?p ?o }} }}"
    with oxigraph(tmp_path / "db") as url:
        engine = EndpointEngine(f"{url}/query")
        assert push(built_output / "graph.trig", f"{url}/store", say=lambda _: None).deleted == []
        assert engine.query(ask).boolean is True
        report = push(smaller, f"{url}/store", say=lambda _: None)
        assert report.deleted == [santoro] and santoro not in report.written
        assert engine.query(ask).boolean is False
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <%s>) }"
        n = int(engine.query(count % LOAD_GRAPH).rows[0]["n"].value)
        assert n == sum(report.written.values())  # nothing of the first push is left over
        assert push(built_output / "graph.trig", f"{url}/store", say=lambda _: None).deleted == []
        assert engine.query(ask).boolean is True


def test_a_store_whose_default_graph_is_not_the_union_is_named(tmp_path, built_output):
    with oxigraph(tmp_path / "db", union=False) as url:
        push(built_output / "graph.trig", f"{url}/store", say=lambda _: None)
        with pytest.raises(QueryError, match="start Oxigraph with --union-default-graph"):
            EndpointEngine(f"{url}/query").query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_an_empty_store_says_push_first(tmp_path):
    with oxigraph(tmp_path / "db") as url, pytest.raises(QueryError, match="kg push"):
        kg.open(f"{url}/query").query("drug-targets")


def test_unreachable_store_is_one_line(tmp_path, built_output, capsys):
    closed = f"http://127.0.0.1:{free_port()}"
    code, _, err = run(capsys, "push", f"{closed}/store", "--graph",
                       str(built_output / "graph.trig"))
    assert code == 1 and err == f"error: cannot reach {closed}: connection refused (is the " \
        "store running, and is the port right?)\n"
    code, _, err = run(capsys, "query", "--name", "drug-targets", "--endpoint", f"{closed}/query")
    assert code == 1 and "connection refused" in err and "Traceback" not in err


def test_http_errors_show_status_and_body(store, two_output, capsys):
    code, _, err = run(capsys, "query", "--endpoint", f"{store}/query", "SELECT * WHERE { ?s")
    assert code == 1 and err.startswith(f"error: POST {store}/query: HTTP 400 Bad Request: ")
    assert len(err.splitlines()) == 1
    code, _, err = run(capsys, "push", f"{store}/nothing", "--graph",
                       str(two_output / "graph.trig"))
    assert code == 1 and "HTTP 404: no Graph Store endpoint at this URL" in err
    code, _, err = run(capsys, "push", f"{store}/store", "--graph", str(two_output / "no.trig"))
    assert code == 1 and "no.trig not found" in err


def test_updates_are_refused_before_reaching_the_store(store, capsys):
    code, _, err = run(capsys, "query", "--endpoint", f"{store}/query", "DROP ALL")
    assert code == 1 and "read-only" in err
    assert EndpointEngine(f"{store}/query").query("ASK { ?s ?p ?o }").boolean is True


def test_the_benchmark_measures_push_and_every_query(two_output):
    from benchmarks.remote import measure

    res = measure(two_output / "graph.trig", runs=1, stores=("oxigraph",))
    push = res["push"]
    assert push["oxigraph memory"]["triples"] == push["oxigraph disk"]["triples"] > 10_000
    assert set(res["queries"]) == set(LIBRARY)
    assert all(t["local_ms"] > 0 and t["oxigraph_ms"] > 0 for t in res["queries"].values())
