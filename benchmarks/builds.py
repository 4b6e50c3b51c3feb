"""End-to-end ``kg build`` runs in fresh processes: cold, without HTML, incremental, unchanged.

The incremental runs edit one evidence file each: one rebuild draws the pages, another
(``--no-html``) writes the rest alone, both with the cache of every other document warm.

What the goals of issue 15 are stated in. Every run is a real ``kg build`` started the way a user
starts it; its wall time, CPU time (user + system: the shared machine's load inflates wall time,
not CPU time) and peak resident memory are taken from the child process itself. The import
floor (``python -c "import rdflib, pyoxigraph, networkx, yaml"``) is measured between the builds
of the same run, so ratios compare like with like.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = [sys.executable, "-c", "import rdflib, pyoxigraph, networkx, yaml"]
PROBE = ("import json, resource, subprocess, sys, time\n"
         "t = time.perf_counter()\n"
         "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
         "wall = time.perf_counter() - t\n"
         "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
         "print(json.dumps({'rc': rc.returncode, 'wall': wall, 'cpu': u.ru_utime + u.ru_stime,"
         " 'peak_mb': u.ru_maxrss / 1024, 'err': rc.stderr.decode()[-2000:]}))")


def run(cmd: list[str]) -> dict:
    """Run one command in a fresh process; its wall and CPU seconds and peak memory."""
    proc = subprocess.run([sys.executable, "-c", PROBE, *cmd], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    out = json.loads(proc.stdout)
    if out["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out['err']}")
    return out


def kg_build(sources: Path, out: Path, *extra: str) -> list[str]:
    """The command line of a build."""
    return [sys.executable, "-m", "kg", "build", "--sources", str(sources), "--out", str(out),
            "--quiet", *extra]


def edit_one(sources: Path, n: int) -> None:
    """Edit one evidence file as a curator would: its first label, so its statements change.

    (A change that leaves the parsed records alone, such as a comment, would let every page
    and statement come from the cache and flatter the rebuild.)
    """
    path = sorted((sources / "evidence").glob("*.yaml"))[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.lstrip().startswith("label:"))
    key, value = lines[i].split("label:", 1)
    value = value.strip().strip('"').split(" [edit ")[0]
    lines[i] = f'{key}label: "{value} [edit {n}]"\n'
    path.write_text("".join(lines), encoding="utf-8")


def summary(runs: list[dict]) -> dict:
    """Medians of wall and CPU seconds, and the largest peak memory."""
    return {"wall_s": round(statistics.median(r["wall"] for r in runs), 3),
            "cpu_s": round(statistics.median(r["cpu"] for r in runs), 3),
            "peak_mb": round(max(r["peak_mb"] for r in runs), 1), "runs": len(runs)}


def bytecode() -> None:
    """Compile the project's modules as an install does, so no build compiles them again.

    The floor's libraries were compiled when pip installed them; ``kg`` (installed editable)
    is compiled on first import, unless ``PYTHONDONTWRITEBYTECODE`` is set, as it was on the
    machine of earlier runs: then every measured build compiled its ~80 modules again (0.13 s,
    half a floor), and the ratio said as much about that setting as about the build.
    """
    import compileall

    compileall.compile_dir(ROOT / "kg", quiet=1)


def measure(sources: Path, runs: int, floor: bool = True) -> dict:
    """Cold builds (all outputs, and --no-html), one-file-edited and unchanged rebuilds."""
    bytecode()
    kinds = ["cold", "cold --no-html", "one evidence file edited", "unchanged",
             "one evidence file edited --no-html"]
    if floor:
        kinds.insert(0, "import floor")
    got: dict[str, list[dict]] = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sources"
        shutil.copytree(sources, src)
        warm = Path(tmp) / "warm" / "output"
        run(kg_build(src, warm))  # the cache holds every document before the first edit
        for i in range(runs):
            if floor:
                got["import floor"].append(run(FLOOR))
            cold = Path(tmp) / f"cold-{i}" / "output"
            got["cold"].append(run(kg_build(src, cold, "--no-cache")))
            got["cold --no-html"].append(run(kg_build(src, Path(tmp) / f"nohtml-{i}" / "o",
                                                      "--no-cache", "--no-html")))
            shutil.rmtree(cold.parent)
            edit_one(src, i)
            got["one evidence file edited"].append(run(kg_build(src, warm)))
            got["unchanged"].append(run(kg_build(src, warm)))
            edit_one(src, runs + i)  # another edit, the pages left alone (their cache kept)
            got["one evidence file edited --no-html"].append(run(kg_build(src, warm,
                                                                          "--no-html")))
    return {k: summary(v) for k, v in got.items()}


def store_bytes_per_triple(trig: Path) -> dict:
    """Resident memory pyoxigraph's own in-memory store takes per triple of a TriG file."""
    code = ("import json, sys, pyoxigraph as ox\n"
            "def rss():\n"
            "    return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
            "data = open(sys.argv[1], 'rb').read()\n"
            "before = rss()\n"
            "s = ox.Store()\n"
            "s.bulk_load(data, format=ox.RdfFormat.TRIG)\n"
            "print(json.dumps({'bytes': rss() - before, 'triples': len(s)}))")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(trig)], capture_output=True, text=True,
                          check=True)
    out = json.loads(proc.stdout)
    return {"bytes_per_triple": round(out["bytes"] / out["triples"]), "triples": out["triples"],
            "load_s": round(time.perf_counter() - t, 2)}
