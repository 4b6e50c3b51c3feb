"""The shapes compiled to SPARQL and stored in kg/validation/shapes.json are current."""

from __future__ import annotations

import json
from pathlib import Path

from kg.paths import SHAPES_FILE
from kg.shapes_sparql import COMPILED, compile_graph, compile_shapes, stored_json
from kg.triples import read_turtle, to_graph


def test_stored_checks_are_current() -> None:
    """The file equals a fresh compile (`python -m kg.shapes_sparql` writes it again)."""
    assert COMPILED.read_text(encoding="utf-8") == stored_json(SHAPES_FILE), \
        "kg/validation/shapes.json is stale: run python -m kg.shapes_sparql"


def test_stored_checks_are_the_compiled_ones() -> None:
    """Read from the stored file, the checks are those compiled from the shapes, in order."""
    compile_shapes.cache_clear()
    assert compile_shapes(SHAPES_FILE) == compile_graph(to_graph(read_turtle(SHAPES_FILE)))


def test_other_shapes_are_compiled(tmp_path: Path) -> None:
    """Shapes with other bytes are not given the stored checks: a changed file is compiled."""
    text = SHAPES_FILE.read_text(encoding="utf-8")
    cut = text.index("sh:minCount 1")
    changed = tmp_path / "shapes.ttl"
    changed.write_text(text[:cut] + "sh:minCount 7" + text[cut + len("sh:minCount 1"):],
                       encoding="utf-8")
    stored = json.loads(COMPILED.read_text(encoding="utf-8"))["checks"]
    got = compile_shapes(changed)
    assert any("COUNT(DISTINCT ?v) < 7)" in c.sparql for c in got)
    assert not any("COUNT(DISTINCT ?v) < 7)" in row[4] for row in stored)
