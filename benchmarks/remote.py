"""A shared store against the local files: ``kg push`` and every named query over HTTP.

``make bench-remote`` writes ``benchmarks/results/remote.{json,md}``. For the shipped corpus and
synthetic corpora (``benchmarks/synthetic.py``) it builds the graph, starts an Oxigraph server on
127.0.0.1 (in memory, and on disk with ``--location``) and a Virtuoso (Debian's package, its own
database; skipped where it is not installed), times ``kg push`` (first load and a replacing
one), then runs every named query in-process (pyoxigraph, what ``kg query`` does) and through
each server (``kg query --endpoint``), side by side as medians. It also
times the Python API's first steps: ``import kg``, ``kg.open()`` and ``g.networkx()``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import generate
from kg.assemble import build
from kg.cli import write_outputs
from kg.export.push import push
from kg.paths import SOURCES_DIR
from kg.query.credentials import Credentials
from kg.query.engine import open_engine
from kg.query.library import load_library
from kg.query.remote import EndpointEngine
from tests.test_remote import oxigraph, oxigraph_binary
from tests.test_virtuoso import PASSWORD, SERVER, USER, virtuoso

RESULTS = Path(__file__).parent / "results"
STORES = ("oxigraph", "virtuoso") if SERVER else ("oxigraph",)


def median_time(fn: object, runs: int) -> float:
    """Median wall time of ``fn()`` in seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def store_versions() -> str:
    """The servers measured, as their binaries name themselves."""
    names = [subprocess.run([oxigraph_binary(), "--version"], capture_output=True, text=True,
                            check=True).stdout.strip()]
    if SERVER:
        text = subprocess.run([SERVER, "-?"], capture_output=True, text=True).stderr
        version = next((line.split()[1] for line in (text + "\n").splitlines()
                        if line.startswith("Version ")), "?")
        names.append(f"virtuoso {version}")
    return " and ".join(names)


def _time_push(trig: Path, url: str, runs: int, credentials: Credentials | None) -> dict:
    """A first push into an empty store, then the median of replacing pushes."""
    t = time.perf_counter()
    report = push(trig, url, say=lambda _: None, credentials=credentials)
    first = time.perf_counter() - t
    again = median_time(lambda: push(trig, url, say=lambda _: None, credentials=credentials),
                        runs)
    triples = sum(report.written.values())
    return {"triples": triples, "first_s": round(first, 3), "replace_s": round(again, 3),
            "triples_per_s": round(triples / first)}


