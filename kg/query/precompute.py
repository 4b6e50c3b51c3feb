"""Write the answer tables (`kg.query.answertables`): every named query's default answer.

Computed by the build on its own store (the one it validated and queried for the evidence
tables, so no second store is loaded for them) and written right after graph.trig, so a table
holds exactly what the graph file gives. A warning about an instance IRI missing from the graph
is stored without its closest IRIs: looking them up compared thousands of names with difflib
(seconds of every 1,000x build) for a message few read; a reader completes it
(`kg.query.answertables.AnswerTables.get`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.query import curies
from kg.query.answertables import FOLDER, INDEX, graph_key, text_key
from kg.query.terms import Unknown

if TYPE_CHECKING:
    from kg.query.reuse import LastAnswers


@dataclass(frozen=True)
class Answer:
    """One named query's default answer, computed and not yet written."""

    name: str
    text: str  # the query text with its defaults bound
    tsv: bytes  # Oxigraph's SPARQL TSV
    unknown: list[Unknown]  # the plain run's warnings, the closest instance IRIs not looked up


def compute(store: object, sparql: str) -> tuple[bytes, list[Unknown]] | None:
    """A SELECT's whole answer as Oxigraph's SPARQL TSV and its unknown terms (else None)."""
    import pyoxigraph as ox

    from kg.query.engine import OxigraphEngine
    from kg.query.terms import find_unknown

    prefixes = curies.prefixes_for(sparql)
    res = store.query(sparql, prefixes=prefixes,  # type: ignore[attr-defined]
                      use_default_graph_as_union=True)
    if not isinstance(res, ox.QuerySolutions):
        return None
    data = res.serialize(format=ox.QueryResultsFormat.TSV)
    return data, find_unknown(OxigraphEngine.over(store), sparql, prefixes)


def compute_answers(store: object, last: LastAnswers | None = None) -> list[Answer]:
    """Every named SELECT's default answer on ``store``, in name order.

    With ``last``, an answer the edit since the last build provably leaves alone is that
    build's (`kg.query.reuse`); its warnings are looked up again (they ask whether the
    query's IRIs exist, which any statement can change).
    """
    from kg.query.library import load_library

    answers = []
    table = None
    for name, query in sorted(load_library().items()):
        text = query.bind()
        if last is not None:
            from kg.query import footprint
            from kg.query.engine import OxigraphEngine
            from kg.query.terms import find_unknown

            table = footprint.stored() if table is None else table
            tsv = last.tsv(name, text, store, footprint.of(text, table))  # type: ignore[arg-type]
            if tsv is not None:
                answers.append(Answer(name, text, tsv, find_unknown(
                    OxigraphEngine.over(store), text, curies.prefixes_for(text))))
                continue
        got = compute(store, text)
        if got is not None:
            answers.append(Answer(name, text, *got))
    return answers


def kept_answers(last: Path, graph: Path) -> bool:
    """Copy the answer tables of the last build (folder ``last``) beside ``graph``, if valid.

    Valid: its index names a graph file of the same name and bytes (and ontology, and engine
    version: ``graph_key``) and every table has the checksum noted. A build whose graph is
    the same as the last one's (``kg.export.storework``) computes nothing; what it copies is what
    ``compute_answers`` would give, as the build's code is the same too (the caller checks).
    """
    try:
        index = (last / INDEX).read_bytes()
        doc = json.loads(index)
        if doc.get("graph") != graph.name or doc.get("key") != graph_key(graph):
            return False
        kept = [(e["file"], e["sha256"]) for e in doc["answers"]]
        kept += [(e["csv"]["file"], e["csv"]["sha256"]) for e in doc["answers"] if "csv" in e]
        if not all(re.fullmatch(r"[\w.-]+\.[ct]sv", f) for f, _ in kept):
            return False  # a file elsewhere than this folder: not ours
        files = {f: (last / f).read_bytes() for f, _ in kept}
        if any(hashlib.sha256(files[f]).hexdigest() != sha for f, sha in kept):
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    folder = graph.parent / FOLDER
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / INDEX).write_bytes(index)
    return True


def write_answer_tables(answers: object, graph: Path) -> Path:
    """Write every named query's default answer beside ``graph``; return the index file.

    ``answers`` is what ``compute_answers`` gave, or a store to compute them on now; either
    must hold what ``graph`` (and its ontology companion) holds: the build computes them on its
    own store and writes them right after graph.trig.
    """
    if not isinstance(answers, list):
        answers = compute_answers(answers)
    folder = graph.parent / FOLDER
    folder.mkdir(exist_ok=True)
    for old in [*folder.glob("*.tsv"), *folder.glob("*.csv")]:
        old.unlink()
    entries = []
    for a in answers:
        (folder / f"{a.name}.tsv").write_bytes(a.tsv)
        csv = whole_csv(a.tsv)  # the whole answer as kg query and kg serve send it
        (folder / f"{a.name}.csv").write_bytes(csv)
        entries.append({"name": a.name, "file": f"{a.name}.tsv", "text": text_key(a.text),
                        "rows": a.tsv.count(b"\n") - 1,
                        "warnings": [_warning(u) for u in a.unknown],
                        "sha256": hashlib.sha256(a.tsv).hexdigest(),
                        "csv": {"file": f"{a.name}.csv",
                                "sha256": hashlib.sha256(csv).hexdigest()}})
    index = folder / INDEX
    index.write_text(json.dumps({"graph": graph.name, "key": graph_key(graph),
                                 "answers": entries}, indent=1) + "\n", encoding="utf-8")
    return index


def whole_csv(tsv: bytes) -> bytes:
    """An answer's SPARQL CSV, converted by Oxigraph once at build time, not per request.

    Converting took most of a large answer's time in ``kg serve`` and ``kg query --format
    csv`` (~5 ms of ~10 ms for 2,000 rows at 1,000x); it is the conversion
    `kg.query.answertables.TableRows.csv_pieces` makes of a page, for the whole answer.
    """
    import pyoxigraph as ox

    return ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(
        format=ox.QueryResultsFormat.CSV)


def _warning(unknown: Unknown) -> str | dict:
    """A warning as the index holds it: its text, or the term whose closest IRIs are to find."""
    if unknown.close is not None:
        return unknown.warning()
    return {"written": unknown.written, "iri": unknown.iri, "what": unknown.what}
