"""A build in pieces equals a whole one: quads, files byte for byte, and validation verdicts.

The shipped corpus and a 10x synthetic one are built once with the cache warm, then edited in
one way each (a number with its quote and text, a quote, an entity label, an ontology term) and
built again: the edit must show up in the files, and every output file (the pages too) must
equal a clean ``--no-cache`` build of the edited sources in another folder. No file of a build
holds a timing, so nothing is left out of the comparison (the cache folder is not output).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef

from kg import cli
from kg.assemble import build
from kg.cache import BuildCache, cache_dir
from kg.counts import count
from kg.paths import ONTOLOGY_FILE, SOURCES_DIR
from kg.pieces import document_groups
from tests.test_cache import replace, snapshot

ROOT = Path(__file__).resolve().parent.parent


def reseal(src: Path, evidence: str, text: str) -> None:
    """Put the edited text's checksum into its evidence file, as a curator would."""
    digest = hashlib.sha256((src / text).read_bytes()).hexdigest()
    ev = src / evidence
    lines = [f"  sha256: {digest}" if line.startswith("  sha256:") else line
             for line in ev.read_text(encoding="utf-8").splitlines()]
    ev.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_build(src: Path, out: Path, *extra: str, fresh: bool = False) -> None:
    """``kg build`` in this process, or (``fresh``) in a new one: the ontology is read once."""
    args = ["build", "--sources", str(src), "--out", str(out), "--quiet", *extra]
    if fresh:
        subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, check=True,
                       capture_output=True)
    else:
        assert cli.main(args) == 0


def edit_number(src: Path, shipped: bool) -> tuple[str, str]:
    ev, text = (("evidence/santoro-2013.yaml", "texts/santoro-2013-sarcoma.txt") if shipped
                else ("evidence/syn-00000.yaml", "texts/syn-00000.txt"))
    old, new = ("56.3", "56.4") if shipped else ("3.8", "3.9")
    for rel in (text, ev):
        replace(src / rel, old, new)
    reseal(src, ev, text)
    return "graph.ttl", f"kg:value {new}"


def edit_quote(src: Path, shipped: bool) -> tuple[str, str]:
    if shipped:
        old = ("quote: Sorafenib has been developed as a target of RAF protein, but also "
               "inhibits several other receptor tyrosine kinases and proteins.")
        new = "quote: Sorafenib has been developed as a target of RAF protein"
        replace(src / "evidence/nsclc-review.yaml", old, new)
        return "graph.ttl", '"Sorafenib has been developed as a target of RAF protein"'
    old = 'quote: "The primary endpoint of SYN-000000 was progression-free survival."'
    replace(src / "evidence/syn-00000.yaml", old, 'quote: "primary endpoint of SYN-000000"')
    return "graph.ttl", '"primary endpoint of SYN-000000"'


def edit_label(src: Path, shipped: bool) -> tuple[str, str]:
    replace(src / "entities.yaml", "label: sorafenib\n", "label: sorafenib (relabelled)\n")
    return "graph.jsonld", '"sorafenib (relabelled)"'


def warm_copy(corpus: Path, tmp_path: Path, *extra: str) -> tuple[Path, Path]:
    """A copy of a corpus and its first build (``tmp_path/src``, ``tmp_path/warm/output``)."""
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "warm" / "output"
    run_build(src, out, *extra)
    return src, out


def same_as_clean(src: Path, out: Path, tmp: Path, *extra: str, html: bool = False) -> None:
    """The cached build in ``out`` equals a clean build of ``src`` byte for byte."""
    clean = tmp / "clean" / "output"
    shutil.rmtree(clean.parent, ignore_errors=True)
    run_build(src, clean, "--no-cache", *(() if html else ("--no-html",)), *extra)
    assert snapshot(out) == snapshot(clean)


def study_label_edit(n: int, file: str) -> Callable[[Path, bool], tuple[str, str]]:
    """An edit of one synthetic study's label (``benchmarks.builds.edit_one``), seen in ``file``."""
    def edit(src: Path, _shipped: bool) -> tuple[str, str]:
        from benchmarks.builds import edit_one

        edit_one(src, n)
        return file, f"[edit {n}]"
    return edit


def recorded(monkeypatch: pytest.MonkeyPatch, owner: type, attr: str,
             key: Callable[..., str]) -> list[str]:
    """What ``owner.attr`` returned something for, as builds in this process call it."""
    got: list[str] = []
    original = getattr(owner, attr)

    def counted(self: object, *args: object) -> object:
        data = original(self, *args)
        if data is not None:
            got.append(key(*args))
        return data

    monkeypatch.setattr(owner, attr, counted)
    return got


EDITS: dict[str, Callable[[Path, bool], tuple[str, str]]] = {
    "number": edit_number, "quote": edit_quote, "entity label": edit_label}


