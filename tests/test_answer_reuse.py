"""Named answers kept from the last build when an edit provably leaves them alone.

Each case builds a corpus with the cache warm, edits it, builds again, and requires every
output file to equal a clean ``--no-cache`` build's byte for byte (the clean build queries all
22 answers whole), and that some answers were kept and some queried: a proof that kept an answer
the edit changed would fail the comparison.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.cli import main
from kg.export import atomic
from kg.paths import SOURCES_DIR
from kg.query import footprint, reuse
from tests.test_cache import snapshot
from tests.test_pieces import (
    edit_label,
    edit_number,
    recorded,
    run_build,
    same_as_clean,
    study_label_edit,
    warm_copy,
)


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The answers taken from the last build, as builds in this process take them."""
    return recorded(monkeypatch, reuse.LastAnswers, "tsv", lambda name, *_: name)


edit_study_label = study_label_edit(5, "graph.ttl")
EDITS: dict[str, Callable[[Path, bool], tuple[str, str]]] = {
    "number": edit_number, "study label": edit_study_label, "entity label": edit_label}


CASES = [(e, s) for e in EDITS for s in (True, False) if not (s and e == "study label")]


@pytest.mark.parametrize(("edit", "shipped"), CASES,
                         ids=[f"{e}-{'shipped' if s else '10x'}" for e, s in CASES])
def test_kept_answers_equal_a_clean_build(edit: str, shipped: bool, synthetic: Path,
                                          tmp_path: Path, kept: list[str]):
    src, out = warm_copy(SOURCES_DIR if shipped else synthetic, tmp_path, "--no-html")
    assert not kept  # a first build has nothing to keep
    file, expected = EDITS[edit](src, shipped)
    run_build(src, out, "--no-html")
    assert expected in (out / file).read_text(encoding="utf-8")
    same_as_clean(src, out, tmp_path)
    assert kept, "no answer was kept"
    assert len(kept) < len(footprint.default_texts()), "every answer was kept"


@pytest.mark.parametrize("shipped", [True, False], ids=["shipped", "10x"])
def test_a_removed_and_an_added_document(shipped: bool, synthetic: Path, tmp_path: Path,
                                         kept: list[str]):
    src, out = warm_copy(SOURCES_DIR if shipped else synthetic, tmp_path, "--no-html")
    gone = ([src / "evidence" / "santoro-2013.yaml", src / "texts" / "santoro-2013-sarcoma.txt"]
            if shipped else [src / "evidence" / "syn-00001.yaml", src / "texts" / "syn-00001.txt"])
    data = [path.read_bytes() for path in gone]
    for path in gone:
        path.unlink()
    run_build(src, out, "--no-html", "--allow-shrink")
    same_as_clean(src, out, tmp_path, "--allow-shrink")
    removed = len(kept)
    for path, old in zip(gone, data, strict=True):
        path.write_bytes(old)
    run_build(src, out, "--no-html")
    same_as_clean(src, out, tmp_path)
    assert kept and (shipped or (removed and len(kept) > removed))


@pytest.mark.parametrize("shipped", [True, False], ids=["shipped", "10x"])
def test_an_interrupted_build_leaves_no_state_a_later_build_trusts(
        shipped: bool, synthetic: Path, tmp_path: Path, kept: list[str],
        monkeypatch: pytest.MonkeyPatch):
    src, out = warm_copy(SOURCES_DIR if shipped else synthetic, tmp_path, "--no-html")
    before = snapshot(out / ".cache")
    edit_number(src, shipped)

    def interrupted(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(atomic, "replace_dir", interrupted)
        assert main(["build", "--sources", str(src), "--out", str(out), "--quiet",
                     "--no-html"]) != 0  # said: "interrupted; output left unchanged"
    assert snapshot(out / ".cache") == before  # nothing of the interrupted build entered
    # a second edit on top, compared with the last build that succeeded
    (edit_label if shipped else edit_study_label)(src, shipped)
    run_build(src, out, "--no-html")
    same_as_clean(src, out, tmp_path)
    assert kept


def test_an_answer_file_changed_since_is_queried_again(synthetic: Path, tmp_path: Path,
                                                       kept: list[str]):
    src, out = warm_copy(synthetic, tmp_path, "--no-html")
    target = out / "answers" / "drug-targets.tsv"
    target.write_bytes(target.read_bytes() + b"\n")
    edit_study_label(src, False)
    run_build(src, out, "--no-html")
    same_as_clean(src, out, tmp_path)
    assert kept and "drug-targets" not in kept


def test_a_last_graph_file_that_is_not_the_noted_graph_keeps_nothing(
        synthetic: Path, tmp_path: Path, kept: list[str]):
    src, out = warm_copy(synthetic, tmp_path, "--no-html")
    edit_study_label(src, False)
    trig = out / "graph.trig"  # the edited study's old block no longer has its noted digest
    trig.write_bytes(trig.read_bytes().replace(b"randomised phase II study", b"randomised"))
    run_build(src, out, "--no-html")
    assert not kept
    same_as_clean(src, out, tmp_path)


def test_the_stored_footprints_are_current():
    """``python -m kg.query.footprint`` writes the file again."""
    assert footprint.STORED.read_text(encoding="utf-8") == footprint.stored_json(), \
        "kg/query/footprints.json is stale: run python -m kg.query.footprint"


def test_footprints_guard_each_pattern_by_what_its_solutions_must_match():
    fp = footprint.footprint(
        "SELECT * WHERE { ?s a <urn:C> ; <urn:p>/<urn:q> ?o . ?s <urn:a>|<urn:b> ?y . "
        "?s <urn:t>+ ?z { SELECT ?s WHERE { ?s <urn:k> ?hidden } } "
        "OPTIONAL { ?o ^<urn:r> ?x } FILTER NOT EXISTS { ?s <urn:n> ?w } "
        "{ ?s <urn:u1> ?u } UNION { ?s <urn:u2> ?u } }")
    assert fp is not None
    scopes = {tuple(map(tuple, g)): {footprint._from_json(p) for p in c} for g, c in fp}
    main = next(g for g in scopes if any(p[:2] == ("?s", "<urn:p>") for p in g))
    via = next(p[2] for p in main if p[1] == "<urn:p>")  # the path's fresh middle
    assert via.startswith("?~")
    assert {(via, "<urn:q>", "?o"), ("?s", "<urn:a> <urn:b>", "?y")} <= set(main)
    # the subquery guards through ?s alone: its own variable is renamed apart
    assert any(p[:2] == ("?s", "<urn:k>") and p[2].startswith("?~") for p in scopes[main]
               if p[0] != "UNION")
    assert scopes[(("?s", "<urn:k>", "?hidden"),)] == set()  # nothing outside guards it
    optional = scopes[(("?x", "<urn:r>", "?o"),)]
    assert set(main) <= optional  # the required side guards the OPTIONAL ...
    assert not any(p[0] != "UNION" and p[1] == "<urn:r>" for p in scopes[main])  # not back
    assert set(main) <= scopes[(("?s", "<urn:n>", "?w"),)]  # and the NOT EXISTS
    # a UNION guards with either branch; a branch is not guarded by the other
    assert ("UNION", (("?s", "<urn:u1>", "?u"),), (("?s", "<urn:u2>", "?u"),)) in scopes[main]
    assert not any(p[1] == "<urn:u2>" for p in scopes[(("?s", "<urn:u1>", "?u"),)])
    assert scopes[(("*", "<urn:t>", "*"),)] == set()  # a + path's step stands alone
    for text in ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s <urn:p>* ?o }",
                 "SELECT * WHERE { GRAPH ?g { ?s <urn:p> ?o } }",
                 "SELECT (RAND() AS ?r) WHERE { ?s <urn:p> ?o }",
                 "SELECT * WHERE { ?s <urn:p> ?o FILTER EXISTS { ?s ?any ?o } }"):
        assert footprint.footprint(text) is None, text


