"""A bug never shows users a traceback, but always reaches the tests: kg.stages and the CLI net."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import cli, pipeline
from kg.builders.base import REGISTRY, BuildInput, FunctionBuilder
from kg.pipeline import check_build
from kg.stages import stage, stage_of
from tests.conftest import MINI


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_the_innermost_stage_is_kept_and_the_exception_is_unchanged():
    with pytest.raises(KeyError) as exc, stage("outer"), stage("inner"):
        raise KeyError("x")
    assert stage_of(exc.value, "default") == "inner"
    assert stage_of(ValueError(), "default") == "default"


@pytest.fixture
def broken_builder(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(inp: BuildInput):
        raise ValueError("invalid IRI segment ''\nsecond line")

    monkeypatch.setitem(REGISTRY, "claims", FunctionBuilder("claims", "broken", fail))


def test_the_library_lets_a_bug_through(broken_builder: None):
    with pytest.raises(ValueError, match="invalid IRI segment") as exc:
        check_build(MINI, validate=False)
    assert stage_of(exc.value, "") == "builder claims"


@pytest.fixture
def built(tmp_path: Path) -> tuple[list[str], Path, dict[str, bytes]]:
    out = tmp_path / "output"
    # --no-cache: the same input again would be answered "up to date" without running a builder
    args = ["build", "--sources", str(MINI), "--out", str(out), "--quiet", "--no-html",
            "--no-cache"]
    assert cli.main(args) == 0
    return args, out, snapshot(out)


def test_the_cli_reports_a_bug_in_one_line_and_keeps_output(
        built: tuple[list[str], Path, dict[str, bytes]], broken_builder: None,
        capsys: pytest.CaptureFixture[str]):
    args, out, before = built
    capsys.readouterr()
    assert cli.main(args) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err == ("error: internal error in builder claims: ValueError: invalid IRI segment '' "
                   "(please report)\n")
    assert snapshot(out) == before


def test_a_bug_while_writing_names_that_stage(built: tuple[list[str], Path, dict[str, bytes]],
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]):
    args, out, before = built

    def fail(*_a: object, **_k: object) -> list[Path]:
        raise AttributeError("'NoneType' object has no attribute 'x'")

    monkeypatch.setattr(pipeline, "write_outputs", fail)  # where kg build finds it
    capsys.readouterr()
    assert cli.main(args) == cli.EXIT_INTERNAL
    assert capsys.readouterr().err.startswith("error: internal error in writing output: "
                                              "AttributeError: ")
    assert snapshot(out) == before
    assert not list(out.parent.glob(".output.tmp-*"))


def test_kg_debug_shows_the_traceback(built: tuple[list[str], Path, dict[str, bytes]],
                                      broken_builder: None, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KG_DEBUG", "1")
    with pytest.raises(ValueError, match="invalid IRI segment"):
        cli.main(built[0])
