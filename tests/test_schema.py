"""The documented evidence format and the loader agree, and the generated reference is current."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from kg.paths import PROJECT_DIR, SOURCES_DIR
from kg.sources import loader
from kg.sources.schema import SECTIONS, reference_lines
from tests.conftest import FIXTURES, MINI, with_second_report

DEVSET = PROJECT_DIR / "benchmarks" / "draft" / "sources"


def section_of(where: str) -> str | None:
    """'studies[3].arms[0].dosing[1]' -> 'studies[].arms[].dosing[]'; None outside evidence."""
    if where == "":
        return "(top level)"
    if where.endswith(".measured_at"):
        return None  # the items of a field, documented with the field
    return re.sub(r"\[\d+\]", "[]", where)


@pytest.fixture(scope="module")
def read_fields(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Every (section, field) the loader asks for while loading every corpus we have."""
    seen: dict[str, set[str]] = {}
    original = loader.Node.get

    def spy(self, key, *args, **kwargs):  # type: ignore[no-untyped-def]
        section = section_of(self.where)
        if section is not None and self.file.endswith(".yaml") and "/evidence/" in \
                f"/{self.file}":
            seen.setdefault(section, set()).add(key)
        return original(self, key, *args, **kwargs)

    loader.Node.get = spy  # type: ignore[method-assign]
    try:
        root = tmp_path_factory.mktemp("schema")
        for sources in (SOURCES_DIR, MINI, FIXTURES / "addon", FIXTURES / "safety", DEVSET,
                        with_second_report(root)):
            loader.load_corpus(sources)
    finally:
        loader.Node.get = original  # type: ignore[method-assign]
    return seen


def test_every_field_the_loader_reads_is_documented_and_vice_versa(read_fields):
    documented = {s: {f.name for f in fields} for s, (_, fields) in SECTIONS.items()}
    assert set(read_fields) == set(documented)
    for section, fields in documented.items():
        assert read_fields[section] == fields, section


def test_generated_reference_is_current():
    page = (PROJECT_DIR / "docs" / "evidence-format.md").read_text()
    assert page == "\n".join(reference_lines()) + "\n", \
        "regenerate with: .venv/bin/kg vocab --markdown > docs/evidence-format.md"


def test_kg_vocab_lists_allowed_values():
    proc = subprocess.run([sys.executable, "-m", "kg", "vocab"], capture_output=True, text=True,
                          check=True)
    for value in sorted(loader.ENDPOINT_TYPES | loader.UNITS | loader.STATISTICS |
                        loader.POPULATION_KINDS | loader.LINES | loader.P_QUALIFIERS |
                        loader.DIRECTIONS | loader.CLAIM_KINDS | loader.COMPARISON_KINDS):
        assert value in proc.stdout, value

