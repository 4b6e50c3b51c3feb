"""kg serve: a real server on a free loopback port, queried over HTTP like any SPARQL client."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, real) -> Iterator[str]:
    from kg.cli import write_outputs

    out = tmp_path_factory.mktemp("serve")
    write_outputs(real, out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--graph", str(out / "graph.trig"), "--port", "0",
         "--time-limit", "2", "--max-rows", "5", "--max-body", "20000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    assert "serving" in line, (line, proc.stderr.read() if proc.stderr else "")
    url = line.split(" at ", 1)[1].split(" ", 1)[0]
    assert url.startswith("http://127.0.0.1:")
    yield url
    proc.terminate()
    proc.wait(10)


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None
            ) -> tuple[int, dict[str, str], str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310 - loopback http
            return resp.status, dict(resp.headers), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


TARGETS = ("PREFIX kg: <https://w3id.org/dti-kg/ontology#> SELECT ?t WHERE "
           "{ <https://w3id.org/dti-kg/id/drug/sorafenib> kg:targets ?t } ORDER BY ?t LIMIT 3")


def get(endpoint: str, query: str, accept: str = "") -> tuple[int, dict[str, str], str]:
    return request(endpoint + "sparql?" + urllib.parse.urlencode({"query": query}),
                   headers={"Accept": accept} if accept else {})


def test_get_json(endpoint: str):
    status, headers, body = get(endpoint, TARGETS)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(body)
    assert data["head"]["vars"] == ["t"] and len(data["results"]["bindings"]) == 3


def test_post_form_and_direct(endpoint: str):
    form = urllib.parse.urlencode({"query": TARGETS}).encode()
    status, _, body = request(endpoint + "sparql", form,
                              {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
    status, _, body = request(endpoint + "sparql", TARGETS.encode(),
                              {"Content-Type": "application/sparql-query"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3


@pytest.mark.parametrize(("accept", "ctype", "marker"), [
    ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
    ("text/csv", "text/csv", "t\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", "?t\n")])
def test_result_formats_by_accept(endpoint: str, accept: str, ctype: str, marker: str):
    status, headers, body = get(endpoint, TARGETS, accept)
    assert status == 200 and headers["Content-Type"].startswith(ctype)
    assert marker in body


def test_construct_as_turtle_and_jsonld(endpoint: str):
    q = ("PREFIX kg: <https://w3id.org/dti-kg/ontology#> CONSTRUCT { ?d kg:targets ?t } "
         "WHERE { ?d kg:targets ?t }")
    status, headers, body = get(endpoint, q, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=body, format="turtle")) == 10
    status, headers, body = get(endpoint, q, "application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert len(Graph().parse(data=body, format="json-ld")) == 10


def test_ask(endpoint: str):
    status, _, body = get(endpoint, "ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_named_queries_are_listed(endpoint: str):
    status, _, body = request(endpoint + "queries")
    names = {q["name"] for q in json.loads(body)}
    assert status == 200 and {"drug-targets", "study-by-nct", "hazard-ratios"} <= names


def test_editor_page_is_offline(endpoint: str):
    status, headers, body = request(endpoint)
    assert status == 200 and "<textarea" in body
    assert "http://" not in body.replace("http://www.w3.org", "")
    assert "https://" not in body.replace("https://w3id.org", "")
    assert "default-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize(("data", "ctype"), [
    (b"update=CLEAR+ALL", "application/x-www-form-urlencoded"),
    (b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update"),
    (b"DROP ALL", "application/sparql-query"),
    (b"SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
     "application/sparql-query")])
def test_updates_and_service_are_refused(endpoint: str, data: bytes, ctype: str):
    status, _, body = request(endpoint + "sparql", data, {"Content-Type": ctype})
    assert status == 403, body
    status, _, body = get(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }")
    assert json.loads(body)["boolean"] is False


def test_syntax_error_is_400_with_position(endpoint: str):
    status, _, body = get(endpoint, "SELECT ?x WHERE {")
    assert status == 400 and body.startswith("syntax error at line 1, column ")


def test_time_limit_stops_the_query(endpoint: str):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, body = get(endpoint, q)
    assert status == 503 and "time limit" in body
    assert get(endpoint, TARGETS)[0] == 200  # the server is still fine


def test_oversized_body_is_413(endpoint: str):
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 30000
    status, _, _ = request(endpoint + "sparql", body,
                           {"Content-Type": "application/sparql-query"})
    assert status == 413


def test_a_large_oversized_body_still_gets_its_413(endpoint: str):
    # far more than the socket buffers hold: unread, the close would reset the connection
    body = b"ASK {} #" + b"x" * 4_000_000
    status, _, text = request(endpoint + "sparql", body,
                              {"Content-Type": "application/sparql-query"})
    assert status == 413 and "20000 bytes" in text


def test_negative_content_length_is_400(endpoint: str):
    host, port = urllib.parse.urlsplit(endpoint).hostname, urllib.parse.urlsplit(endpoint).port
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.0\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: -5\r\n\r\nASK {}")
        answer = s.recv(1000)
    assert answer.startswith(b"HTTP/1.0 400")


def test_results_over_the_row_limit_are_cut_and_marked(endpoint: str):
    status, headers, body = get(endpoint, "SELECT ?s WHERE { ?s ?p ?o }")
    data = json.loads(body)
    assert status == 200 and len(data["results"]["bindings"]) == 5
    assert data["truncated"] is True and headers["X-Result-Truncated"] == "true"


def test_unknown_path_and_missing_query(endpoint: str):
    assert request(endpoint + "nope")[0] == 404
    assert request(endpoint + "sparql")[0] == 400


def test_binds_loopback_by_default():
    from kg.cli import parser

    args = parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"


def test_workers_default_to_the_cpus_and_must_be_positive(capsys: pytest.CaptureFixture[str]):
    from kg.cli import main, parser
    from kg.query.server import default_workers

    assert parser().parse_args(["serve"]).workers is None and default_workers() >= 2
    assert main(["serve", "--workers", "0"]) == 1
    assert "--workers must be at least 1" in capsys.readouterr().err


def test_missing_graph_is_a_clear_error(tmp_path: Path):
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph",
                           str(tmp_path / "none.trig")], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 1 and "build the graph first" in proc.stderr


def test_node_page_describes_a_node_with_links(endpoint: str):
    status, headers, body = request(endpoint + "node?iri=" + urllib.parse.quote("study:mission"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>MISSION" in body and "node?iri=https%3A%2F%2Fw3id.org%2Fdti-kg%2F" in body
    assert "study:mission" in body  # the pasteable CURIE beside the full IRI
    unknown = request(endpoint + "node?iri=" + urllib.parse.quote("study:no-such-study"))
    assert unknown[0] == 200 and "No statement of the graph names this IRI" in unknown[2]
    bad = request(endpoint + "node?iri=" + urllib.parse.quote("<script>"))
    assert bad[0] == 400 and "<script>" not in bad[2].replace("'<script>'", "")


def test_named_query_parameters_by_name(endpoint: str):
    by_name = request(endpoint + "queries/drug-targets?drug=Nexavar",
                      headers={"Accept": "application/sparql-results+json"})
    by_curie = request(endpoint + "queries/drug-targets?drug=drug%3Asorafenib",
                       headers={"Accept": "application/sparql-results+json"})
    assert by_name[0] == by_curie[0] == 200
    assert json.loads(by_name[2])["results"] == json.loads(by_curie[2])["results"]
    typo = request(endpoint + "queries/drug-targets?drug=sorafinib")
    assert typo[0] == 400 and "close matches: sorafenib" in typo[2]

