"""A shared store against the local files: ``kg push`` and every named query over HTTP.

``make bench-remote`` writes ``benchmarks/results/remote.{json,md}``. For the shipped corpus and
synthetic corpora (``benchmarks/synthetic.py``) it builds the graph, starts an Oxigraph server on
127.0.0.1 (in memory, and on disk with ``--location``), times ``kg push`` (first load and a
replacing one), then runs every named query in-process (pyoxigraph, what ``kg query`` does) and
through the server (``kg query --endpoint``), side by side as medians with their ratio. It also
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
from kg.query.engine import open_engine
from kg.query.library import load_library
from kg.query.remote import EndpointEngine
from tests.test_remote import oxigraph

RESULTS = Path(__file__).parent / "results"


def median_time(fn: object, runs: int) -> float:
    """Median wall time of ``fn()`` in seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(trig: Path, runs: int) -> dict:
    """Push ``trig`` to fresh Oxigraph servers and time every named query both ways."""
    out: dict = {"push": {}, "queries": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("memory", "disk"):
            location = Path(tmp) / mode
            with oxigraph(location, union=True) as url:
                t = time.perf_counter()
                report = push(trig, f"{url}/store", say=lambda _: None)
                first = time.perf_counter() - t
                again = median_time(lambda u=url: push(trig, f"{u}/store", say=lambda _: None),
                                    runs)
                triples = sum(report.written.values())
                out["push"][mode] = {"triples": triples, "first_s": round(first, 3),
                                     "replace_s": round(again, 3),
                                     "triples_per_s": round(triples / first)}
                if mode != "memory":
                    continue
                local = open_engine("oxigraph", trig)
                remote = EndpointEngine(f"{url}/query")
                for name, q in load_library().items():
                    text = q.bind()
                    here = median_time(lambda t=text, e=local: e.query(t), runs)
                    there = median_time(lambda t=text, e=remote: e.query(t), runs)
                    out["queries"][name] = {"local_ms": round(here * 1000, 2),
                                            "endpoint_ms": round(there * 1000, 2),
                                            "ratio": round(there / here, 1) if here else None}
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


def markdown(res: dict) -> str:
    """The results as the tables README.md quotes."""
    lines = ["# kg push and named queries: local files against an Oxigraph server", "",
             "| corpus | triples | push (memory) | triples/s | replace | push (disk) | "
             "replace (disk) |", "|---|---|---|---|---|---|---|"]
    for name, r in res["corpora"].items():
        m, d = r["push"]["memory"], r["push"]["disk"]
        lines.append(f"| {name} | {m['triples']:,} | {m['first_s']} s | {m['triples_per_s']:,} "
                     f"| {m['replace_s']} s | {d['first_s']} s | {d['replace_s']} s |")
    for name, r in res["corpora"].items():
        lines += ["", f"## Named queries, {name} (median ms; endpoint ÷ local)", "",
                  "| query | local | endpoint | ratio |", "|---|---|---|---|"]
        for q, t in r["queries"].items():
            lines.append(f"| {q} | {t['local_ms']} | {t['endpoint_ms']} | {t['ratio']} |")
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
    res: dict = {"corpora": {}}
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
