"""Pages of an answer (engine, CLI, API, server) and streamed output equal to the materialised."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.query.engine import OxigraphEngine, QueryError, RdflibEngine, Rows
from kg.query.formats import render_select, stream_select
from kg.query.library import load_library
from kg.query.paging import paged_text
from tests.test_serve import request as fetch

LIBRARY = load_library()
# list-style queries with the most rows on the shipped corpus
LISTS = ["outcomes", "subgroup-results", "document-statements", "primary-endpoints"]
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"


@pytest.fixture(scope="module")
def graph_file(written: Path) -> Path:
    """The shipped corpus's graph, written once per session (tests/conftest.py)."""
    return written / "graph.trig"


@pytest.fixture(scope="module")
def ox(graph_file: Path):
    return OxigraphEngine(graph_file)


def pages(engine, text: str, size: int) -> list:
    """Every page of an answer, followed by next_offset until none is left."""
    out, offset = [], 0
    while True:
        page = engine.query(text, limit=size, offset=offset)
        out.append(page)
        if page.next_offset is None:
            return out
        assert page.next_offset == offset + size and len(page.rows) == size
        offset = page.next_offset


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("size", [1, 7, 25])
def test_pages_concatenate_to_the_whole_answer_in_order(ox, name: str, size: int):
    text = LIBRARY[name].bind()
    whole = ox.query(text)
    assert len(whole.rows) > size  # else the test pages nothing
    got = [row for page in pages(ox, text, size) for row in page.rows]
    assert got == whole.rows  # no overlap, nothing skipped, same order


def test_a_query_that_slices_itself_is_paged_by_skipping(ox):
    text = ALL_TRIPLES + " LIMIT 40"
    assert paged_text(text, 10, 5) is None  # its own LIMIT: the page is cut outside SPARQL
    whole = ox.query(text)
    page = ox.query(text, limit=10, offset=5)
    assert page.rows == whole.rows[5:15] and page.next_offset == 15
    last = ox.query(text, limit=10, offset=30)
    assert last.rows == whole.rows[30:40] and last.next_offset is None


def test_rdflib_pages_like_oxigraph(graph_file: Path, ox):
    rl = RdflibEngine(graph_file)
    text = LIBRARY["subgroup-results"].bind()
    a, b = ox.query(text, limit=9, offset=4), rl.query(text, limit=9, offset=4)
    assert a.comparable() == b.comparable() and a.next_offset == b.next_offset == 13


def test_offset_beyond_the_end_is_empty(ox):
    text = LIBRARY["outcomes"].bind()
    n = len(ox.query(text).rows)
    for offset in (n, n + 1, 10 * n):
        page = ox.query(text, limit=5, offset=offset)
        assert page.rows == [] and page.next_offset is None
    assert ox.query(text, limit=0).rows == [] and ox.query(text, limit=0).truncated


@pytest.mark.parametrize(("limit", "offset"), [(-1, 0), (0, -3), ("x", 0), (2.5, 0), (1, "1e3"),
                                               (True, 0)])
def test_bad_page_values_are_refused(ox, limit, offset):
    with pytest.raises(QueryError, match=r"limit|offset"):
        ox.query(ALL_TRIPLES, limit=limit, offset=offset)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
@pytest.mark.parametrize(("name", "limit", "offset"), [("outcomes", None, 0),
                                                        ("outcomes", 11, 3),
                                                        ("hazard-ratios", None, 0),
                                                        ("find", None, 0)])
def test_streamed_output_equals_the_materialised(ox, fmt: str, name: str, limit, offset):
    text = LIBRARY[name].bind()
    rows = ox.stream(text, limit, offset)
    assert isinstance(rows, Rows)
    streamed = "".join(stream_select(rows, fmt))
    assert streamed == render_select(ox.query(text, limit, offset), fmt)
    if fmt == "json":
        doc = json.loads(streamed)
        assert doc.get("has_more", False) == (limit is not None)
        if limit is not None:
            assert doc["next_offset"] == offset + limit


def test_streamed_json_matches_json_dumps_layout(ox):
    """The hand-laid SPARQL JSON is exactly what json.dumps(indent=1) writes."""
    res = ox.query(ALL_TRIPLES, limit=30)
    text = render_select(res, "json")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1)


def cli(graph_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", "query", "--graph", str(graph_file),
                           *args], capture_output=True, text=True, check=False)


def test_cli_pages_and_refuses_bad_values(graph_file: Path, ox):
    whole = cli(graph_file, "outcomes", "--format", "csv")
    assert whole.returncode == 0 and whole.stderr == ""
    lines = whole.stdout.splitlines()
    header, body = lines[0], [line for line in lines[1:] if line]
    got, offset = [], 0
    while True:
        page = cli(graph_file, "outcomes", "--format", "csv", "--limit", "20",
                   "--offset", str(offset))
        assert page.returncode == 0 and page.stdout.startswith(header)
        got += [line for line in page.stdout.splitlines()[1:] if line]
        if "next page is --offset" not in page.stderr:
            break
        offset = int(page.stderr.rsplit(" ", 1)[1])
    assert got == body
    for bad in (["--limit", "-2"], ["--offset", "ten"]):
        proc = cli(graph_file, "outcomes", *bad)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
        assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr


def test_api_pages(graph_file: Path):
    import kg

    g = kg.open(graph_file)
    whole = g.query("outcomes").terms
    first, second = g.query("outcomes", limit=10), g.query("outcomes", limit=10, offset=10)
    assert first.terms + second.terms == whole[:20]
    assert first.result.next_offset == 10


@pytest.fixture(scope="module")
def endpoint(graph_file: Path) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--graph", str(graph_file), "--port", "0",
         "--max-rows", "50"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    assert "serving" in line, (line, proc.stderr.read() if proc.stderr else "")
    yield line.split(" at ", 1)[1].split(" ", 1)[0]
    proc.terminate()
    proc.wait(10)


def follow(endpoint: str, url: str) -> list[dict]:
    """Every binding of an answer, following the Link rel=next of each page."""
    rows = []
    while url:
        status, headers, body = fetch(url)
        assert status == 200, body
        data = json.loads(body)
        rows += data["results"]["bindings"]
        link = headers.get("Link")
        assert bool(link) == data.get("has_more", False)
        url = endpoint + link.split(">")[0].lstrip("</") if link else ""
    return rows


def test_server_named_query_pages_link_the_next(endpoint: str, ox):
    whole = json.loads(render_select(ox.query(LIBRARY["outcomes"].bind()), "json"))
    assert len(whole["results"]["bindings"]) > 50  # the server's row limit cuts it
    rows = follow(endpoint, endpoint + "queries/outcomes?limit=17")
    assert rows == whole["results"]["bindings"]


def test_server_sparql_pages_and_the_row_limit(endpoint: str, ox):
    whole = json.loads(render_select(ox.query(ALL_TRIPLES, limit=120), "json"))
    url = endpoint + "sparql?" + urllib.parse.urlencode({"query": ALL_TRIPLES + " LIMIT 120"})
    rows = follow(endpoint, url)  # pages of 50, the row limit
    assert rows == whole["results"]["bindings"]
    status, headers, body = fetch(endpoint + "sparql?offset=60&limit=5",
                                  data=ALL_TRIPLES.encode(),
                                  headers={"Content-Type": "application/sparql-query",
                                           "Accept": "text/csv"})
    assert status == 200 and headers["X-Next-Offset"] == "65"
    assert 'rel="next"' in headers["Link"] and "offset=65" in headers["Link"]
    assert len(body.strip().splitlines()) == 6  # header and five rows


@pytest.mark.parametrize("query", ["limit=-1", "offset=abc", "limit=1.5"])
def test_server_refuses_bad_page_values(endpoint: str, query: str):
    status, _, body = fetch(endpoint + "queries/outcomes?" + query)
    assert status == 400 and ("limit" in body or "offset" in body)


BEFORE = Path(__file__).parent / "fixtures" / "queries-before"
VARIANTS = {"find": [{"text": "KDR"}, {"text": "mission"}, {"text": "nct"}],
            "drug-studies": [{"drug": "drug:erlotinib"}]}


@pytest.mark.parametrize("name", sorted(p.stem for p in BEFORE.glob("*.rq")))
def test_rewritten_queries_answer_what_they_answered(ox, name: str):
    """Queries rewritten for speed (benchmarks/queries.py) keep every row, value and order."""
    from kg.query.formats import delimited
    from kg.query.library import parse_header

    old = parse_header(BEFORE / f"{name}.rq")
    assert old.text != LIBRARY[name].text  # the fixture is the former text, not the current
    for values in [{}, *VARIANTS.get(name, [])]:
        before = delimited(ox.query(old.bind(values)), "\t")
        assert before.count("\n") > 1, (name, values)  # the comparison covers rows
        assert delimited(ox.query(LIBRARY[name].bind(values)), "\t") == before, (name, values)


def test_query_benchmark_measures_streams_and_pages(graph_file: Path, monkeypatch):
    """benchmarks/queries.py end to end on the shipped graph, 'large' meaning > 30 rows here."""
    from benchmarks import queries

    monkeypatch.setattr(queries, "SMALL_ROWS", 30)
    res = queries.measure(graph_file, runs=1)
    big = {n: q for n, q in res["queries"].items() if q["rows"] > 30}
    assert "outcomes" in big and all(q["median_ms"] > 0 for q in res["queries"].values())
    for q in big.values():
        assert q["cli_rows_per_s"] > 0 and q["server_rows_per_s"] > 0 and q["last_page_ms"] > 0
    assert "| outcomes |" in queries.markdown(res)


def test_editor_pages_through_a_cut_answer(endpoint: str):
    """The editor shows a 'next page' link when the server cut the page, and it follows it."""
    from kg.render.browser import chromium

    with chromium() as browser:
        page = browser.new_page()
        page.goto(endpoint)
        page.locator("#named option").nth(15).wait_for(state="attached")
        page.select_option("#named", "outcomes")
        page.click("#run")
        page.wait_for_selector("#next-page")
        first = page.locator("#out table tr").nth(1).inner_text()
        assert page.locator("#out table tr").count() == 51  # header + the row limit of 50
        assert "rows 1–50 (more follow)" in page.inner_text("#status")
        page.click("#next-page")
        page.locator("#status", has_text="rows 51–").wait_for()  # CSP: no eval to wait on
        rest = page.locator("#out table tr").count() - 1
        assert 0 < rest < 50 and f"rows 51–{50 + rest}," in page.inner_text("#status")
        assert page.locator("#out table tr").nth(1).inner_text() != first
        assert page.locator("#next-page").count() == 0  # the last page
        page.close()