def test_a_statement_counts_only_if_its_pattern_s_fellows_find_something():
    import pyoxigraph as ox

    store = ox.Store()
    n = ox.NamedNode
    store.add(ox.Quad(n("urn:i"), n("urn:target"), n("urn:t"), n("urn:g")))
    fp = [([("?i", "<urn:target>", "?t"), ("?t", "<urn:label>", "?l")], [])]
    label = ox.Quad(n("urn:t"), n("urn:label"), ox.Literal("new"), n("urn:g"))
    other = ox.Quad(n("urn:study"), n("urn:label"), ox.Literal("new"), n("urn:g"))
    assert reuse.touches(fp, {label}, set(), store)  # urn:t is a target: its label is read
    assert not reuse.touches(fp, {other}, set(), store)  # no target is urn:study
    gone = ox.Quad(n("urn:j"), n("urn:target"), n("urn:study"), n("urn:g"))
    assert reuse.touches(fp, {other, gone}, {gone}, store)  # it was one in the old graph
    assert n(reuse.SCRATCH) not in set(store.named_graphs())  # the old graph's part: gone
    either = [([("?t", "<urn:label>", "?l")],
               [("UNION", (("?i", "<urn:target>", "?t"),), (("?t", "<urn:kind>", "?k"),))])]
    assert reuse.touches(either, {label}, set(), store)  # a target: the first branch holds
    assert not reuse.touches(either, {other}, set(), store)  # neither holds for urn:study
    # two steps away: the target's interaction must come from a drug the context names
    deep = [([("?t", "<urn:label>", "?l")],
             [("?i", "<urn:target>", "?t"), ("?i", "<urn:drug>", "<urn:sorafenib>")])]
    assert not reuse.touches(deep, {label}, set(), store)
    store.add(ox.Quad(n("urn:i"), n("urn:drug"), n("urn:sorafenib"), n("urn:g")))
    assert reuse.touches(deep, {label}, set(), store)


def test_kept_answers_equal_fresh_ones_after_random_edits(tmp_path: Path, kept: list[str]):
    """Edits as files really change (``tests/mutations.py``), applied to the last good state.

    Each build that succeeds must hold, for every named query, the answer computed afresh on
    its own graph.trig; some answers must have been kept along the way.
    """
    import contextlib
    import io

    import pyoxigraph as ox

    from kg.assemble import add_ontology
    from kg.query.precompute import compute_answers
    from tests.mutations import FILES, case_rng, mutate

    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(SOURCES_DIR, src)

    def build() -> int:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return main(["build", "--sources", str(src), "--out", str(out), "--quiet",
                         "--no-html", "--allow-shrink"])

    assert build() == 0
    built = 0
    for case in range(30):
        mutation = mutate(case_rng(7, case), SOURCES_DIR)
        for name in FILES:
            shutil.copyfile(SOURCES_DIR / name, src / name)
        (src / mutation.file).write_bytes(mutation.data)
        if build() != 0:
            continue
        built += 1
        store = ox.Store()
        store.load(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)
        add_ontology(store)
        wrong = [a.name for a in compute_answers(store)
                 if (out / "answers" / f"{a.name}.tsv").read_bytes() != a.tsv]
        assert not wrong, f"{mutation}: {wrong}"
    assert built >= 5 and kept