def measure(trig: Path, runs: int, stores: tuple[str, ...] = STORES) -> dict:
    """Push ``trig`` to fresh servers of each store and time every named query there and here.

    Oxigraph runs in memory and on disk (queries on the in-memory one); Virtuoso on disk,
    pushed over its authenticated endpoint as a user with the SPARQL_UPDATE role.
    """
    out: dict = {"push": {}, "queries": {}}
    local = open_engine("oxigraph", trig)
    library = load_library()
    for name, q in library.items():
        text = q.bind()
        out["queries"][name] = {
            "local_ms": round(median_time(lambda t=text: local.query(t), runs) * 1000, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        servers: list[tuple[str, object, str, str, Credentials | None]] = []
        if "oxigraph" in stores:
            servers += [("oxigraph memory", lambda: oxigraph(Path(tmp) / "memory", union=True),
                         "/store", "/query", None),
                        ("oxigraph disk", lambda: oxigraph(Path(tmp) / "disk", union=True),
                         "/store", "/query", None)]
        if "virtuoso" in stores:
            servers.append(("virtuoso", lambda: virtuoso(Path(tmp) / "virtuoso"),
                            "/sparql-graph-crud-auth", "/sparql", Credentials(USER, PASSWORD)))
        for label, start, crud, sparql, who in servers:
            with start() as url:  # type: ignore[operator]
                out["push"][label] = _time_push(trig, url + crud, runs, who)
                if label == "oxigraph disk":
                    continue
                remote = EndpointEngine(url + sparql, timeout=600)
                key = label.split()[0] + "_ms"
                for name, q in library.items():
                    text = q.bind()
                    ms = median_time(lambda t=text, e=remote: e.query(t), runs) * 1000
                    out["queries"][name][key] = round(ms, 2)
    return out


def api_times(output: Path) -> dict:
    """``import kg`` in a fresh process, then ``kg.open()`` and ``g.networkx()``."""
    code = ("import time; t = time.perf_counter(); import kg; a = time.perf_counter() - t; "
            f"t = time.perf_counter(); g = kg.open({str(output)!r}); "
            "g.query('drug-targets'); b = time.perf_counter() - t; "
            "t = time.perf_counter(); g.networkx(); c = time.perf_counter() - t; "
            "print(a, b, c)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    a, b, c = (float(x) for x in res.stdout.split())
    return {"import_kg_s": round(a, 4), "open_and_first_query_s": round(b, 3),
            "networkx_s": round(c, 3)}


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value}"


def markdown(res: dict) -> str:
    """The results as the tables README.md quotes."""
    lines = ["# kg push and named queries: local files against Oxigraph and Virtuoso", "",
             f"Stores: {res.get('stores', 'Oxigraph')}; one machine, servers on 127.0.0.1. "
             "Push: first load into an empty store, then the median of replacing loads "
             f"({res.get('runs', '?')} runs); queries: median ms.", "",
             "| corpus | triples | Oxigraph (memory) | replace | Oxigraph (disk) | replace | "
             "Virtuoso | replace |", "|---|---|---|---|---|---|---|---|"]
    for name, r in res["corpora"].items():
        cells = [name, f"{next(iter(r['push'].values()))['triples']:,}"]
        for store in ("oxigraph memory", "oxigraph disk", "virtuoso"):
            p = r["push"].get(store)
            cells += ([f"{p['first_s']} s ({p['triples_per_s']:,}/s)", f"{p['replace_s']} s"]
                      if p else ["–", "–"])
        lines.append("| " + " | ".join(cells) + " |")
    for name, r in res["corpora"].items():
        lines += ["", f"## Named queries, {name} (median ms; in process, and through each "
                  "store's SPARQL endpoint)", "",
                  "| query | local | Oxigraph | Virtuoso |", "|---|---|---|---|"]
        for q, t in r["queries"].items():
            lines.append(f"| {q} | {t['local_ms']} | {_cell(t.get('oxigraph_ms'))} | "
                         f"{_cell(t.get('virtuoso_ms'))} |")
    api = res["api"]
    lines += ["", "## Python API (shipped corpus)", "",
              f"- `import kg`: {api['import_kg_s'] * 1000:.1f} ms",
              f"- `kg.open()` and a first named query: {api['open_and_first_query_s']} s",
              f"- `g.networkx()`: {api['networkx_s']} s", ""]
    return "\n".join(lines)


def main() -> None:
    """Measure and write results/remote.{json,md}."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scales", default="10,100", help="synthetic sizes besides the shipped one")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    res: dict = {"corpora": {}, "runs": args.runs, "stores": store_versions()}
    with tempfile.TemporaryDirectory() as tmp:
        corpora = {"shipped": SOURCES_DIR}
        for scale in (int(s) for s in args.scales.split(",") if s):
            corpora[f"synthetic {scale}x"] = generate(scale, Path(tmp) / f"src-{scale}")
        for name, sources in corpora.items():
            out = Path(tmp) / f"out-{len(res['corpora'])}"
            out.mkdir()
            write_outputs(build(sources), out, html=False)
            res["corpora"][name] = measure(out / "graph.trig", args.runs)
            if name == "shipped":
                res["api"] = api_times(out)
            print(f"{name}: done", file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "remote.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "remote.md").write_text(markdown(res), encoding="utf-8")
    print(markdown(res))


if __name__ == "__main__":
    main()
