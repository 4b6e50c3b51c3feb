"""Evidence tables: one CSV per kind, every column documented, rows complete and unique."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.export.tables import (
    ExportError,
    load_specs,
    parse_spec,
    readme,
    write_tables,
)
from kg.paths import ONTOLOGY_FILE, QUERY_DIR, SOURCES_DIR
from kg.query.engine import OxigraphEngine
from kg.query.server import table_download
from kg.render.downloads import downloads_block

SPECS = load_specs()
KG = "https://w3id.org/dti-kg/ontology#"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def tables(written: Path) -> Path:
    return written / "tables"


@pytest.fixture(scope="module")
def ox(written: Path) -> OxigraphEngine:
    return OxigraphEngine(written / "graph.trig")


def count(ox: OxigraphEngine, pattern: str) -> int:
    rows = ox.query(f"PREFIX kg: <{KG}> SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").rows
    return int(rows[0]["n"].value)


def test_the_eleven_kinds_are_there():
    assert {s.name for s in SPECS} == {
        "studies", "arms", "populations", "results", "comparisons", "findings", "claims",
        "contradictions", "evidence", "drug-indication-evidence", "adverse-events"}


# The shipped sources print no adverse-event rates: that table is checked on the made-up safety
# fixture instead (tests/test_safety.py).
NOT_IN_SHIPPED = {"adverse-events"}


def test_a_header_that_disagrees_with_the_select_list_is_refused(tmp_path: Path):
    spec = SPECS[0].path.read_text(encoding="utf-8")
    bad = tmp_path / "bad.rq"
    bad.write_text(spec.replace("# column: label |", "# column: title |"), encoding="utf-8")
    with pytest.raises(ExportError, match="differ from the SELECT list"):
        parse_spec(bad)
    bad.write_text(spec.replace("# column: label |", "# column: label"), encoding="utf-8")
    with pytest.raises(ExportError, match=r"needs 'name \| meaning'"):
        parse_spec(bad)


def test_each_csv_has_the_documented_columns_and_the_readme_describes_them(tables: Path):
    text = (tables / "README.md").read_text(encoding="utf-8")
    assert text == readme(SPECS, {s.name: len(read_csv(tables / s.csv_name)) for s in SPECS},
                          parquet=False) + "\n"
    for spec in SPECS:
        with (tables / spec.csv_name).open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert header == [c.name for c in spec.columns], spec.name
        assert f"## {spec.csv_name}" in text
        for column in spec.columns:
            assert f"| `{column.name}` | {column.meaning} |" in text


def test_no_column_is_empty_everywhere_and_row_ids_are_unique(tables: Path):
    """An empty column means a misspelt property; a repeated row, a multi-valued join."""
    for spec in SPECS:
        rows = read_csv(tables / spec.csv_name)
        if spec.name in NOT_IN_SHIPPED:
            assert rows == [], spec.name
            continue
        assert rows, spec.name
        for column in spec.columns:
            assert any(r[column.name] for r in rows), f"{spec.name}.{column.name} is empty"
        first = spec.columns[0].name
        keys = [(r[first], r.get("span", "")) for r in rows]
        assert len(keys) == len(set(keys)), spec.name
        assert all(k[0].startswith("https://w3id.org/dti-kg/id/") for k in keys)


@pytest.mark.parametrize(("table", "pattern"), [
    ("studies", "?s kg:describedIn ?d"),
    ("arms", "?a a kg:Arm"),
    ("populations", "?p a kg:Population"),
    ("results", "?r a kg:OutcomeResult"),
    ("comparisons", "?s kg:hasComparison ?c"),
    ("findings", "?s kg:hasFinding ?f"),
    ("claims", "?c a kg:Claim"),
    ("contradictions", "?c a kg:Contradiction"),
    ("evidence", "?s kg:hasEvidence ?e"),
    ("drug-indication-evidence", "?i a kg:DrugIndicationEvidence"),
    ("adverse-events", "?s kg:hasSafetyResult ?r"),
])
def test_one_row_per_statement_of_the_graph(tables: Path, ox, table: str, pattern: str):
    assert len(read_csv(tables / f"{table}.csv")) == count(ox, pattern)


def test_evidence_rows_are_the_source_text_at_their_offsets(tables: Path, ox):
    files = {r["d"].value: r["f"].value for r in ox.query(
        f"SELECT ?d ?f WHERE {{ ?d <{KG}sourceFile> ?f }}").rows}
    texts = {d: (SOURCES_DIR / "texts" / Path(f).name).read_text(encoding="utf-8")
             for d, f in files.items()}
    rows = read_csv(tables / "evidence.csv")
    for r in rows:
        assert texts[r["document"]][int(r["start"]):int(r["end"])] == r["quote"], r["span"]
        assert r["statement_label"] and r["sentence"] and r["document_label"]


def test_readable_columns_hold_labels_and_numbers_keep_units(tables: Path):
    results = read_csv(tables / "results.csv")
    assert all(not r["endpoint"].startswith("http") for r in results)
    assert all(r["unit"] for r in results if r["value"])
    hrs = [r for r in read_csv(tables / "comparisons.csv") if r["measure"] == "hazard ratio"]
    assert len(hrs) >= 9
    squamous = next(r for r in hrs if r["comparison"].endswith("escape/comparison/os-squamous-hr"))
    assert (squamous["estimate"], squamous["ci_low"], squamous["ci_high"]) == ("1.85", "1.22",
                                                                               "2.81")
    qualifiers = {r["p_value_qualifier"] for r in read_csv(tables / "comparisons.csv")}
    assert {"<", "="} <= qualifiers


def test_parquet_is_optional_and_the_readme_says_so(ox, tmp_path: Path):
    files = write_tables(ox, tmp_path, SPECS[:1], parquet=False)
    assert [f.name for f in files] == [SPECS[0].csv_name, "README.md"]
    assert "when `pyarrow` is installed" in files[-1].read_text(encoding="utf-8")


def test_report_and_editor_offer_the_tables(tables: Path):
    block = str(downloads_block())
    for spec in SPECS:
        assert f'href="tables/{spec.csv_name}" download' in block
        assert (tables / spec.csv_name).exists()
    editor = (QUERY_DIR / "editor.html").read_text(encoding="utf-8")
    assert 'id="downloads"' in editor and 'fetch("tables/")' in editor


def test_the_report_page_links_every_table_and_keeps_its_markup(real, tmp_path: Path):
    from kg.render.pages import write_report

    g = real.union()
    g.parse(ONTOLOGY_FILE)
    write_report(g, tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count('<section id="downloads">') == 1
    assert "<svg" in html and "&lt;svg" not in html and "&lt;table" not in html
    for spec in SPECS:
        assert f'href="tables/{spec.csv_name}"' in html


def test_the_server_lists_and_serves_tables_but_nothing_else(tables: Path):
    status, ctype, body = table_download(tables, "")
    listing = json.loads(body)
    assert status == 200 and ctype == "application/json"
    assert [x["file"] for x in listing] == [s.csv_name for s in SPECS]
    status, ctype, body = table_download(tables, "studies.csv")
    assert (status, ctype) == (200, "text/csv") and body.startswith(b"study,label,")
    for bad in ("../graph.trig", "..", "/etc/passwd", "studies.csv/x"):
        assert table_download(tables, bad)[0] == 404
    assert json.loads(table_download(None, "")[2]) == []


def kg_export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", "export", *args], capture_output=True,
                          text=True, check=False)


def test_cli_writes_tables(written: Path, tmp_path: Path):
    proc = kg_export("tables", "--graph", str(written / "graph.trig"), "--out",
                     str(tmp_path / "t"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "t" / "evidence.csv").exists() and "wrote" in proc.stdout


def test_cli_errors_are_one_line(written: Path, tmp_path: Path):
    proc = kg_export("tables", "--graph", str(tmp_path / "none.trig"), "--out", str(tmp_path))
    assert proc.returncode == 1 and "build the graph first" in proc.stderr
    a_file = tmp_path / "file"
    a_file.write_text("x")
    proc = kg_export("tables", "--graph", str(written / "graph.trig"), "--out", str(a_file))
    assert proc.returncode == 1 and "exists and is not a folder" in proc.stderr
    proc = kg_export("tables", "--graph", str(written / "graph.trig"), "--out",
                     str(a_file / "sub"))  # cannot be created, even by root
    assert proc.returncode == 1 and "cannot write there: Not a directory" in proc.stderr
    proc = kg_export("tables", "--graph", str(written / "graph.trig"))
    assert proc.returncode == 1 and "give --out DIR" in proc.stderr
    assert all("Traceback" not in p for p in (proc.stderr, proc.stdout))


def test_the_store_writes_the_same_csv_as_the_rows_writer(ox: OxigraphEngine):
    """The build's tables, serialised by pyoxigraph, equal ``to_csv`` of the rows byte for byte."""
    from kg.export.tables import csv_rows, csv_tables, run_tables, to_csv

    texts = csv_tables(ox.store, SPECS)
    assert texts is not None
    rows = run_tables(ox, SPECS)
    for spec in SPECS:
        assert texts[spec.name] == to_csv(rows[spec.name]).encode(), spec.name
        assert csv_rows(texts[spec.name]) == len(rows[spec.name].rows), spec.name


