"""Every builder module is registered once and runs in a declared order."""

from __future__ import annotations

import pkgutil

import kg.builders as pkg
from kg.builders import MODULES, ORDER, REGISTRY, ordered

HELPERS = {"base", "iris", "terms"}


def test_every_builder_module_is_imported_by_the_package():
    names = {m.name for m in pkgutil.iter_modules(pkg.__path__)} - HELPERS
    assert names == {m.__name__.rsplit(".", 1)[1] for m in MODULES}


def test_order_names_every_registered_builder_once():
    assert sorted(ORDER) == sorted(REGISTRY)
    assert len(set(ORDER)) == len(ORDER)
    assert [b.name for b in ordered()] == list(ORDER)


def test_each_builder_module_registers_something():
    for module in MODULES:
        registered = [b for b in REGISTRY.values()
                      if b.func.__module__ == module.__name__]  # type: ignore[attr-defined]
        assert registered, f"{module.__name__} registers no builder"


def test_builders_are_pure(real, mini):
    from kg.assemble import build
    from kg.paths import SOURCES_DIR

    again = build(SOURCES_DIR)
    assert again.union().isomorphic(real.union())
    for b in ordered():
        assert b.description, b.name


def test_every_builder_contributes_to_the_real_graph(real, two):
    empty = [n for n, count in real.report.triples_per_builder.items() if count == 0]
    # cross-document checks need two documents about one study, which the shipped two are not
    assert set(empty) <= {"findings", "contradictions", "crossdoc"}, empty
    assert two.report.triples_per_builder["crossdoc"] > 0
