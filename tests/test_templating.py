"""The page templates compiled ahead: current, used, identical in effect, never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import FileSystemLoader
from rdflib import Graph

from kg.render import pages, templating


def test_the_compiled_templates_are_current():
    env = templating.environment(FileSystemLoader(templating.TEMPLATES))
    names = templating.page_templates()
    assert {"graph.html", "study.html", "page.html", "_base.html"} <= set(names)
    committed = {p.name for p in templating.COMPILED.glob("tmpl_*.py")}
    wanted = {templating.ModuleLoader.get_module_filename(n) for n in names}
    assert committed == wanted, "run: python -m kg.render.templating"
    for name in names:
        path = templating.COMPILED / templating.ModuleLoader.get_module_filename(name)
        assert path.read_text(encoding="utf-8") == templating.compiled_code(env, name), (
            f"{name}: stale compiled code; run: python -m kg.render.templating")


def site_files(g: Graph, out: Path) -> dict[str, bytes]:
    """Every file of the pages drawn from ``g`` into ``out``, by path."""
    pages.write_site(g, out)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def test_pages_from_compiled_templates_equal_pages_compiled_from_source(
        safety_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    loader = templating.CompiledLoader()
    monkeypatch.setattr(pages, "ENV", templating.environment(loader))
    compiled = site_files(safety_graph, tmp_path / "compiled")
    assert set(loader.hits) == set(templating.page_templates())  # all from compiled code
    monkeypatch.setattr(pages, "ENV",
                        templating.environment(FileSystemLoader(templating.TEMPLATES)))
    source = site_files(safety_graph, tmp_path / "source")
    assert compiled.keys() == source.keys()
    assert [k for k in compiled if compiled[k] != source[k]] == []
    assert any(k.startswith("views/study-") for k in compiled)


def test_an_edited_template_is_compiled_from_its_source(tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(templating.TEMPLATES, templates)
    page = templates / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<p>edited, not yet compiled</p>", 1),
        encoding="utf-8")
    loader = templating.CompiledLoader(templates)
    env = templating.environment(loader)
    html = env.get_template("page.html").render(title="t", subtitle="s", body="")
    assert "edited, not yet compiled" in html
    assert "page.html" not in loader.hits
    assert "_base.html" in loader.hits  # unchanged: still from its compiled code
