"""Write the answer tables (`kg.query.answertables`): every named query's default answer.

Called by the build with its own store right after graph.trig is written, so a table is
computed from exactly what the graph file holds.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kg.query import curies
from kg.query.answertables import FOLDER, INDEX, graph_key, text_key


def compute(store: object, sparql: str) -> tuple[bytes, list[str]] | None:
    """A SELECT's whole answer as Oxigraph's SPARQL TSV and the plain run's warnings (else None)."""
    import pyoxigraph as ox

    from kg.query.engine import OxigraphEngine
    from kg.query.terms import unknown_terms

    prefixes = curies.prefixes_for(sparql)
    res = store.query(sparql, prefixes=prefixes,  # type: ignore[attr-defined]
                      use_default_graph_as_union=True)
    if not isinstance(res, ox.QuerySolutions):
        return None
    data = res.serialize(format=ox.QueryResultsFormat.TSV)
    return data, unknown_terms(OxigraphEngine.over(store), sparql, prefixes)


def write_answer_tables(store: object, graph: Path) -> Path:
    """Compute every named query's default answer on ``store`` and write them beside ``graph``.

    ``store`` must hold what ``graph`` (and its ontology companion) holds: the build calls this
    with its own store right after writing graph.trig. Returns the index file.
    """
    from kg.query.library import load_library

    folder = graph.parent / FOLDER
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.tsv"):
        old.unlink()
    answers = []
    for name, query in sorted(load_library().items()):
        text = query.bind()
        answer = compute(store, text)
        if answer is None:
            continue
        data, warnings = answer
        (folder / f"{name}.tsv").write_bytes(data)
        answers.append({"name": name, "file": f"{name}.tsv", "text": text_key(text),
                        "rows": data.count(b"\n") - 1, "warnings": warnings,
                        "sha256": hashlib.sha256(data).hexdigest()})
    index = folder / INDEX
    index.write_text(json.dumps({"graph": graph.name, "key": graph_key(graph),
                                 "answers": answers}, indent=1) + "\n", encoding="utf-8")
    return index
