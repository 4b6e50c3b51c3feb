"""dti-kg: a knowledge graph of drug-target-indication evidence with verbatim provenance.

``kg.open()`` is the Python API (``kg/api.py``); it is imported on first use, so ``import kg``
stays as fast as the CLI's start-up needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "QueryError", "QueryResult", "open"]

if TYPE_CHECKING:
    from kg.api import KnowledgeGraph, QueryResult, open
    from kg.query.engine import QueryError


def __getattr__(name: str) -> object:
    """Import the API lazily (PEP 562)."""
    if name in {"open", "KnowledgeGraph", "QueryResult"}:
        from kg import api

        return getattr(api, name)
    if name == "QueryError":
        from kg.query.engine import QueryError

        return QueryError
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
