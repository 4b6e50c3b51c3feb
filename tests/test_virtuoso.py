"""kg push and kg query --endpoint against OpenLink Virtuoso, a second real store.

Each test module run starts its own Virtuoso (Debian's ``virtuoso-opensource``, 7.2) on
127.0.0.1, on free ports, with a temporary database directory and ``virtuoso.ini``, never the
system's instance, and stops it at the end. A user with only the ``SPARQL_UPDATE`` role pushes
to the authenticated Graph Store endpoint ``/sparql-graph-crud-auth`` (HTTP Digest); named
queries go to the public ``/sparql`` endpoint. ``make virtuoso`` (a dependency of ``make test``)
installs the package where apt and root are at hand; elsewhere these tests skip, saying so.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.cli import main
from kg.export.push import LOAD_GRAPH, push, read_graphs
from kg.query.credentials import Credentials
from kg.query.engine import open_engine
from kg.query.library import load_library
from kg.query.remote import EndpointEngine, parse_json
from tests.test_query import normalised
from tests.test_remote import GRAPH, free_port, run, without_graph

LIBRARY = load_library()
SERVER, ISQL = shutil.which("virtuoso-t"), shutil.which("isql-vt")
USER, PASSWORD = "kgpush", "made-up-test-password"
CRUD = "/sparql-graph-crud-auth"

pytestmark = pytest.mark.skipif(
    SERVER is None or ISQL is None,
    reason="Virtuoso is not installed (virtuoso-t and isql-vt): `make virtuoso` installs "
           "Debian's virtuoso-opensource, which needs apt and root")

# ResultSetMaxRows: Debian's default (10,000) would cut large answers without an error.
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{web}
ServerRoot = {dir}
ServerThreads = 8
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 300
"""


def _ports() -> tuple[int, int]:
    while True:
        sql, web = free_port(), free_port()
        if sql != web:
            return sql, web