def test_the_store_csv_quotes_awkward_literals_as_the_rows_writer_does(tmp_path: Path):
    """Commas, quotes, line breaks (LF, CR, CRLF), empty and non-ASCII text, unbound cells."""
    import pyoxigraph as oxi

    from kg.export.tables import csv_rows, csv_tables, run_tables, to_csv

    store = oxi.Store()
    values = ["a,b", 'say "x"', "line\nbreak", "cr\rx", "crlf\r\nx", " lead", "trail ", "",
              "tab\tx", "é ü 中", '"', ","]
    for i, v in enumerate(values):
        store.add(oxi.Quad(oxi.NamedNode(f"urn:s{i:02d}"), oxi.NamedNode("urn:p"),
                           oxi.Literal(v), oxi.NamedNode("urn:g")))
    store.add(oxi.Quad(oxi.NamedNode("urn:s99"), oxi.NamedNode("urn:p"),
                       oxi.Literal("3.50", datatype=oxi.NamedNode(
                           "http://www.w3.org/2001/XMLSchema#decimal")), oxi.NamedNode("urn:g")))
    rq = tmp_path / "awkward.rq"
    rq.write_text("# table: awkward\n# description: made-up values\n# column: s | subject\n"
                  "# column: o | value\n# column: none | never bound\n"
                  "SELECT ?s ?o ?none\nWHERE { ?s <urn:p> ?o } ORDER BY ?s\n", encoding="utf-8")
    specs = [parse_spec(rq)]
    texts = csv_tables(store, specs)
    assert texts is not None
    rows = run_tables(OxigraphEngine.over(store), specs)["awkward"]
    assert texts["awkward"] == to_csv(rows).encode()
    assert csv_rows(texts["awkward"]) == len(values) + 1
    written = write_tables(None, tmp_path / "out", specs, texts=texts)
    assert written[0].read_bytes() == texts["awkward"]
    assert f"({len(values) + 1} rows)" in written[-1].read_text(encoding="utf-8")


