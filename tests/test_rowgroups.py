"""Evidence tables merged from the last build's rows equal the tables a clean build queries.

A 10x synthetic corpus is built with the cache warm, then edited (a number with its quote and
text, a quote, a study label, an entity label, a document removed, the document added back)
and built again: every output file must equal a clean ``--no-cache`` build's byte for byte,
and the tables whose specs name their rows' anchor must have been merged, not queried whole.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.export import rowgroups
from kg.export.tables import ExportError, load_specs, parse_spec
from tests.test_cache import replace
from tests.test_pieces import (
    edit_label,
    edit_number,
    edit_quote,
    recorded,
    run_build,
    same_as_clean,
    study_label_edit,
    warm_copy,
)


@pytest.fixture
def merges(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables merged from kept rows (not queried whole), as builds in this process make them."""
    return recorded(monkeypatch, rowgroups.RowGroups, "rows", lambda _store, spec, _f: spec.name)


edit_study_label = study_label_edit(7, "tables/evidence.csv")


def anchored() -> set[str]:
    return {s.name for s in load_specs() if s.anchor is not None}


EDITS: dict[str, Callable[[Path, bool], tuple[str, str]]] = {
    "number": edit_number, "quote": edit_quote, "study label": edit_study_label,
    "entity label": edit_label}


@pytest.mark.parametrize("edit", list(EDITS))
def test_merged_tables_equal_a_clean_build(edit: str, synthetic: Path, tmp_path: Path,
                                           merges: list[str]):
    src, out = warm_copy(synthetic, tmp_path, "--no-html")
    assert not merges  # a first build has no rows to keep
    file, expected = EDITS[edit](src, False)
    run_build(src, out, "--no-html")
    if file.startswith("tables/"):
        assert expected in (out / file).read_text(encoding="utf-8")
    same_as_clean(src, out, tmp_path)
    assert set(merges) == anchored()  # an entity's label is its own statement: few changed


def test_a_removed_and_an_added_document_merge_like_a_clean_build(
        synthetic: Path, tmp_path: Path, merges: list[str]):
    src, out = warm_copy(synthetic, tmp_path, "--no-html")
    gone = [src / "evidence" / "syn-00001.yaml", src / "texts" / "syn-00001.txt"]
    kept = [path.read_bytes() for path in gone]
    for path in gone:
        path.unlink()
    run_build(src, out, "--no-html", "--allow-shrink")
    same_as_clean(src, out, tmp_path, "--allow-shrink")
    assert "SYN-000010" not in (out / "tables" / "evidence.csv").read_text(encoding="utf-8")
    assert set(merges) == anchored()
    merges.clear()
    for path, data in zip(gone, kept, strict=True):  # added (back): its rows are queried
        path.write_bytes(data)
    run_build(src, out, "--no-html")
    same_as_clean(src, out, tmp_path)  # its clean build made again
    assert "SYN-000010" in (out / "tables" / "evidence.csv").read_text(encoding="utf-8")
    assert set(merges) == anchored()


def test_a_table_file_touched_since_is_queried_whole(synthetic: Path, tmp_path: Path,
                                                     merges: list[str]):
    src, out = warm_copy(synthetic, tmp_path, "--no-html")
    table = out / "tables" / "claims.csv"
    table.write_bytes(table.read_bytes() + b"x,y\r\n")
    edit_study_label(src, False)
    run_build(src, out, "--no-html")
    same_as_clean(src, out, tmp_path)
    assert set(merges) == anchored() - {"claims"}


def test_groups_follow_rows_that_span_lines():
    data = (b"a,b\r\n"
            b"urn:x,\"one\r\ntwo\"\r\n"
            b"urn:x,plain\r\n"
            b"urn:y,\"say \"\"hi\"\"\nthere\"\r\n")
    head, anchors, ends, parents = rowgroups.groups(data, 1)
    assert data[:head] == b"a,b\r\n"
    assert anchors == ["urn:x", "urn:y"]
    assert data[head:ends[0]] == b"urn:x,\"one\r\ntwo\"\r\nurn:x,plain\r\n"
    assert ends[1] == len(data)
    assert parents == [("one\r\ntwo", "plain"), ('say "hi"\nthere',)]


def test_restricted_opens_every_block_with_the_anchors():
    q = ("SELECT ?a ?n\nWHERE {\n  { SELECT ?a (COUNT(?x) AS ?n) WHERE { ?a <urn:p> ?x } "
         "GROUP BY ?a }\n}\nORDER BY ?a\n")
    got = rowgroups.restricted(q, "a", ["urn:1", "urn:2"])
    assert got.count("VALUES ?a { <urn:1> <urn:2> }") == 2


def test_pointed_at_follows_one_step_forwards():
    import pyoxigraph as ox

    st = ox.Store()
    n = [ox.NamedNode(f"urn:{i}") for i in range(3)]
    p = ox.NamedNode("urn:p")
    st.extend([ox.Quad(n[0], p, n[1]), ox.Quad(n[0], p, ox.Literal("x")),
               ox.Quad(n[1], p, n[2])])
    assert rowgroups.pointed_at(st, {"urn:0"}, 10) == {"urn:1"}
    assert rowgroups.pointed_at(st, {"urn:0", "urn:1"}, 1) is None