@pytest.mark.parametrize("shipped", [True, False], ids=["shipped", "10x"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_shows_up_and_the_cached_build_equals_a_clean_one(
        edit: str, shipped: bool, synthetic: Path, tmp_path: Path):
    src = tmp_path / "src"
    shutil.copytree(SOURCES_DIR if shipped else synthetic, src)
    out = tmp_path / "warm" / "output"
    run_build(src, out)
    pieces = sorted((cache_dir(out) / "pieces").glob("*.pickle"))
    assert pieces
    views = _views(snapshot(out))
    file, expected = EDITS[edit](src, shipped)
    assert expected not in (out / file).read_text(encoding="utf-8")
    run_build(src, out)
    assert expected in (out / file).read_text(encoding="utf-8")
    clean = tmp_path / "clean" / "output"
    run_build(src, clean, "--no-cache")
    assert snapshot(out) == snapshot(clean)
    _shows_where_it_should(edit, shipped, views, _views(snapshot(out)))
    kept = set(pieces) & set((cache_dir(out) / "pieces").glob("*.pickle"))
    if edit == "entity label":
        assert not kept  # every piece read the entities
    elif not shipped:
        assert kept  # the unedited documents' pieces were reused


# what each edit puts into the views, or takes out of them
SHOWN = {("number", True): ("56.4", None), ("number", False): ("3.9", None),
         ("quote", True): (None, None),  # a drug-target statement's: no view shows its quote
         ("quote", False): (None, "The primary endpoint of SYN-000000 was"),
         ("entity label", True): ("sorafenib (relabelled)", None),
         ("entity label", False): ("sorafenib (relabelled)", None)}


def _views(snap: dict[str, bytes]) -> dict[str, str]:
    """The pages, the index and the GraphML of a build."""
    return {k: v.decode("utf-8") for k, v in snap.items()
            if k.endswith((".html", ".graphml")) and not k.startswith("lib/")}


def _shows_where_it_should(edit: str, shipped: bool, before: dict[str, str],
                           after: dict[str, str]) -> None:
    """The edit is in the views that show it; a synthetic study's edit redraws its page alone."""
    assert set(after) == set(before)
    changed = {k for k in after if after[k] != before[k]}
    added, removed = SHOWN[edit, shipped]
    showing = {k for k, text in after.items()
               if added is not None and added in text and added not in before[k]}
    assert showing <= changed
    if added is not None:
        assert showing
    if removed is not None:
        assert any(removed in text for text in before.values())
        assert not any(removed in text for text in after.values())
    if edit == "entity label":  # a drug's name: the overview, the index and the GraphML
        assert {"overview.html", "index.html", "graph.graphml"} <= showing
    elif not shipped:  # one synthetic study's number or quote: its page, not the others'
        studies = {k for k in after if k.startswith("views/study-")}
        assert 1 <= len(changed & studies) <= 3 < len(studies)
    elif added is None and removed is None:
        assert not changed, changed


@pytest.mark.parametrize("shipped", [True, False], ids=["shipped", "10x"])
def test_an_edited_ontology_term_rebuilds_every_piece_and_shows_up(
        shipped: bool, synthetic: Path, tmp_path: Path):
    src = tmp_path / "src"
    shutil.copytree(SOURCES_DIR if shipped else synthetic, src)
    out = tmp_path / "warm" / "output"
    extra = () if shipped else ("--no-html",)
    run_build(src, out, *extra, fresh=True)
    pieces = set((cache_dir(out) / "pieces").glob("*.pickle"))
    original = ONTOLOGY_FILE.read_bytes()
    old, new = b'rdfs:label "study arm" ;', b'rdfs:label "study arm (renamed)" ;'
    assert original.count(old) == 1
    try:  # the ontology is the project's own file: edited for this test and put back
        ONTOLOGY_FILE.write_bytes(original.replace(old, new))
        run_build(src, out, *extra, fresh=True)
        clean = tmp_path / "clean" / "output"
        run_build(src, clean, "--no-cache", *extra, fresh=True)
    finally:
        ONTOLOGY_FILE.write_bytes(original)
    assert b'"study arm (renamed)"' in (out / "ontology.ttl").read_bytes()
    assert not pieces & set((cache_dir(out) / "pieces").glob("*.pickle"))
    assert snapshot(out) == snapshot(clean)


@pytest.mark.parametrize("shipped", [True, False], ids=["shipped", "10x"])
def test_pieces_give_the_quads_of_a_whole_build(shipped: bool, synthetic: Path,
                                                tmp_path: Path):
    src = SOURCES_DIR if shipped else synthetic
    whole = build(src)
    cache = BuildCache(tmp_path / "out")
    first = build(src, cache=cache)
    cache.record("a build")
    again = BuildCache(tmp_path / "out")
    cached = build(src, cache=again)
    assert again.get("pieces", f"{cached.pieces[0].key}.pickle") is not None
    for name in whole.graphs:
        assert first.graphs[name] == whole.graphs[name] == cached.graphs[name], name
    assert set(cached.graphs) == set(whole.graphs)
    assert first.report.triples_per_builder == whole.report.triples_per_builder
    assert cached.report.triples_per_graph == whole.report.triples_per_graph
    # counted from the pieces' kept tallies, as the whole graph is counted
    assert cached.counts == first.counts == whole.counts == count(whole.triples)
    assert cached.counts.hazard_ratios > 0 and cached.counts.nodes["studies"] > 0


def test_counts_from_tallies_count_a_node_typed_in_two_pieces_once():
    from rdflib.namespace import RDF

    from kg.pieces import Piece, count_pieces, tally
    from kg.vocab import KG

    s, c = URIRef("urn:study"), URIRef("urn:comparison")
    one = {"a": {(s, RDF.type, KG.ClinicalTrial), (c, KG.measure, KG.HazardRatio)}}
    two = {"b": {(s, RDF.type, KG.Study), (c, KG.measure, KG.HazardRatio)}}
    pieces = [Piece("1", one, {}, {}, tally(one)), Piece("", two, {}, {})]
    triples = frozenset(one["a"] | two["b"])
    assert count_pieces(pieces, triples) == count(triples)
    assert count_pieces(pieces, triples).nodes["studies"] == 1


def test_documents_that_share_a_study_are_one_group(mini_copy: Path):
    from dataclasses import replace as changed

    from kg.sources.loader import load_corpus

    corpus, _ = load_corpus(mini_copy)
    (f,) = corpus.files
    assert document_groups([f]) == [[f]]
    study = f.studies[0]
    other = type(f)(path="other.yaml", document=f.document, interactions=(),
                    studies=(changed(study, extends=study.id),),
                    claims=(), contradictions=())
    lone = type(f)(path="lone.yaml", document=f.document, interactions=(), studies=(),
                   claims=(), contradictions=())
    assert document_groups([f, lone, other]) == [[f, other], [lone]]


def test_the_checks_on_changed_nodes_find_what_the_whole_check_finds(real):
    """A valid graph broken at one node: the focus (that node and its neighbours) suffices."""
    import pyoxigraph as ox

    from kg.validate import check_store, focus_nodes, short
    from kg.vocab import KG, RDF, RDFS

    store = real.store
    trials = {s for s, p, o in real.triples if p == RDF.type and o == KG.ClinicalTrial}
    study, arm = min((s, o) for s, p, o in real.triples if s in trials and p == KG.hasArm)
    span = min(o for s, p, o in real.triples if s == arm and p == KG.hasEvidence)
    broken = ox.Store()
    broken.extend(store)
    for quad in list(broken.quads_for_pattern(ox.NamedNode(str(study)),
                                              ox.NamedNode(str(RDFS.label)), None)):
        broken.remove(quad)
    for quad in list(broken.quads_for_pattern(ox.NamedNode(str(span)),
                                              ox.NamedNode(str(RDF.type)), None)):
        broken.remove(quad)
    assert check_store(store) == []
    whole = check_store(broken)
    assert short(study) in {v.focus for v in whole}
    # the arm's evidence is no longer an EvidenceSpan: a verdict on a node that did not change
    assert (short(arm), "kg:hasEvidence") in {(v.focus, v.path) for v in whole}
    focus = focus_nodes(broken, {str(study), str(span)})
    assert focus is not None and {str(study), str(arm)} <= focus
    assert check_store(broken, focus=focus) == whole
    assert check_store(broken, focus={str(study), str(span)}) != whole  # not without the arm
    assert check_store(broken, focus=set()) == []
    assert isinstance(study, URIRef)


def test_an_edit_redraws_only_what_it_read(synthetic: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]):
    """One study's label edited at 10x: its page and the nodes that show it are drawn again."""
    import re

    from benchmarks.builds import edit_one

    src = tmp_path / "src"
    shutil.copytree(synthetic, src)
    out = tmp_path / "warm" / "output"
    run_build(src, out)
    edit_one(src, 1)
    capsys.readouterr()
    assert cli.main(["build", "--sources", str(src), "--out", str(out)]) == 0
    said = capsys.readouterr().err
    pages = re.search(r"\((\d+) study pages unchanged", said)
    kept = re.search(r"(\d+) of (\d+) nodes' attributes and (\d+) search entries unchanged", said)
    assert pages and kept, said
    studies = len(list((out / "views").glob("study-*.html")))
    assert studies - 3 <= int(pages.group(1)) < studies
    attrs, nodes, entries = (int(x) for x in kept.groups())
    assert nodes * 0.9 < attrs < nodes and nodes * 0.9 < entries < nodes
    assert "[edit 1]" in (out / "index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean" / "output"
    run_build(src, clean, "--no-cache")
    assert snapshot(out) == snapshot(clean)


def test_node_keys_change_with_what_a_node_states_and_what_points_at_it():
    """``NodeKeys``: a node's own blocks' digests (``subject_keys``), and what points at it."""
    from rdflib import Literal

    from kg.render.pagecache import NodeKeys
    from kg.render.readgraph import ReadGraph
    from kg.vocab import KG, RDFS

    a, b, c = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")
    before = ReadGraph([(a, RDFS.label, Literal("A")), (b, KG.hasArm, a)])
    keys = NodeKeys(before, {"urn:a": b"1", "urn:b": b"2"}, "salt")
    key = keys.key("page", b"", [a], [a])
    same = NodeKeys(ReadGraph([(a, RDFS.label, Literal("A")), (b, KG.hasArm, a)]),
                    {"urn:a": b"1", "urn:b": b"2", "urn:c": b"9"}, "salt")
    assert same.key("page", b"", [a], [a]) == key  # what the page never read changed
    relabelled = NodeKeys(before, {"urn:a": b"3", "urn:b": b"2"}, "salt")
    assert relabelled.key("page", b"", [a], [a]) != key
    pointed = ReadGraph([(a, RDFS.label, Literal("A")), (b, KG.hasArm, a), (c, KG.hasArm, a)])
    more = NodeKeys(pointed, {"urn:a": b"1", "urn:b": b"2"}, "salt")
    assert more.key("page", b"", [a], [a]) != key  # a statement pointing at it was added
    assert more.key("page", b"", [a], []) == keys.key("page", b"", [a], [])
    assert NodeKeys(before, {"urn:a": b"1", "urn:b": b"2"}, "other code").key(
        "page", b"", [a], [a]) != key


def test_a_file_from_the_cache_is_not_checked_again_but_an_edited_one_is(
        mini_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Cache hits skip the per-file checks (their bytes passed them); an edit is checked."""
    from kg.sources.loader import load_corpus

    out = tmp_path / "out"
    run_build(mini_copy, out, "--no-html")
    cache = BuildCache(out)
    corpus, texts = load_corpus(mini_copy, cache.evidence_reader(), cache.was_checked)
    (f,) = corpus.files
    assert cache.was_checked(f) and f.document.id not in dict(texts)  # not indexed yet
    _, eager = load_corpus(mini_copy)
    assert texts[f.document.id].text == eager[f.document.id].text
    replace(ev := next((mini_copy / "evidence").glob("*.yaml")),
            "quote: received examplinib 100 mg once daily",
            "quote: received examplinib 900 mg once daily")
    before = snapshot(out)
    capsys.readouterr()
    assert cli.main(["build", "--sources", str(mini_copy), "--out", str(out), "--quiet",
                     "--no-html"]) != 0
    said = capsys.readouterr().err
    assert f"{ev.name}:27:" in said and "quote: not found" in said, said
    assert snapshot(out) == before


def test_pages_linked_after_a_document_removed_and_added_back_equal_a_clean_build(
        synthetic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Study pages come from the last output (linked) and the rest follows, byte for byte.

    A study label edited (the other studies' pages linked, not written), a document removed,
    then a ``--no-html`` build (the pages carried over) and the document added back with
    pages: each output equals a clean build's.
    """
    from benchmarks.builds import edit_one

    src = tmp_path / "src"
    shutil.copytree(synthetic, src)
    out = tmp_path / "warm" / "output"
    clean = tmp_path / "clean" / "output"

    def same_as_clean(*extra: str) -> None:
        shutil.rmtree(clean, ignore_errors=True)
        run_build(src, clean, "--no-cache", *extra)
        assert snapshot(out) == snapshot(clean)

    run_build(src, out)
    other = out / "views" / "study-syn-000025.html"
    first = other.stat().st_ino
    edit_one(src, 1)
    run_build(src, out)
    assert other.stat().st_ino == first  # linked from the last output, not written again
    assert "[edit 1]" in (out / "views" / "study-syn-000000.html").read_text(encoding="utf-8")
    same_as_clean()
    gone = [src / "evidence" / "syn-00001.yaml", src / "texts" / "syn-00001.txt"]
    kept = [path.read_bytes() for path in gone]
    for path in gone:
        path.unlink()
    run_build(src, out, "--allow-shrink")
    assert not (out / "views" / "study-syn-000010.html").exists()
    same_as_clean("--allow-shrink")
    for path, data in zip(gone, kept, strict=True):
        path.write_bytes(data)
    run_build(src, out, "--no-html")
    run_build(src, out)
    assert (out / "views" / "study-syn-000010.html").exists()
    same_as_clean()