def test_a_one_column_table_or_parquet_keeps_the_rows_writer(tmp_path: Path, monkeypatch):
    """Where pyoxigraph's CSV would differ (one empty cell) or rows are needed (Parquet)."""
    import pyoxigraph as oxi

    from kg.export import tables

    rq = tmp_path / "one.rq"
    rq.write_text("# table: one\n# description: one column\n# column: s | subject\n"
                  "SELECT ?s\nWHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert tables.csv_tables(oxi.Store(), [parse_spec(rq)]) is None
    monkeypatch.setattr(tables, "parquet_available", lambda: True)
    assert tables.csv_tables(oxi.Store(), SPECS) is None


@pytest.mark.parametrize("text", [
    b"", b"a,b\n", b"a,b\r\n1,2\r\n", b"a,b\n1,2", b'a,b\n"x\ny",2\n"say ""q""",3\n',
    b'a\n"\n"\n""\n', b'a,b\r\n"line\r\nbreak","cr\rx"\r\n,\r\n', b"a\n\n\nb\n"])
def test_csv_rows_counts_as_the_csv_reader_does(text: bytes):
    """Line ends inside quotes (doubled quotes too), blank rows, a last row without its end."""
    import csv
    import io

    from kg.export.tables import csv_rows

    lines = io.TextIOWrapper(io.BytesIO(text), encoding="utf-8", newline="")
    assert csv_rows(text) == sum(1 for _ in csv.reader(lines)) - 1
