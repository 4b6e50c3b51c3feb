"""Named queries against the goal of issue 15: small answers fast, large answers streamed.

Usage: ``python -m benchmarks.queries GRAPH [--runs N]`` prints a table and writes
``benchmarks/results/queries.json``; ``benchmarks/stages.py`` calls `stream_rates` for every
size of ``make bench``, so the figures sit beside the build's in one run.

What is timed:

- **median ms** of ``engine.query`` on Oxigraph (rows converted and materialised), with the row
  count; the goal is < 50 ms when the answer has ≤ 1,000 rows (`SMALL_ROWS`);
- **CLI rows/s** for larger answers: the path ``kg query NAME --format csv`` takes after the
  graph is loaded (``engine.stream`` into the streaming CSV writer, written to /dev/null), from
  the query's start to its last byte. Loading the graph is reported apart: it is paid once per
  process, not per row;
- **server rows/s**: ``GET /queries/NAME?format=csv`` on a running ``kg serve`` (its row limit
  raised above the answer), the whole body read by the client;
- **page ms**: ``--limit 100 --offset`` of the last hundred rows, to show what a page costs;
- the same median and CLI rate as **plain SPARQL** on the same store, beside them: what a
  named query costs when it has no answer table (a parameter given, or a graph kg build did
  not write).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SMALL_ROWS = 1000  # answers up to this many rows must come back in < 50 ms
QUERY_MS = 50.0
ROWS_PER_S = 100_000
HERE = Path(__file__).resolve().parent


def median_ms(run, runs: int) -> tuple[float, float]:
    """Median and p95 milliseconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    times.sort()
    return (statistics.median(times) * 1000,
            times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] * 1000)


def cli_rows_per_s(engine, text: str, runs: int = 3) -> float:
    """Rows a second through ``kg query --format csv``'s own path (graph already loaded)."""
    from kg.query.formats import stream_select

    best = 0.0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for _ in range(runs):
            t = time.perf_counter()
            rows = engine.stream(text)
            for piece in stream_select(rows, "csv"):
                sink.write(piece)
            best = max(best, rows.read / (time.perf_counter() - t))
    return best


def page_ms(engine, text: str, total: int, runs: int = 3) -> float:
    """Median ms of the last page of 100 rows (offset = total - 100)."""
    return median_ms(lambda: engine.query(text, limit=100, offset=max(0, total - 100)),
                     runs)[0]


class Server:
    """``kg serve`` on 127.0.0.1 with the row limit above every answer, for the rate test."""

    def __init__(self, graph: Path) -> None:
        """Start it and wait until it listens (it loads the graph first)."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--graph", str(graph), "--port", "0",
             "--max-rows", "100000000", "--time-limit", "120", "--workers", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if "serving" not in line:
            self.close()
            raise RuntimeError(f"kg serve did not start: {line}")
        self.url = line.split(" at ", 1)[1].split(" ", 1)[0]

    def rows_per_s(self, name: str, runs: int = 3) -> float:
        """Rows a second of ``GET /queries/NAME?format=csv``, the whole body read."""
        best = 0.0
        for _ in range(runs):
            t = time.perf_counter()
            with urllib.request.urlopen(f"{self.url}queries/{name}?format=csv",  # noqa: S310
                                        timeout=300) as resp:
                body = resp.read()
            rows = body.count(b"\r\n") - 1
            best = max(best, rows / (time.perf_counter() - t))
        return best

    def close(self) -> None:
        """Stop the server (and with it its workers)."""
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def stream_rates(graph: Path, engine, queries: dict[str, dict], texts: dict[str, str]) -> None:
    """Add CLI and server rows/s and the last page's ms to every large answer in ``queries``."""
    large = [n for n, q in queries.items() if q.get("rows", 0) > SMALL_ROWS]
    if not large:
        return
    server = Server(graph)
    try:
        for name in large:
            q = queries[name]
            q["cli_rows_per_s"] = round(cli_rows_per_s(engine, texts[name]))
            q["server_rows_per_s"] = round(server.rows_per_s(name))
            q["last_page_ms"] = round(page_ms(engine, texts[name], q["rows"]), 1)
    finally:
        server.close()


def measure(graph: Path, runs: int) -> dict:
    """Every named query on Oxigraph: median, rows, and the streaming figures for large ones.

    Each query is timed twice: as `kg query` runs it (its answer table, written by `kg build`
    beside the graph, when there is one: `kg.query.answertables`) and as plain SPARQL on the
    same loaded store (``plain_ms``; for large answers ``plain_cli_rows_per_s``).
    """
    from kg.query.engine import OxigraphEngine
    from kg.query.library import load_library

    t = time.perf_counter()
    engine = OxigraphEngine(graph)
    out: dict = {"graph": str(graph), "load_s": round(time.perf_counter() - t, 2),
                 "queries": {}}
    plain = OxigraphEngine.over(engine.store)
    texts = {name: q.bind() for name, q in load_library().items()}
    tables = 0
    for name, text in texts.items():
        answer = engine.stream(text)
        tables += type(answer).__name__ == "TableRows"
        rows = len(answer.result().rows)  # the first run also warms the term warnings
        plain.query(text)
        med, p95 = median_ms(lambda text=text: engine.query(text), runs)
        plain_med, _ = median_ms(lambda text=text: plain.query(text), runs)
        out["queries"][name] = {"rows": rows, "median_ms": round(med, 2), "p95_ms": round(p95, 2),
                                "plain_ms": round(plain_med, 2)}
    out["answer_tables"] = tables
    stream_rates(graph, engine, out["queries"], texts)
    for name, q in out["queries"].items():
        if "cli_rows_per_s" in q:
            q["plain_cli_rows_per_s"] = round(cli_rows_per_s(plain, texts[name]))
    return out


def verdict(q: dict) -> str:
    """Met or missed, by the goal that applies to the answer's size."""
    if q["rows"] <= SMALL_ROWS:
        return "met" if q["median_ms"] < QUERY_MS else "missed"
    rates = [q.get("cli_rows_per_s", 0), q.get("server_rows_per_s", 0)]
    return "met" if min(rates) >= ROWS_PER_S else "missed"


def markdown(res: dict) -> str:
    """The per-query table."""
    lines = [f"Graph {res['graph']} (loaded in {res['load_s']} s; {res.get('answer_tables', 0)} "
             "answers from the tables kg build wrote)", "",
             "| query | rows | median (p95) | as plain SPARQL | CLI rows/s (plain SPARQL) "
             "| server rows/s | last page of 100 | verdict |",
             "|---|---|---|---|---|---|---|---|"]
    for name, q in res["queries"].items():
        cli = (f"{q['cli_rows_per_s']:,} ({q.get('plain_cli_rows_per_s', 0):,})"
               if "cli_rows_per_s" in q else "–")
        srv = f"{q['server_rows_per_s']:,}" if "server_rows_per_s" in q else "–"
        page = f"{q['last_page_ms']} ms" if "last_page_ms" in q else "–"
        lines.append(f"| {name} | {q['rows']:,} | {q['median_ms']} ms ({q['p95_ms']} ms) "
                     f"| {q.get('plain_ms', '–')} ms | {cli} | {srv} | {page} | {verdict(q)} |")
    return "\n".join(lines)


def main() -> None:
    """Measure one built graph and write benchmarks/results/queries.json."""
    ap = argparse.ArgumentParser()
    ap.add_argument("graph", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    res = measure(args.graph, args.runs)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "queries.json").write_text(json.dumps(res, indent=1))
    (HERE / "results" / "queries.md").write_text(markdown(res) + "\n")
    print(markdown(res))


if __name__ == "__main__":
    main()
