"""Default paths, resolved from the package (never from the current directory)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
ONTOLOGY_DIR = PROJECT_DIR / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "ontology.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
SOURCES_DIR = PACKAGE_DIR / "sources"
OUTPUT_DIR = PROJECT_DIR / "output"
QUERY_DIR = PACKAGE_DIR / "query"
