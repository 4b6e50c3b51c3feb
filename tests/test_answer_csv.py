"""The whole answers' CSV, written by kg build: sent as it is, identical to the plain query's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.query.answertables import FOLDER, AnswerTables, TableRows
from kg.query.engine import OxigraphEngine
from kg.query.formats import stream_select
from kg.query.library import load_library
from tests.test_answer_tables import engines, ten  # noqa: F401 - fixtures used below

LIBRARY = load_library()


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_stored_csv_is_the_plain_querys_csv(engines, name: str):  # noqa: F811
    fast, slow = engines
    text = LIBRARY[name].bind()
    answer = fast.stream(text)
    assert isinstance(answer, TableRows)
    stored = fast.answers.get(text).stored_csv()  # type: ignore[union-attr]
    assert stored is not None, f"{name}: no CSV written by the build"
    body = "".join(stream_select(answer, "csv"))
    assert body.encode("utf-8") == stored  # the stored bytes are what is sent
    assert body == "".join(stream_select(slow.stream(text), "csv")), name


def _copy(built: Path, to: Path) -> Path:
    for f in ("graph.trig", "ontology.ttl"):
        shutil.copyfile(built / f, to / f)
    shutil.copytree(built / FOLDER, to / FOLDER)
    return to / "graph.trig"


def test_a_damaged_csv_is_not_sent_the_page_is_converted_instead(built_output: Path,
                                                                   tmp_path: Path):
    graph = _copy(built_output, tmp_path)
    text = LIBRARY["drug-studies"].bind()
    good = "".join(stream_select(OxigraphEngine(graph).stream(text), "csv"))
    (tmp_path / FOLDER / "drug-studies.csv").write_bytes(b"study\r\nnot this one\r\n")
    table = AnswerTables(graph).get(text)
    assert table is not None and table.stored_csv() is None  # the TSV table is still used
    answer = OxigraphEngine(graph).stream(text)
    assert isinstance(answer, TableRows)
    assert "".join(stream_select(answer, "csv")) == good


def test_a_page_is_converted_from_its_rows_not_cut_from_the_csv(built_output: Path):
    engine = OxigraphEngine(built_output / "graph.trig")
    text = LIBRARY["drug-studies"].bind()
    whole = "".join(stream_select(engine.stream(text), "csv")).split("\r\n")
    page = "".join(stream_select(engine.stream(text, limit=2, offset=1), "csv")).split("\r\n")
    assert page[0] == whole[0] and page[1:3] == whole[2:4] and page[3:] == [""]
