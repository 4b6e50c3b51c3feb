"""The house's shape: imports point down the layers and never go round in a circle.

Data flows sources -> builders -> one assembled dataset -> exports / queries / views -> commands.
Every ``import`` and ``from ... import`` in kg/ and benchmarks/ is read with ``ast`` (inside
functions and under ``TYPE_CHECKING`` too: a circle there is still a circle for a reader), and
each module's layer is written once, in ``LAYERS`` below. A new package must be placed there.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import networkx as nx

from kg.paths import PROJECT_DIR

# Lowest first; a module may import its own layer and the layers before it, never a later one.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base: the records and names every layer shares",
     ("kg.errors", "kg.paths", "kg.prefixes", "kg.ids", "kg.vocab", "kg.numbers",
      "kg.provenance", "kg.model", "kg.model_prebuilt", "kg.model_methods", "kg.stages",
      "kg.outputstate")),
    ("sources: curated YAML and texts read into records", ("kg.sources",)),
    ("builders: records to triples", ("kg.builders",)),
    ("dataset: builders run into one set of quads",
     ("kg.assemble", "kg.triples", "kg.counts", "kg.shapes_sparql", "kg.cache", "kg.pieces")),
    ("outputs: checks, exports, queries, views and tools over the dataset and the sources",
     ("kg.validate", "kg.export", "kg.query", "kg.render", "kg.audit", "kg.draft", "kg.api")),
    ("commands: the build pipeline, the CLI, the package's front, benchmarks",
     ("kg.pipeline", "kg.cli", "kg.__main__", "kg", "benchmarks")),
]

# Circles not yet taken apart, each with the work that will; keep this list short and explicit.
KNOWN_CIRCLES: dict[frozenset[str], str] = {}


def module_name(path: Path) -> str:
    """kg/query/engine.py -> kg.query.engine; kg/query/__init__.py -> kg.query."""
    parts = list(path.relative_to(PROJECT_DIR).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every Python module of kg/ and benchmarks/, by dotted name."""
    return {module_name(p): p for folder in ("kg", "benchmarks")
            for p in sorted((PROJECT_DIR / folder).rglob("*.py"))}


def imported(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, module) for each of our modules that ``name`` imports, wherever the import is.

    ``from kg import model`` imports the module ``kg.model``, not the package ``kg``.
    """
    known = modules()
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else \
                    name.split(".")[:-1]
                package = package[:len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
            targets = subs if len(subs) == len(node.names) else [base, *subs]
        else:
            continue
        out.extend((node.lineno, t) for t in targets if t in known and t != name)
    return out


def layer_of(name: str) -> int:
    """Index in LAYERS of the longest prefix naming the module."""
    best = (-1, -1)
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), i)
    assert best[1] >= 0, f"{name} has no layer: add it to LAYERS in tests/test_layers.py"
    return best[1]


def import_graph() -> nx.DiGraph:
    """Module -> imported module, each edge with the line of its first import."""
    g = nx.DiGraph()
    for name, path in modules().items():
        g.add_node(name)
        for line, target in imported(name, path):
            if not g.has_edge(name, target):
                g.add_edge(name, target, line=line)
    return g


def test_every_module_has_a_layer():
    for name in modules():
        layer_of(name)


def test_no_import_runs_from_a_lower_layer_to_a_higher_one():
    g = import_graph()
    upward = [f"{modules()[a].relative_to(PROJECT_DIR)}:{g.edges[a, b]['line']}: {a} "
              f"({LAYERS[layer_of(a)][0].split(':')[0]}) imports {b} "
              f"({LAYERS[layer_of(b)][0].split(':')[0]})"
              for a, b in g.edges if layer_of(b) > layer_of(a)]
    assert not upward, "\n".join(upward)


def test_no_import_circle():
    circles = [c for c in nx.simple_cycles(import_graph())
               if frozenset(c) not in KNOWN_CIRCLES]
    assert not circles, "\n".join(" -> ".join([*c, c[0]]) for c in circles)


def test_known_circles_are_still_circles():
    """An exception that no longer applies is deleted, so the list only shrinks."""
    found = {frozenset(c) for c in nx.simple_cycles(import_graph())}
    assert set(KNOWN_CIRCLES) <= found, set(KNOWN_CIRCLES) - found


def test_the_walk_sees_imports_inside_functions_and_type_checking(tmp_path: Path):
    """The checks above can fail: a lazy import and a typing-only import are both edges."""
    names = [t for _, t in imported("kg.pipeline", PROJECT_DIR / "kg" / "pipeline.py")]
    assert "kg.render.pages" in names  # imported inside write_outputs only
    fake = tmp_path / "mod.py"
    fake.write_text("from typing import TYPE_CHECKING\n\nfrom kg import model\n\n"
                    "if TYPE_CHECKING:\n    from kg.render import pages\n\n\n"
                    "def f():\n    from kg.query import engine\n")
    assert sorted(t for _, t in imported("kg.sources.fake", fake)) == \
        ["kg.model", "kg.query.engine", "kg.render.pages"]
    assert layer_of("kg.query.engine") > layer_of("kg.sources.fake")
