"""The README is a front page, the manual in docs/ is reachable from it, and what they name exists.

The README's counts and screenshots are checked in tests/test_views.py, the docs pages' Python
blocks run in tests/test_tutorial.py; here: size, links, commands, and the file paths that
ARCHITECTURE.md names.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from kg.cli import main
from kg.paths import PROJECT_DIR

README = PROJECT_DIR / "README.md"
ARCHITECTURE = PROJECT_DIR / "ARCHITECTURE.md"
DOCS = PROJECT_DIR / "docs"
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
SIZE_LIMIT = 400
SIZE_EXCEPTIONS: set[str] = set()  # none: every module of kg/ keeps to the limit or says why


def links(page: Path) -> list[Path]:
    """The local files a Markdown page links to (web addresses left out)."""
    found = LINK.findall(page.read_text(encoding="utf-8"))
    return [(page.parent / t).resolve() for t in found if not re.match(r"[a-z]+:", t)]


def test_readme_is_a_front_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 250
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert [line.split("#")[0].strip() for line in commands[0].splitlines()] == \
        ["make graph", "make test"]


def test_every_local_link_resolves():
    for page in [README, ARCHITECTURE, *sorted(DOCS.glob("*.md"))]:
        for target in links(page):
            assert target.exists(), f"{page.relative_to(PROJECT_DIR)}: broken link {target}"


def test_every_docs_page_is_reachable_from_the_readme():
    seen, todo = set(), [README.resolve()]
    while todo:
        page = todo.pop()
        if page in seen or page.suffix != ".md":
            continue
        seen.add(page)
        todo.extend(t for t in links(page) if t.exists())
    unreachable = {p.name for p in DOCS.glob("*.md")} - {p.name for p in seen
                                                          if p.parent == DOCS.resolve()}
    assert not unreachable, unreachable
    assert ARCHITECTURE.resolve() in seen


def readme_queries() -> list[str]:
    """Every ``kg query ...`` command the README shows in its table of questions."""
    text = README.read_text(encoding="utf-8")
    return [c for c in re.findall(r"`(kg query [^`]+)`", text) if not c.endswith(".rq")]


def test_the_readme_shows_questions():
    assert len(readme_queries()) >= 6


@pytest.mark.parametrize("command", readme_queries())
def test_each_question_of_the_readme_is_answered(command: str, built_output: Path,
                                                 capsys: pytest.CaptureFixture[str]):
    args = [*shlex.split(command)[1:], "--format", "csv",
            "--graph", str(built_output / "graph.trig")]
    assert main(args) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert len(rows) >= 2, command  # a header and at least one answer


def architecture_paths() -> list[str]:
    """Every file or folder path ARCHITECTURE.md names (``output/`` is generated, left out)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    found = re.findall(r"\b((?:kg|ontology|docs|tests|benchmarks)/[\w./-]*\w/?)", text)
    return sorted(set(found))


def test_architecture_names_only_files_that_exist():
    paths = architecture_paths()
    assert len(paths) >= 30
    missing = [p for p in paths if not (PROJECT_DIR / p).exists()]
    assert not missing, missing


def test_architecture_names_every_layer_of_the_layering_test():
    from tests.test_layers import LAYERS

    text = ARCHITECTURE.read_text(encoding="utf-8")
    for name, _ in LAYERS:
        assert f"\n {name.split(':')[0]:<10}" in text, name


def test_no_module_over_the_size_limit_without_a_reason():
    for path in sorted((PROJECT_DIR / "kg").rglob("*.py")):
        rel = path.relative_to(PROJECT_DIR).as_posix()
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) <= SIZE_LIMIT or any(rel.startswith(e)
                                                       for e in SIZE_EXCEPTIONS):
            continue
        head = text.split('"""', 2)[1] if text.startswith('"""') else ""
        assert "\nSize: over 400 lines because " in head, f"{rel}: split it, or say why not"
