"""docs/tutorial.md runs, and prints what it shows; so do the Python blocks of the other docs pages.

Every ```python block runs in order, in one namespace, on a graph the test session builds; a
```text block right after a python block is the output it must print.

After a change that moves the tutorial's numbers, rewrite its outputs with
``python -m tests.test_tutorial`` (then read the diff: it is what a reader will see).
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import pytest

from kg import paths

TUTORIAL = paths.PROJECT_DIR / "docs" / "tutorial.md"
BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.DOTALL)


def blocks(text: str, page: Path = TUTORIAL
           ) -> list[tuple[str, str, str | None, re.Match[str] | None]]:
    """(code, where, expected output or None, its match) for every python block, in order."""
    found = list(BLOCK.finditer(text))
    out = []
    for i, m in enumerate(found):
        if m.group(1) != "python":
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        follows = nxt is not None and nxt.group(1) == "text" and \
            text[m.end():nxt.start()].strip() == ""
        line = text.count("\n", 0, m.start()) + 1
        out.append((m.group(2), f"{page.name}:{line}", nxt.group(2) if follows else None,
                    nxt if follows else None))
    return out


def run(text: str, page: Path = TUTORIAL
        ) -> list[tuple[str, str, str | None, re.Match[str] | None, str]]:
    """Execute every python block; returns each with what it printed."""
    namespace: dict[str, object] = {"__name__": "tutorial"}
    results = []
    for code, where, expected, match in blocks(text, page):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(code, where, "exec"), namespace)  # noqa: S102 (our own tutorial)
        results.append((code, where, expected, match, buf.getvalue()))
    return results


def test_tutorial_runs_and_prints_what_it_shows(built_output: Path, monkeypatch):
    monkeypatch.setattr(paths, "OUTPUT_DIR", built_output)  # kg.open() without a path
    results = run(TUTORIAL.read_text(encoding="utf-8"))
    assert len(results) >= 6
    shown = [r for r in results if r[2] is not None]
    assert len(shown) >= 5
    for _, where, expected, _, printed in shown:
        assert printed == expected, f"{where}: the output differs from the tutorial's"


PAGES = sorted(p for p in (paths.PROJECT_DIR / "docs").glob("*.md")
               if p != TUTORIAL and "```python" in p.read_text(encoding="utf-8"))


def test_docs_pages_with_python_are_found():
    assert "querying.md" in {p.name for p in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_docs_page_python_blocks_run_and_print_what_they_show(page: Path, built_output: Path,
                                                              monkeypatch):
    monkeypatch.setattr(paths, "OUTPUT_DIR", built_output)
    results = run(page.read_text(encoding="utf-8"), page)
    assert results
    for _, where, expected, _, printed in results:
        if expected is not None:
            assert printed == expected, f"{where}: the output differs from the page's"


def update(path: Path = TUTORIAL) -> None:
    """Rewrite the output blocks of the tutorial from a fresh build of the shipped sources."""
    import tempfile

    from kg.assemble import build
    from kg.cli import write_outputs

    with tempfile.TemporaryDirectory() as tmp:
        write_outputs(build(paths.SOURCES_DIR), Path(tmp), html=False)
        paths.OUTPUT_DIR = Path(tmp)
        text = path.read_text(encoding="utf-8")
        for *_, match, printed in reversed(run(text)):
            if match is not None:
                text = text[:match.start(2)] + printed + text[match.end(2):]
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    update()
    sys.exit(0)