@contextlib.contextmanager
def virtuoso(folder: Path, user: str = USER, password: str = PASSWORD,
             max_rows: int = 1_000_000) -> Iterator[str]:
    """A Virtuoso on free local ports with its own database in ``folder``; yields its base URL.

    ``user`` gets the SPARQL_UPDATE role: it may write over ``/sparql-graph-crud-auth``.
    """
    assert SERVER and ISQL, "virtuoso-t and isql-vt are needed"
    folder.mkdir(parents=True, exist_ok=True)
    sql, web = _ports()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql=sql, web=web, max_rows=max_rows),
                   encoding="utf-8")
    log = (folder / "stderr.log").open("wb")
    proc = subprocess.Popen([SERVER, "-f", "-c", str(ini)], cwd=folder,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{web}"
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(  # noqa: S310 (http)
                    f"{url}/sparql?query=ASK%7B%7D", timeout=2):
                break
            assert proc.poll() is None, (folder / "stderr.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "virtuoso did not start within 120 s"
            time.sleep(0.2)
        grant = (f"DB.DBA.USER_CREATE('{user}', '{password}'); "
                 f'GRANT SPARQL_UPDATE TO "{user}";')
        subprocess.run([ISQL, f"127.0.0.1:{sql}", "dba", "dba", f"exec={grant}"], check=True,
                       capture_output=True, timeout=60)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def password_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Virtuoso for the module (it takes a few seconds to create its database)."""
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as url:
        yield url


@pytest.fixture(scope="module")
def pushed(store: str, two_output: Path, password_file: Path) -> str:
    """The store holding the pushed graph, by the command line with --user and a password file."""
    argv = ["push", store + CRUD, "--graph", str(two_output / "graph.trig"), "--user", USER,
            "--password-file", str(password_file)]
    assert main(argv) == 0
    return store


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_named_query_answers_the_same_from_virtuoso(pushed, two_output, name, capsys):
    text = LIBRARY[name].bind()
    here = open_engine("oxigraph", two_output / "graph.trig").query(text)
    assert here.rows, f"{name} returned nothing"
    there = EndpointEngine(f"{pushed}/sparql").query(text)
    assert normalised(there, text) == normalised(here, text)
    code, out, err = run(capsys, "query", "--name", name, "--endpoint", f"{pushed}/sparql",
                         "--format", "json")
    assert code == 0 and err == ""
    assert normalised(parse_json(out.encode()), text) == normalised(here, text)


def test_ask_and_booleans_read_as_from_any_store(pushed):
    # Virtuoso 7 answers ASK in JSON as a one-cell table and writes booleans as 1 and 0
    engine = EndpointEngine(f"{pushed}/sparql")
    assert engine.query(f"ASK {{ GRAPH <{GRAPH}entities> {{ ?s ?p ?o }} }}").boolean is True
    assert engine.query("ASK { <urn:x:none> ?p ?o }").boolean is False
    text = ("SELECT ?b WHERE { ?c <https://w3id.org/dti-kg/ontology#significant> ?b } "
            "ORDER BY ?b")
    values = {r["b"].value for r in engine.query(text).rows}
    assert values == {"true", "false"}


def test_a_push_replaces_the_previous_one(tmp_path, two_output, store, password_file):
    santoro = GRAPH + "santoro-2013"
    smaller = without_graph(two_output, santoro, tmp_path / "smaller")
    ask = f"ASK {{ GRAPH <{santoro}> {{ ?s ?p ?o }} }}"
    who = Credentials(USER, PASSWORD)
    engine = EndpointEngine(f"{store}/sparql")
    try:
        report = push(smaller, store + CRUD, say=lambda _: None, credentials=who)
        assert santoro not in report.written
        assert engine.query(ask).boolean is False
        count = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                 f"FILTER(STRSTARTS(STR(?g), '{GRAPH}') && ?g != <{LOAD_GRAPH}>) }}")
        n = int(engine.query(count).rows[0]["n"].value)
        assert n == sum(report.written.values())  # nothing of an earlier push is left over
    finally:  # leave the module's store as the other tests expect it
        push(two_output / "graph.trig", store + CRUD, say=lambda _: None, credentials=who)
    assert engine.query(ask).boolean is True


def test_a_wrong_password_is_one_line(store, two_output, capsys, monkeypatch):
    monkeypatch.setenv("KG_STORE_PASSWORD", "not-the-password")
    code, out, err = run(capsys, "push", store + CRUD, "--graph",
                         str(two_output / "graph.trig"), "--user", USER)
    assert code == 1 and out == ""
    assert err == (f"error: {store}{CRUD} refused the password of user {USER} from "
                   "KG_STORE_PASSWORD (401 Unauthorized): check the user name and password\n")


def test_the_unauthenticated_endpoint_is_one_line(store, two_output, capsys):
    code, _, err = run(capsys, "push", f"{store}/sparql-graph-crud", "--graph",
                       str(two_output / "graph.trig"))
    assert code == 1
    assert err == (f"error: {store}/sparql-graph-crud refused the push (403 Forbidden): use the "
                   "authenticated endpoint /sparql-graph-crud-auth with --user\n")


def test_the_authenticated_endpoint_without_a_user_says_how(store, two_output, capsys,
                                                            monkeypatch, tmp_path):
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    code, _, err = run(capsys, "push", store + CRUD, "--graph", str(two_output / "graph.trig"))
    assert code == 1 and "<" not in err and len(err.splitlines()) == 1
    assert err.startswith(f"error: {store}{CRUD} asks who you are (401 Unauthorized): give "
                          "--user NAME")


def test_a_netrc_entry_is_used_without_user(store, two_output, capsys, monkeypatch, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    code, out, err = run(capsys, "push", store + CRUD, "--graph", str(two_output / "graph.trig"))
    graphs = len(read_graphs(two_output / "graph.trig"))
    assert code == 0 and err == "" and f"pushed {graphs} graphs" in out


@pytest.fixture(scope="module")
def synthetic_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 100x synthetic corpus, built (about 110,000 triples)."""
    from benchmarks.synthetic import generate
    from kg.assemble import build
    from kg.cli import write_outputs

    tmp = tmp_path_factory.mktemp("synthetic")
    out = tmp / "out"
    out.mkdir()
    write_outputs(build(generate(100, tmp / "src")), out, html=False)
    return out


def test_the_100x_corpus_gives_the_same_answers(tmp_path, synthetic_output):
    trig = synthetic_output / "graph.trig"
    local = open_engine("oxigraph", trig)
    with virtuoso(tmp_path / "db") as url:
        report = push(trig, url + CRUD, say=lambda _: None,
                      credentials=Credentials(USER, PASSWORD))
        assert sum(report.written.values()) > 100_000
        remote = EndpointEngine(f"{url}/sparql", timeout=300)
        differ, rows = [], 0
        for name, query in sorted(LIBRARY.items()):
            text = query.bind()
            here = local.query(text)
            rows += len(here.rows)
            if normalised(remote.query(text), text) != normalised(here, text):
                differ.append(name)
        assert differ == [] and rows > 3_000  # 3,264 rows in all at 100x


def test_an_answer_the_store_cut_is_refused_not_shown(tmp_path, two_output, capsys):
    with virtuoso(tmp_path / "db", max_rows=5) as url:
        push(two_output / "graph.trig", url + CRUD, say=lambda _: None,
             credentials=Credentials(USER, PASSWORD))
        code, _, err = run(capsys, "query", "--name", "drug-targets", "--endpoint",
                           f"{url}/sparql")
        assert code == 1 and err.startswith(f"error: {url}/sparql cut the answer at 5 rows")
        code, out, _ = run(capsys, "query", "--name", "drug-targets", "--endpoint",
                           f"{url}/sparql", "--limit", "3", "--format", "csv")
        assert code == 0 and len(out.strip().splitlines()) == 4  # a header and a page of 3


def test_the_benchmark_measures_virtuoso_beside_the_local_engine(two_output):
    from benchmarks.remote import markdown, measure

    res = measure(two_output / "graph.trig", runs=1, stores=("virtuoso",))
    assert list(res["push"]) == ["virtuoso"] and res["push"]["virtuoso"]["triples"] > 10_000
    assert set(res["queries"]) == set(LIBRARY)
    assert all(t["local_ms"] > 0 and t["virtuoso_ms"] > 0 for t in res["queries"].values())
    api = {"import_kg_s": 0.01, "open_and_first_query_s": 0.4, "networkx_s": 1.5}
    text = markdown({"corpora": {"shipped": res}, "api": api, "runs": 1})
    assert "| drug-targets | " in text and " – | " in text  # Oxigraph was not measured here


def test_kg_query_signs_in_where_the_endpoint_asks(pushed, two_output, password_file, capsys,
                                                    monkeypatch, tmp_path):
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    # Virtuoso's /sparql-auth answers only known users (HTTP Digest)
    text = LIBRARY["drug-targets"].bind()
    here = open_engine("oxigraph", two_output / "graph.trig").query(text)
    code, out, err = run(capsys, "query", "--name", "drug-targets", "--endpoint",
                         f"{pushed}/sparql-auth", "--user", USER, "--password-file",
                         str(password_file), "--format", "json")
    assert code == 0 and err == ""
    assert normalised(parse_json(out.encode()), text) == normalised(here, text)
    code, _, err = run(capsys, "query", "--name", "drug-targets", "--endpoint",
                       f"{pushed}/sparql-auth")
    assert code == 1 and err.startswith(f"error: {pushed}/sparql-auth asks who you are (401")


def test_hazard_ratios_for_a_disease_miss_rows_on_virtuoso(pushed, two_output):
    # A recorded difference, not fixed: with --param disease, Virtuoso 7.2 finds only part of
    # the comparisons whose histology or condition is the disease or a subtype (7 of 13 here,
    # with every standard form tried); what it finds is right, nothing is added.
    query = LIBRARY["hazard-ratios"]
    text = query.bind({"disease": "disease:nsclc"})
    here = normalised(open_engine("oxigraph", two_output / "graph.trig").query(text), text)
    there = normalised(EndpointEngine(f"{pushed}/sparql").query(text), text)
    assert set(there) < set(here) and len(here) == 13
