"""The pages the endpoint serves besides answers: the query editor and the evidence tables.

(A node's page is drawn in kg/query/nodepage.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

PAGE = Path(__file__).with_name("editor.html")


def table_download(folder: Path | None, name: str) -> tuple[int, str, bytes]:
    """``/tables/``: the evidence tables as JSON; ``/tables/NAME``: one file of that folder."""
    from kg.export.tables import load_specs

    present = {p.name: p for p in folder.iterdir()} if folder and folder.is_dir() else {}
    if not name:
        listing = [{"file": s.csv_name, "description": s.description} for s in load_specs()
                   if s.csv_name in present]
        return 200, "application/json", json.dumps(listing, indent=1).encode()
    if name not in present:  # only names listed in the folder: no path ever reaches open()
        return 404, "text/plain", b"no such table (build the graph: kg build)"
    ctype = {".csv": "text/csv", ".md": "text/markdown"}.get(present[name].suffix,
                                                              "application/octet-stream")
    return 200, ctype, present[name].read_bytes()


