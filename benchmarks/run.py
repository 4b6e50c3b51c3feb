"""Run the benchmarks and write ``benchmarks/results/<profile>.{json,md}``.

``make bench`` runs the quick profile (1x, 10x, 100x), ``make bench-full`` adds 1,000x. Each size
is generated (benchmarks/synthetic.py) and measured in its own process (benchmarks/stages.py):
every build stage, peak memory, triples per second, loading into pyoxigraph and rdflib, and every
named query on both engines. The real corpus's ``kg build`` is timed end to end, and the browser
part times how long vis-network takes to settle at 100, 1,000 and 5,000 nodes in Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import builds
from benchmarks.goals import goal_lines
from benchmarks.synthetic import generate
from kg.paths import SOURCES_DIR

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def machine() -> str:
    """One line describing this machine."""
    mem = ""
    try:
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} cores{mem}, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}")


def revision() -> str:
    """The commit measured, flagged when ``kg/`` or ``benchmarks/`` has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "kg", "benchmarks/*.py"],
                               cwd=ROOT, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes" if dirty.strip() else "")


def load() -> float:
    """The machine's load average over the last minute (other jobs stretch wall time)."""
    return round(os.getloadavg()[0], 2)


def measure_size(scale: int, query_runs: int, rdflib_timeout: float) -> dict:
    """Generate and measure one size in a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        src = generate(scale, Path(tmp) / "sources")
        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.stages", str(src), f"{tmp}/work",
             "--query-runs", str(query_runs), "--rdflib-timeout", str(rdflib_timeout),
             *(["--full-shacl"] if scale <= 100 else [])],
            capture_output=True, text=True, cwd=ROOT, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"size {scale}x failed:\n{proc.stderr[-3000:]}")
        out = json.loads(proc.stdout)
        out["wall_s"] = round(time.perf_counter() - t, 1)
        out["scale"] = scale
        out["builds"] = builds.measure(src, 1, floor=False)
        return out


def browser_times(sizes: list[int]) -> dict:
    """Seconds until the page stops moving, per node count (needs Debian's chromium)."""
    chromium = shutil.which("chromium")
    if not chromium:
        return {"skipped": "chromium not installed"}
    from playwright.sync_api import sync_playwright

    from kg.render.pages import synthetic_projection, write_graph_page, write_lib

    out = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        write_lib(Path(tmp))
        b = p.chromium.launch(executable_path=chromium, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for n in sizes:
            t0 = time.perf_counter()
            write_graph_page(synthetic_projection(n), Path(tmp) / f"g{n}.html", f"{n}", "")
            gen = time.perf_counter() - t0
            page = b.new_page()
            t = time.perf_counter()
            page.goto(Path(tmp, f"g{n}.html").as_uri())
            page.wait_for_function("window.kgStable === true", timeout=600_000)
            out[str(n)] = {"generate_s": round(gen, 2),
                           "until_still_s": round(time.perf_counter() - t, 2)}
            page.close()
        b.close()
    return out


def fmt(v: float | None) -> str:
    """Seconds for a table cell."""
    if v is None:
        return "–"
    return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"


def shipped_lines(shipped: dict) -> list[str]:
    """The shipped corpus's end-to-end builds, beside the import floor."""
    floor = shipped["import floor"]
    lines = ["### `kg build` of the shipped corpus, end to end", "",
             f"Fresh processes, median of {floor['runs']} interleaved runs; CPU is user + system "
             "time (the shared machine's load stretches wall time, not CPU time).", "",
             "| run | wall | × floor | CPU | × floor | peak memory |", "|---|---|---|---|---|---|"]
    for kind, v in shipped.items():
        lines.append(f"| {kind} | {fmt(v['wall_s'])} | {v['wall_s'] / floor['wall_s']:.2f}× | "
                     f"{fmt(v['cpu_s'])} | {v['cpu_s'] / floor['cpu_s']:.2f}× | "
                     f"{v['peak_mb']:,.0f} MB |")
    return lines


def run_line(res: dict) -> str:
    """Where and when the run was made, and how loaded the machine was."""
    line = f"Machine: {res['machine']}. Profile: {res['profile']}. Date: {res['date']}"
    if "commit" in res:
        line += f". Commit: {res['commit']}"
    if "started" in res and "ended" in res:
        line += f". From {res['started']} to {res['ended']}"
    if res.get("load"):
        line += f". Load average (1 min) {load_phrase(res['load'])}"
    return line + "."


def load_phrase(loads: list[float]) -> str:
    """The machine's load over a run, as both result files and the README print it."""
    return f"{min(loads):g}–{max(loads):g}, mean {sum(loads) / len(loads):.1f}, during the run"


def markdown(res: dict) -> str:
    """The results as Markdown tables."""
    sizes = res["sizes"]
    lines = [run_line(res), "", *goal_lines(res), "", *shipped_lines(res["shipped"]), "",
             "### Build stages by corpus size", "",
             "| stage | " + " | ".join(f"{s['scale']}×" for s in sizes) + " |",
             "|---" * (len(sizes) + 1) + "|"]
    lines.append("| triples | " + " | ".join(f"{s['triples']:,}" for s in sizes) + " |")
    lines.append("| studies | " + " | ".join(f"{s['studies']:,}" for s in sizes) + " |")
    for stage in sizes[0]["stages"]:
        lines.append(f"| {stage} | " + " | ".join(fmt(s["stages"].get(stage)) for s in sizes)
                     + " |")
    total = [sum(v for k, v in s["stages"].items() if not k.startswith("pySHACL"))
             for s in sizes]
    lines.append("| **all build stages** | " + " | ".join(f"**{fmt(t)}**" for t in total) + " |")
    lines.append("| triples per second (all stages) | " + " | ".join(
        f"{s['triples'] / t:,.0f}" for s, t in zip(sizes, total, strict=True)) + " |")
    lines.append("| peak memory of the build | " + " | ".join(
        f"{s['build_peak_mb']:,.0f} MB" for s in sizes) + " |")
    if all("builds" in s for s in sizes):
        for kind in sizes[0]["builds"]:
            lines.append(f"| `kg build` {kind} (wall / CPU / peak) | " + " | ".join(
                f"{fmt(b['wall_s'])} / {fmt(b['cpu_s'])} / {b['peak_mb']:,.0f} MB"
                for b in (s["builds"][kind] for s in sizes)) + " |")
    lines += ["", "### Loading the built graph (TriG)", "",
              "| engine | " + " | ".join(f"{s['scale']}×" for s in sizes) + " |",
              "|---" * (len(sizes) + 1) + "|"]
    for eng in ("oxigraph", "rdflib"):
        lines.append(f"| {eng} | " + " | ".join(fmt(s["query"]["load"][eng]) for s in sizes)
                     + " |")
    lines += ["", "### Named queries: median (p95) per engine, and rdflib ÷ oxigraph", ""]
    head = "| query | " + " | ".join(f"{s['scale']}× oxigraph | {s['scale']}× rdflib | ratio"
                                     for s in sizes) + " |"
    lines += [head, "|---" * (3 * len(sizes) + 1) + "|"]
    for q in sizes[0]["query"]["queries"]:
        cells = []
        for s in sizes:
            row = s["query"]["queries"][q]
            ox, rl = row["oxigraph"], row["rdflib"]
            oxs = f"{fmt(ox['median'])} ({fmt(ox['p95'])})" if "median" in ox else "timeout"
            if "median" in rl:
                rls = f"{fmt(rl['median'])} ({fmt(rl['p95'])})"
                ratio = f"{rl['median'] / ox['median']:,.0f}×" if "median" in ox else ""
            else:
                rls, ratio = f"> {rl['timeout']:g} s", (
                    f"> {rl['timeout'] / ox['median']:,.0f}×" if "median" in ox else "")
            cells.append(f"{oxs} | {rls} | {ratio}")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    if "skipped" not in res["browser"]:
        lines += ["", "### HTML view in headless Chromium", "",
                  "| nodes | generate page | open until it stops moving |", "|---|---|---|"]
        for n, v in res["browser"].items():
            lines.append(f"| {int(n):,} | {fmt(v['generate_s'])} | {fmt(v['until_still_s'])} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run a profile and write its results."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", choices=["quick", "full", "smoke"], default="quick")
    ap.add_argument("--render", action="store_true",
                    help="only write results/PROFILE.md again from results/PROFILE.json")
    args = ap.parse_args()
    scales = {"smoke": [1], "quick": [1, 10, 100], "full": [1, 10, 100, 1000]}[args.profile]
    runs = {"smoke": 1, "quick": 5, "full": 5}[args.profile]
    timeout = {"smoke": 10.0, "quick": 20.0, "full": 30.0}[args.profile]
    folder = HERE / "results"
    if args.render:  # the Markdown again from the committed JSON (after a change of tables)
        res = json.loads((folder / f"{args.profile}.json").read_text(encoding="utf-8"))
        (folder / f"{args.profile}.md").write_text(markdown(res), encoding="utf-8")
        return
    res = {"machine": machine(), "profile": args.profile, "date": time.strftime("%Y-%m-%d"),
           "commit": revision(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
           "load": [load()],  # sampled before each size and at the end
           "shipped": builds.measure(SOURCES_DIR, 1 if args.profile == "smoke" else 5),
           "sizes": []}
    for s in scales:
        print(f"measuring {s}x ...", file=sys.stderr, flush=True)
        res["load"].append(load())
        res["sizes"].append(measure_size(s, runs, timeout))
    res["browser"] = browser_times([100] if args.profile == "smoke" else [100, 1000, 5000])
    res["load"].append(load())
    res["ended"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    folder.mkdir(exist_ok=True)
    (folder / f"{args.profile}.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    (folder / f"{args.profile}.md").write_text(markdown(res), encoding="utf-8")
    print(markdown(res))


if __name__ == "__main__":
    main()