def test_reaching_walks_backwards_the_given_steps():
    import pyoxigraph as ox

    st = ox.Store()
    n = [ox.NamedNode(f"urn:{i}") for i in range(4)]
    p = ox.NamedNode("urn:p")
    st.extend([ox.Quad(n[0], p, n[1]), ox.Quad(n[1], p, n[2]), ox.Quad(n[2], p, n[3])])
    assert rowgroups.reaching(st, {"urn:3"}, 1, 100) == {"urn:3", "urn:2"}
    assert rowgroups.reaching(st, {"urn:3"}, 2, 100) == {"urn:3", "urn:2", "urn:1"}
    assert rowgroups.reaching(st, {"urn:3"}, 3, 2) is None  # too many: the whole query


@pytest.mark.parametrize("header", ["# rows: label, reach 1",  # not the first column
                                    "# rows: item reach 1",  # no comma
                                    "# rows: item, reach one",
                                    "# rows: item, reach 1, from nowhere"])  # not a column
def test_a_bad_rows_header_is_refused(header: str, tmp_path: Path):
    spec = (load_specs()[0].path.parent / "drug-indication-evidence.rq").read_text(
        encoding="utf-8")
    bad = tmp_path / "bad.rq"
    bad.write_text(spec.replace("# rows: item, reach 1", header), encoding="utf-8")
    with pytest.raises(ExportError, match="rows"):
        parse_spec(bad)


def test_a_rows_header_needs_the_anchor_in_every_select(tmp_path: Path):
    spec = (load_specs()[0].path.parent / "claims.rq").read_text(encoding="utf-8")
    bad = tmp_path / "bad.rq"
    bad.write_text(spec, encoding="utf-8")
    replace(bad, "SELECT ?claim (GROUP_CONCAT", "SELECT ?other (GROUP_CONCAT")
    with pytest.raises(ExportError, match="every SELECT"):
        parse_spec(bad)


def test_a_row_whose_parent_let_go_of_it_is_redone():
    """A parent whose statements changed may no longer point at its row: the old row says so."""
    import pyoxigraph as ox

    from kg.export.tables import Column, TableSpec

    st = ox.Store()  # the new graph: urn:p no longer points at urn:a
    st.add(ox.Quad(ox.NamedNode("urn:p"), ox.NamedNode("urn:label"), ox.Literal("P")))
    spec = TableSpec("t", "", (Column("a", ""), Column("p", "")), "", Path("t.rq"), "a", 1, "p")
    kept = rowgroups.RowGroups.__new__(rowgroups.RowGroups)
    kept.changed, kept.digests = {"urn:p"}, {}
    near = kept.near(st, spec, ["urn:a", "urn:b"], [("urn:p",), ("urn:q",)])
    assert near is not None and "urn:a" in near and "urn:b" not in near


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times builds in this process loaded their store."""
    from kg.assemble import BuildResult

    made: list[int] = []
    store = BuildResult.store.fget

    def counted(self: BuildResult):
        if self._store is None:
            made.append(1)
        return store(self)

    monkeypatch.setattr(BuildResult, "store", property(counted))
    return made


def test_an_unchanged_graph_keeps_the_verdict_tables_and_answers(
        synthetic: Path, tmp_path: Path, loads: list[int]):
    src, out = warm_copy(synthetic, tmp_path, "--no-html")
    assert loads == [1]
    ev = src / "evidence" / "syn-00002.yaml"
    ev.write_text(ev.read_text(encoding="utf-8") + "# a curator's note: no statement\n",
                  encoding="utf-8")
    run_build(src, out, "--no-html")  # the input changed, the graph did not
    run_build(src, out)  # other options, the same graph: the pages are drawn
    assert loads == [1]  # neither loaded a store: nothing in it changed
    same_as_clean(src, out, tmp_path, html=True)


def test_kept_answers_that_are_not_as_noted_are_computed_again(
        synthetic: Path, tmp_path: Path, loads: list[int]):
    src, out = warm_copy(synthetic, tmp_path, "--no-html")
    answer = sorted((out / "answers").glob("*.tsv"))[0]
    answer.write_bytes(answer.read_bytes() + b"\n")
    run_build(src, out, "--no-html", "--allow-shrink")  # other options, the same graph
    assert len(loads) == 2  # the answers were computed on a store
    same_as_clean(src, out, tmp_path, "--allow-shrink")


def test_a_graph_never_validated_is_validated_though_unchanged(
        synthetic: Path, tmp_path: Path, loads: list[int]):
    src, out = warm_copy(synthetic, tmp_path, "--no-html", "--no-validate")
    run_build(src, out, "--no-html")  # the same graph, now checked: on its store
    assert len(loads) == 2
    run_build(src, out, "--no-html", "--allow-shrink")  # checked and unchanged: kept
    assert len(loads) == 2
