"""The build cache: a cached build is byte-identical to a clean one, and never serves stale data.

Each case edits a copy of the mini corpus in one way (a number with its quote and text, a quote,
an entity label, the ontology folder's files are covered by the fingerprint), rebuilds with the
cache warm, and requires the output to equal, file for file, a clean build of the edited sources
in a fresh folder, and to contain the new value.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from kg import cli
from kg.cache import BuildCache, cache_dir, fingerprint
from tests.conftest import MINI

EVIDENCE = "evidence/examplinib.yaml"
TEXT = "texts/examplinib.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file but the cache's own."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != ".cache"}


def kg_build(sources: Path, out: Path, *extra: str) -> int:
    return cli.main(["build", "--sources", str(sources), "--out", str(out), "--quiet",
                     "--no-html", *extra])


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the mini corpus, built once so that the cache holds its evidence file."""
    src = tmp_path / "src"
    shutil.copytree(MINI, src)
    out = tmp_path / "build" / "output"
    assert kg_build(src, out) == 0
    assert list((cache_dir(out) / "documents").glob("*.pickle"))
    return src, out


def clean_build(src: Path, tmp: Path) -> dict[str, bytes]:
    out = tmp / "clean" / "output"
    assert kg_build(src, out, "--no-cache") == 0
    assert not cache_dir(out).exists()
    return snapshot(out)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def reseal(src: Path) -> None:
    """Put the edited text's checksum into its evidence file, as a curator would."""
    digest = hashlib.sha256((src / TEXT).read_bytes()).hexdigest()
    ev = src / EVIDENCE
    lines = [f"  sha256: {digest}" if line.startswith("  sha256:") else line
             for line in ev.read_text(encoding="utf-8").splitlines()]
    ev.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_unchanged_corpus_is_not_built_again_and_a_cached_build_equals_a_clean_one(
        warm: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src, out = warm
    before = snapshot(out)
    capsys.readouterr()
    assert kg_build(src, out) == 0
    assert "is up to date" in capsys.readouterr().out
    assert snapshot(out) == before == clean_build(src, tmp_path)


def test_a_changed_number_shows_up(warm: tuple[Path, Path], tmp_path: Path):
    src, out = warm
    for path in (src / TEXT, src / EVIDENCE):
        replace(path, "survival was 4.2 months", "survival was 4.3 months")
    replace(src / EVIDENCE, "value: 4.2", "value: 4.3")
    reseal(src)
    assert kg_build(src, out) == 0
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "kg:value 4.3" in ttl and "kg:value 4.2" not in ttl
    assert snapshot(out) == clean_build(src, tmp_path)


def test_a_changed_quote_shows_up(warm: tuple[Path, Path], tmp_path: Path):
    src, out = warm
    before = (out / "graph.ttl").read_text(encoding="utf-8")
    assert '"Ten patients (25%) had a partial response."' in before
    endpoint = "\n      - id: pfs\n        type: pfs"  # the pr endpoint's quote, not the result's
    replace(src / EVIDENCE, "quote: Ten patients (25%) had a partial response." + endpoint,
            "quote: had a partial response" + endpoint)
    assert kg_build(src, out) == 0
    assert '"had a partial response"' in (out / "graph.ttl").read_text(encoding="utf-8")
    assert snapshot(out) == clean_build(src, tmp_path)


def test_a_changed_entity_label_shows_up_though_the_evidence_file_came_from_the_cache(
        warm: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src, out = warm
    replace(src / "entities.yaml", "label: examplinib", "label: examplinib (v2)")
    capsys.readouterr()
    assert cli.main(["build", "--sources", str(src), "--out", str(out), "--no-html"]) == 0
    assert "cache: 1 of 1 evidence file(s) unchanged" in capsys.readouterr().err
    assert '"examplinib (v2)"' in (out / "graph.ttl").read_text(encoding="utf-8")
    assert snapshot(out) == clean_build(src, tmp_path)


def test_a_failed_build_writes_no_cache(tmp_path: Path):
    src = tmp_path / "src"
    shutil.copytree(MINI, src)
    replace(src / "entities.yaml", "label: examplinib", "label: ''")
    out = tmp_path / "output"
    assert kg_build(src, out) == 1
    assert not out.exists()


def test_a_touched_output_file_or_another_option_builds_again(warm: tuple[Path, Path],
                                                               capsys: pytest.CaptureFixture[str]):
    src, out = warm
    (out / "graph.ttl").write_text("damaged\n")
    capsys.readouterr()
    assert kg_build(src, out) == 0
    assert "is up to date" not in capsys.readouterr().out
    assert (out / "graph.ttl").read_text() != "damaged\n"
    assert kg_build(src, out, "--no-validate") == 0
    assert "is up to date" not in capsys.readouterr().out


def test_the_fingerprint_covers_every_input_file(tmp_path: Path):
    src = tmp_path / "src"
    shutil.copytree(MINI, src)
    first = fingerprint(src, {})
    for rel in ("entities.yaml", "identifiers.yaml", EVIDENCE, TEXT):
        path = src / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert fingerprint(src, {}) != first, rel
        path.write_bytes(original)
    assert fingerprint(src, {}) == first
    assert fingerprint(src, {"no_html": True}) != first


def test_a_broken_cache_entry_is_parsed_again(warm: tuple[Path, Path], tmp_path: Path):
    src, out = warm
    for entry in (cache_dir(out) / "documents").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    cache = BuildCache(out)
    problems: list[str] = []
    record = cache.evidence_reader()(src / EVIDENCE, problems)
    assert record is not None and problems == [] and (cache.hits, cache.misses) == (0, 1)
    cache.record("after a build")
    again = BuildCache(out)
    assert again.evidence_reader()(src / EVIDENCE, problems) == record
    assert (again.hits, again.misses) == (1, 0)


# ------------------------------------------------------------------ study pages


SANTORO_TEXT = "texts/santoro-2013-sarcoma.txt"
SANTORO = "evidence/santoro-2013.yaml"


@pytest.fixture
def warm_site(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped sources, built with its pages so that the cache holds them."""
    from kg.paths import SOURCES_DIR

    src = tmp_path / "src"
    shutil.copytree(SOURCES_DIR, src)
    out = tmp_path / "build" / "output"
    assert cli.main(["build", "--sources", str(src), "--out", str(out), "--quiet"]) == 0
    assert (cache_dir(out) / "memo" / "study-pages.pickle").is_file()  # each page's SHA-256
    assert not list((cache_dir(out) / "pages").glob("*.pickle"))  # the pages are the output's
    return src, out


def site_build(src: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """Build with pages; return what it said about the cache."""
    capsys.readouterr()
    assert cli.main(["build", "--sources", str(src), "--out", str(out), *extra]) == 0
    return capsys.readouterr().err


def clean_site(src: Path, tmp: Path) -> dict[str, bytes]:
    out = tmp / "clean-site" / "output"
    assert cli.main(["build", "--sources", str(src), "--out", str(out), "--quiet",
                     "--no-cache"]) == 0
    return snapshot(out)


def unchanged_pages(said: str) -> int:
    import re

    m = re.search(r"\((\d+) study pages unchanged, from the cache\)", said)
    assert m, said
    return int(m.group(1))


def test_an_edited_number_redraws_its_study_page_alone(warm_site: tuple[Path, Path],
                                                        tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]):
    src, out = warm_site
    studies = len(list((out / "views").glob("study-*.html")))
    page = out / "views" / "study-santoro-2013-sts.html"
    assert "56.3" in page.read_text(encoding="utf-8")
    for rel in (SANTORO_TEXT, SANTORO):  # the text, its quotes and the value
        replace(src / rel, "56.3", "56.4")
    digest = hashlib.sha256((src / SANTORO_TEXT).read_bytes()).hexdigest()
    ev = src / SANTORO
    ev.write_text("\n".join(f"  sha256: {digest}" if line.startswith("  sha256:") else line
                            for line in ev.read_text(encoding="utf-8").splitlines()) + "\n",
                  encoding="utf-8")
    reused = unchanged_pages(site_build(src, out, capsys))
    assert 0 < reused < studies  # the review's studies came from the cache, Santoro's not
    text = page.read_text(encoding="utf-8")
    assert "56.4" in text and "56.3" not in text
    assert snapshot(out) == clean_site(src, tmp_path)


def test_an_entity_label_redraws_every_page_that_shows_it(warm_site: tuple[Path, Path],
                                                          tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]):
    src, out = warm_site
    replace(src / "entities.yaml", "label: sorafenib\n", "label: sorafenib (relabelled)\n")
    site_build(src, out, capsys)
    pages = list((out / "views").glob("study-*.html"))
    showing = [p for p in pages if "sorafenib (relabelled)" in p.read_text(encoding="utf-8")]
    assert len(showing) > len(pages) // 2  # nearly every study tests sorafenib
    assert snapshot(out) == clean_site(src, tmp_path)


def test_pages_come_from_the_cache_only_when_their_entry_is_sound(
        warm_site: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    src, out = warm_site
    pages = sorted((out / "views").glob("study-*.html"))
    pages[0].write_bytes(b"edited by hand")  # the last output's page is not the one noted
    old_inode = pages[1].stat().st_ino
    (out / "graph.ttl").write_text("touched\n")  # so that the build runs at all
    reused = unchanged_pages(site_build(src, out, capsys))
    assert reused == len(pages) - 1
    assert pages[0].read_bytes() != b"edited by hand"
    assert pages[1].stat().st_ino == old_inode  # linked from the last output, not written
    assert snapshot(out) == clean_site(src, tmp_path)
    (cache_dir(out) / "memo" / "study-pages.pickle").write_bytes(b"not a pickle")
    (out / "graph.ttl").write_text("touched\n")
    assert unchanged_pages(site_build(src, out, capsys)) == 0  # no entries: all drawn
    assert snapshot(out) == clean_site(src, tmp_path)


def test_a_page_linked_from_the_last_output_is_checked_unless_settled(tmp_path: Path):
    """``BuildCache.last_output``: a file's noted hash is trusted only while its stat is the same.

    One written just before the build noted it (its time within ``SETTLED_NS``) is read.
    """
    import os

    from kg.outputstate import SETTLED_NS

    out = tmp_path / "out"
    (out / "views").mkdir(parents=True)
    page = out / "views" / "a.html"
    page.write_bytes(b"<p>A</p>")
    sha = hashlib.sha256(b"<p>A</p>").hexdigest()
    BuildCache(out).record("one")
    fresh = BuildCache(out)
    assert fresh.last_output("views/a.html", sha) == page  # read and hashed: not settled
    assert fresh.last_output("views/a.html", "0" * 64) is None
    old = page.stat().st_mtime_ns - 2 * SETTLED_NS
    os.utime(page, ns=(old, old))
    BuildCache(out).record("two")
    settled = BuildCache(out)
    os.unlink(page)  # a file gone since is never linked
    assert settled.last_output("views/a.html", sha) is None
    page.write_bytes(b"<p>B</p>")  # another file in its place (another inode and time)
    assert settled.last_output("views/a.html", sha) is None
    assert settled.last_output("views/a.html", hashlib.sha256(b"<p>B</p>").hexdigest()) == page


def test_a_page_that_read_the_whole_graph_is_not_kept(tmp_path: Path):
    from rdflib import Literal, URIRef

    from kg.render.pagecache import PageCache
    from kg.render.readgraph import ReadGraph
    from kg.vocab import RDFS

    a, b = URIRef("urn:a"), URIRef("urn:b")
    g = ReadGraph([(a, RDFS.label, Literal("A")), (b, RDFS.label, Literal("B"))])
    cache = BuildCache(tmp_path / "out")
    pages = PageCache(cache, g)
    with g.footprint() as fp:
        g.value(a, RDFS.label)
    pages.keep("views/a.html", [], fp, b"<p>A</p>")
    with g.footprint() as wild:
        list(g.subjects(RDFS.label, None))
    pages.keep("views/all.html", [], wild, b"<p>A B</p>")
    assert fp.out == {a} and not fp.wild and wild.wild
    assert len(cache.pending) == 1
    cache.record("a build")
    again = PageCache(BuildCache(tmp_path / "out"), g)
    assert again.reuse("views/a.html", []) == b"<p>A</p>"
    assert again.reuse("views/all.html", []) is None
    assert again.reuse("views/a.html", [{"hr": 1}]) is None  # other hazard ratios: redrawn
    changed = ReadGraph([(a, RDFS.label, Literal("A2")), (b, RDFS.label, Literal("B"))])
    assert PageCache(BuildCache(tmp_path / "out"), changed).reuse("views/a.html", []) is None
    other = ReadGraph([(a, RDFS.label, Literal("A")), (b, RDFS.label, Literal("B2"))])
    assert PageCache(BuildCache(tmp_path / "out"), other).reuse("views/a.html", []) == \
        b"<p>A</p>"  # what the page never read may change


def test_a_table_writes_what_changed_as_a_delta_and_reads_back_whole(tmp_path: Path):
    """``BuildCache.table``: the base stays, an edit's entries go to the delta."""
    out = tmp_path / "out"
    first = BuildCache(out)
    table = first.table("blocks", "ttl")
    assert table.entries == {}
    table.save({f"s{i}": ("key", i) for i in range(100)})
    first.record("one")
    base = cache_dir(out) / "blocks" / "ttl.pickle"
    stamp = base.stat().st_mtime_ns
    second = BuildCache(out)
    table = second.table("blocks", "ttl")
    assert len(table.entries) == 100
    new = dict(table.entries)
    new["s3"] = ("other key", -3)
    table.save(new)
    second.record("two")
    assert base.stat().st_mtime_ns == stamp  # the base was not written again
    third = BuildCache(out).table("blocks", "ttl")
    assert third.entries == new
    bigger = {k: ("changed", 0) for k in new}
    third.save(bigger)
    third.cache.record("three")
    assert base.stat().st_mtime_ns != stamp  # most entries changed: the base is rewritten
    assert BuildCache(out).table("blocks", "ttl").entries == bigger


def test_an_exact_table_forgets_what_a_build_no_longer_keeps(tmp_path: Path):
    """``exact``: an entry gone since the base was written is read back as absent."""
    out = tmp_path / "out"
    first = BuildCache(out)
    first.table("memo", "parts", exact=True).save({f"n{i}": bytes([i]) for i in range(100)})
    first.record("one")
    second = BuildCache(out)
    table = second.table("memo", "parts", exact=True)
    new = {k: v for k, v in table.entries.items() if k != "n7"}
    new["n100"] = b"new"
    table.save(new)
    second.record("two")
    assert BuildCache(out).table("memo", "parts").entries["n7"] is None  # gone: in the delta
    assert BuildCache(out).table("memo", "parts", exact=True).entries == new


def test_node_keys_hash_what_they_always_hashed():
    """A key is the SHA-256 of the salt, the name and each node's part, in the order given.

    A part is the 16-byte BLAKE2b digest of the node's name and its statements' digests.
    """
    import hashlib

    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from kg.render.pagecache import NodeKeys
    from kg.render.readgraph import ReadGraph

    a, b = URIRef("urn:a"), URIRef("urn:b")
    g = ReadGraph([(a, RDFS.seeAlso, b), (b, RDFS.label, Literal("B"))])
    keys = NodeKeys(g, {"urn:a": b"A-blocks", "urn:b": b"B-blocks"}, "salt")
    lit = Literal("B")

    def reference(name: str, extra: bytes, out: list, into: list) -> str:
        h = hashlib.sha256(f"salt\n{name}\n".encode() + extra)
        def short(part: bytes) -> bytes:
            return hashlib.blake2b(part, digest_size=16).digest()

        for kept in out:
            tag = kept if type(kept) is str else repr(kept)
            h.update(short(f"\no {tag} ".encode() + {"urn:a": b"A-blocks",
                                                     "urn:b": b"B-blocks"}.get(str(kept), b"")))
        for kept in into:
            tag = kept if type(kept) is str else repr(kept)
            h.update(short(f"\ni {tag} ".encode() + keys.into(kept)))
        return h.hexdigest()

    for out, into in ((["urn:a", "urn:b"], ["urn:b"]), (["urn:b", lit], []), ([], [lit, "urn:a"]),
                      (["urn:a", "urn:a"], ["urn:b", "urn:b"])):
        assert keys.key("page", b"extra", out, into) == reference("page", b"extra", out, into)
    assert keys.key("p", b"", ["urn:a"], []) != keys.key("p", b"", ["urn:b"], [])
    assert keys.key("p", b"", [], ["urn:b"]) != keys.key("p", b"", [], ["urn:a"])


def test_entries_are_unpickled_with_the_collector_paused_and_restored(tmp_path: Path):
    """A cache entry is read with the collector off; it is on again afterwards, as it was."""
    import gc

    from kg.cache import BuildCache, collector_paused

    cache = BuildCache(tmp_path / "out")
    cache.put("memo", "x.pickle", {"a": [1, 2], "b": (3,)})
    seen = []
    real = gc.disable

    def spy() -> None:
        seen.append(gc.isenabled())
        real()

    gc.disable = spy  # type: ignore[assignment]
    try:
        assert cache.get("memo", "x.pickle") == {"a": [1, 2], "b": (3,)}
    finally:
        gc.disable = real  # type: ignore[assignment]
    assert seen == [True] and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a collector that was off stays off
    finally:
        gc.enable()


def test_a_kept_value_is_reused_without_its_key_only_while_nothing_it_read_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``Memo``: checked last build and no node of its footprint changed: reused with no key.

    A node it read changed (its own statements or those pointing at it): computed again. A
    name the last build did not check (kept in the table's base only): checked by its key.
    """
    from rdflib import Literal, URIRef

    from kg.render.pagecache import NodeKeys, PageCache
    from kg.render.readgraph import ReadGraph
    from kg.vocab import KG, RDFS

    a, b, c = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")
    keyed: list[str] = []
    real_key = NodeKeys.key

    def counted(self, name, extra, out, into):
        keyed.append(name)
        return real_key(self, name, extra, out, into)

    monkeypatch.setattr(NodeKeys, "key", counted)
    made: list[str] = []

    def one_build(triples: list, subjects: dict[str, bytes], names: list[str]) -> None:
        g = ReadGraph(triples)
        cache = BuildCache(tmp_path / "out")
        pages = PageCache(cache, g, subjects)
        memo = pages.memo("attrs")
        for name in names:
            node = URIRef(f"urn:{name}")
            memo.get(name, lambda node=node, name=name: (
                made.append(name), g.value(node, RDFS.label), list(g.subjects(KG.hasArm, node))))
        pages.save()
        cache.record(f"build {len(made)}")

    triples = [(a, RDFS.label, Literal("A")), (b, RDFS.label, Literal("B")),
               (c, RDFS.label, Literal("C")), (b, KG.hasArm, a)]
    subjects = {"urn:a": b"1", "urn:b": b"2", "urn:c": b"3"}
    one_build(triples, subjects, ["a", "b", "c"])
    assert made == ["a", "b", "c"]
    made.clear()
    keyed.clear()
    one_build(triples, subjects, ["a", "b", "c"])
    assert (made, keyed) == ([], [])  # nothing changed: no value made, no key computed
    subjects["urn:b"] = b"2'"
    one_build(triples, subjects, ["a", "b", "c"])
    assert (made, keyed) == (["b"], ["b"])  # b's statements changed (a read nothing of b)
    made.clear()
    keyed.clear()
    one_build(triples, subjects, ["a"])  # b and c not asked for: left in the table unchecked
    subjects["urn:c"] = b"3'"
    g = ReadGraph(triples)
    pages = PageCache(BuildCache(tmp_path / "out"), g, subjects)
    memo = pages.memo("attrs")
    assert memo.stale == {"b", "c"} and keyed == []
    for name in ("a", "b", "c"):
        memo.get(name, lambda name=name: made.append(name))
    assert made == ["c"] and keyed == ["b", "c", "c"]  # b and c checked by their keys
    made.clear()
    keyed.clear()
    pages.save()
    pages.cache.record("five")
    pointed = [*triples, (c, KG.hasArm, a)]
    subjects["urn:c"] = b"3''"
    one_build(pointed, subjects, ["a", "b"])
    assert made == ["a"]  # a statement pointing at a was added
