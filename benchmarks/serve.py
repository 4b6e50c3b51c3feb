"""Load on ``kg serve``: 64 clients, 10,000 requests, the worker pool against a fork per query.

``make bench-serve`` writes ``benchmarks/results/serve.{json,md}``. Every mode serves the real
graph on 127.0.0.1 from a subprocess and gets the same mix (`mix`): cheap queries (ASK, small
SELECTs in every result format, CONSTRUCT, the named queries, the editor page), expensive ones
that must hit the time limit (cartesian products, a regex over one), hostile requests (updates,
SERVICE, bodies over the size limit), invalid ones (syntax errors, unknown paths) and rude
clients that hang up without reading. Each request's expected status is known, so a dropped
connection or a wrong answer is counted, not guessed. Modes:

- ``pool``: ``kg serve`` as shipped now (long-lived workers forked from a template);
- ``fork``: the same HTTP server with the former fork-per-query runner (hidden
  ``--fork-per-query``), which isolates what the pool changes;
- ``shipped``: the server of commit ``BASE`` (before this work) as it was, read from git
  (skipped when git or the commit is unavailable).

``tests/test_serve_load.py`` runs the same load as a test, with assertions.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = "0121e5448c54ae8df21f953b8db8ea29de89e74c"  # the last commit with a fork per query

KG = "PREFIX kg: <https://w3id.org/dti-kg/ontology#> "
ASK = "ASK { ?s ?p ?o }"
TARGETS = (KG + "SELECT ?t WHERE { <https://w3id.org/dti-kg/id/drug/sorafenib> kg:targets ?t }"
           " ORDER BY ?t LIMIT 3")
CONSTRUCT = KG + "CONSTRUCT { ?d kg:targets ?t } WHERE { ?d kg:targets ?t }"
EVERYTHING = "SELECT ?s WHERE { ?s ?p ?o }"  # over the row limit: cut and marked
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
REGEX = ('SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f '
         'FILTER regex(concat(str(?c), str(?f)), "(x+x+)+y") }')
HUGE = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 1_500_000  # over the default 1 MB limit

# Shares of the mix; what is left over is cheap.
SHARES = {"expensive": 0.01, "hostile": 0.05, "huge": 0.01, "invalid": 0.05, "rude": 0.01}


@dataclass(frozen=True)
class Case:
    """One kind of request and the status it must get (0: a rude client reads nothing)."""

    kind: str  # cheap, expensive, hostile, invalid, rude
    name: str
    method: str
    path: str
    expect: int
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Outcome:
    """What one request got."""

    case: Case
    status: int | None
    seconds: float
    error: str = ""
    body: bytes = b""

    @property
    def dropped(self) -> bool:
        """No HTTP answer where one was due."""
        return self.status is None and self.case.kind != "rude"

    @property
    def unexpected(self) -> bool:
        """An answer, but not the one this request must get."""
        return self.status is not None and self.status != self.case.expect


def by_get(kind: str, name: str, query: str, expect: int, accept: str = "") -> Case:
    """A query sent as GET ?query=."""
    return Case(kind, name, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                expect, headers=(("Accept", accept),) if accept else ())


def by_post(kind: str, name: str, body: bytes, ctype: str, expect: int) -> Case:
    """A POST to /sparql with this body and content type."""
    return Case(kind, name, "POST", "/sparql", expect, body, (("Content-Type", ctype),))


def by_form(kind: str, name: str, query: str, expect: int) -> Case:
    """A query sent as a form-encoded POST."""
    return by_post(kind, name, urllib.parse.urlencode({"query": query}).encode(),
                 "application/x-www-form-urlencoded", expect)


def cases() -> dict[str, list[Case]]:
    """Every request of the mix, by kind."""
    from kg.query.library import load_library

    cheap = [
        by_get("cheap", "ask", ASK, 200),
        by_get("cheap", "select-json", TARGETS, 200),
        by_get("cheap", "select-csv", TARGETS, 200, "text/csv"),
        by_get("cheap", "select-xml", TARGETS, 200, "application/sparql-results+xml"),
        by_get("cheap", "construct-turtle", CONSTRUCT, 200, "text/turtle"),
        by_get("cheap", "row-limit", EVERYTHING, 200),
        by_post("cheap", "post-direct", TARGETS.encode(), "application/sparql-query", 200),
        by_form("cheap", "post-form", TARGETS, 200),
        Case("cheap", "editor-page", "GET", "/", 200),
        Case("cheap", "query-list", "GET", "/queries", 200),
    ]
    cheap += [by_form("cheap", f"named:{q.name}", q.bind(), 200) for q in load_library().values()]
    return {
        "cheap": cheap,
        "expensive": [by_get("expensive", "cartesian", CARTESIAN, 503),
                      by_form("expensive", "regex-over-product", REGEX, 503)],
        "hostile": [
            Case("hostile", "get-update", "GET", "/sparql?update=CLEAR+ALL", 403),
            by_post("hostile", "sparql-update", b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                  "application/sparql-update", 403),
            by_post("hostile", "form-update", b"update=DROP+ALL",
                  "application/x-www-form-urlencoded", 403),
            by_post("hostile", "drop-as-query", b"DROP ALL", "application/sparql-query", 403),
            by_get("hostile", "service", "SELECT * WHERE { SERVICE <http://example.org/sparql> "
                 "{ ?s ?p ?o } }", 403)],
        "huge": [by_post("hostile", "huge-body", HUGE, "application/sparql-query", 413)],
        "invalid": [
            by_get("invalid", "syntax-get", "SELECT ?x WHERE {", 400),
            by_post("invalid", "syntax-post", b"SELEKT * WHERE { ?s ?p ?o }",
                  "application/sparql-query", 400),
            Case("invalid", "missing-query", "GET", "/sparql", 400),
            Case("invalid", "unknown-path", "GET", "/nope", 404),
            by_post("invalid", "wrong-content-type", b"ASK {}", "text/plain", 415)],
        "rude": [by_get("rude", "hang-up-on-rows", EVERYTHING, 0),
                 Case("rude", "hang-up-on-page", "GET", "/", 0)],
    }


def mix(total: int, seed: int = 7) -> list[Case]:
    """``total`` requests in the shares of SHARES, shuffled reproducibly."""
    by_kind = cases()
    out: list[Case] = []
    for kind, share in SHARES.items():
        n = round(total * share)
        out += [by_kind[kind][i % len(by_kind[kind])] for i in range(n)]
    cheap = by_kind["cheap"]
    out += [cheap[i % len(cheap)] for i in range(total - len(out))]
    random.Random(seed).shuffle(out)
    return out


def send(host: str, port: int, case: Case, timeout: float = 60.0) -> Outcome:
    """One request on a fresh connection, as a plain SPARQL client would send it."""
    t = time.perf_counter()
    if case.kind == "rude":
        return _hang_up(host, port, case, t)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(case.method, case.path, body=case.body, headers=dict(case.headers))
        resp = conn.getresponse()
        body = resp.read()
        return Outcome(case, resp.status, time.perf_counter() - t, body=body)
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(case, None, time.perf_counter() - t, f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def _hang_up(host: str, port: int, case: Case, t: float) -> Outcome:
    """Send a request and reset the connection at once, without reading the answer."""
    try:
        with socket.create_connection((host, port), timeout=10) as s:
            s.sendall(f"{case.method} {case.path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError as exc:
        return Outcome(case, None, time.perf_counter() - t, f"{type(exc).__name__}: {exc}")
    return Outcome(case, None, time.perf_counter() - t)


def address(url: str) -> tuple[str, int]:
    """Host and port of a server URL."""
    parts = urllib.parse.urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def run_load(url: str, requests: list[Case], clients: int = 64) -> tuple[list[Outcome], float]:
    """Send every request from ``clients`` concurrent threads; outcomes and wall seconds."""
    host, port = address(url)
    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        outcomes = list(pool.map(lambda c: send(host, port, c), requests))
    return outcomes, time.perf_counter() - t


def sequential_latency(url: str, query: str, runs: int = 300) -> list[float]:
    """Seconds per request, one at a time on an otherwise idle server."""
    case = by_get("cheap", "probe", query, 200)
    times = []
    for _ in range(runs):
        out = send(*address(url), case)
        if out.status != 200:
            raise RuntimeError(f"probe got {out.status or out.error}")
        times.append(out.seconds)
    return times


def engine_latency(graph: Path, query: str, runs: int = 300) -> list[float]:
    """Seconds per query in this process, on pyoxigraph, no HTTP: the floor for the server."""
    from kg.query.engine import open_engine

    engine = open_engine("oxigraph", graph)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        engine.query(query)
        times.append(time.perf_counter() - t)
    return times


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out, frontier = [pid], [pid]
    while frontier:
        frontier = [p for p, pp in parents.items() if pp in frontier]
        out += frontier
    return out


def _kb(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(pid: int) -> dict[str, float]:
    """Resident memory of the server and every process it started: RSS sum and PSS sum (MB).

    RSS counts pages a worker shares with its template once per process; PSS splits them.
    """
    procs = descendants(pid)
    rss = sum(_kb(Path(f"/proc/{p}/status"), "VmRSS") for p in procs)
    pss = sum(_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss") for p in procs)
    return {"processes": len(procs), "rss_mb": round(rss / 1024, 1),
            "pss_mb": round(pss / 1024, 1)}


@dataclass
class Server:
    """A ``kg serve`` subprocess on 127.0.0.1 with its stderr kept in a file."""

    command: list[str]
    workdir: Path
    url: str = ""
    proc: subprocess.Popen | None = None
    stderr_path: Path = field(init=False)

    def __enter__(self) -> Server:
        """Start it and wait for the line that gives its URL."""
        self.stderr_path = self.workdir / f"stderr-{time.monotonic_ns()}.txt"
        with self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=err,
                                         text=True, cwd=ROOT)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if " at http://127.0.0.1:" not in line:
            self.__exit__()
            raise RuntimeError(f"server did not start: {line!r} {self.stderr()!r}")
        self.url = line.split(" at ", 1)[1].split(" ", 1)[0]
        return self

    def stderr(self) -> str:
        """Everything the server has written to stderr so far."""
        return self.stderr_path.read_text(errors="replace")

    def __exit__(self, *exc: object) -> None:
        """Stop it (SIGTERM, then SIGKILL) and wait."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def serve_command(graph: Path, mode: str, time_limit: float, *extra: str) -> list[str]:
    """The command that serves ``graph`` on a free loopback port in one of the modes.

    Queries may wait 60 s for a worker: under this load a cheap query must get its answer,
    not "busy"; ``extra`` options come last and so win.
    """
    if mode == "shipped":
        return [sys.executable, "-c", _shipped_launcher(graph, time_limit)]
    cmd = [sys.executable, "-m", "kg", "serve", "--graph", str(graph), "--host", "127.0.0.1",
           "--port", "0", "--queue-wait", "60", "--time-limit", str(time_limit),
           "--max-rows", "100"]
    return cmd + (["--fork-per-query"] if mode == "fork" else []) + list(extra)


def _shipped_launcher(graph: Path, time_limit: float) -> str:
    """Python code that runs the server module of commit BASE, unchanged, on ``graph``."""
    source = subprocess.run(["git", "show", f"{BASE}:kg/query/server.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    return textwrap.dedent(f"""
        import sys, types
        from pathlib import Path
        from kg.query.engine import open_engine
        from kg.query.library import load_library
        old = types.ModuleType("shipped_server")
        old.__file__ = {str(ROOT / "kg/query/server.py")!r}
        sys.modules[old.__name__] = old
        exec(compile({source!r}, "shipped_server.py", "exec"), old.__dict__)
        engine = open_engine("oxigraph", Path({str(graph)!r}))
        old.serve(engine, load_library(), "127.0.0.1", 0, old.Limits({time_limit}, 100),
                  lambda url: print(f"serving at {{url}} (shipped)", flush=True))
    """)


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summarize(outcomes: list[Outcome], wall: float) -> dict:
    """Counts and latencies of one load run."""
    cheap = [o.seconds for o in outcomes if o.case.kind == "cheap" and o.status == 200]
    expensive = [o for o in outcomes if o.case.kind == "expensive"]
    errors = Counter(o.error.split(":")[0] for o in outcomes if o.dropped)
    wrong = Counter(f"{o.case.name}: {o.status}" for o in outcomes if o.unexpected)
    return {
        "requests": len(outcomes), "wall_s": round(wall, 2),
        "requests_per_s": round(len(outcomes) / wall, 1),
        "cheap_p50_ms": round(statistics.median(cheap) * 1000, 2) if cheap else None,
        "cheap_p99_ms": round(percentile(cheap, 0.99) * 1000, 2) if cheap else None,
        "dropped": sum(o.dropped for o in outcomes), "dropped_by_error": dict(errors),
        "unexpected": sum(o.unexpected for o in outcomes), "unexpected_by_case": dict(wrong),
        "expensive": len(expensive),
        "expensive_503": sum(o.status == 503 and b"time limit" in o.body for o in expensive),
        "by_kind": dict(Counter(o.case.kind for o in outcomes)),
    }


def cheap_only(total: int) -> list[Case]:
    """``total`` cheap requests, every kind in turn: throughput without the time limit's share."""
    cheap = cases()["cheap"]
    return [cheap[i % len(cheap)] for i in range(total)]


def measure(graph: Path, mode: str, requests: int, cheap: int, clients: int, time_limit: float,
            workdir: Path) -> dict:
    """One mode: idle latency, cheap queries only, then the mixed load; memory around it."""
    with Server(serve_command(graph, mode, time_limit), workdir) as server:
        assert server.proc is not None
        for case in cases()["cheap"]:  # warm up every path once before measuring
            send(*address(server.url), case)
        probe = sequential_latency(server.url, ASK)
        before = memory(server.proc.pid)
        light, light_wall = run_load(server.url, cheap_only(cheap), clients)
        outcomes, wall = run_load(server.url, mix(requests), clients)
        time.sleep(0.5)  # let the last killed processes go
        after = memory(server.proc.pid)
        stderr = server.stderr()
    res = summarize(outcomes, wall)
    res.update({"mode": mode, "ask_sequential_p50_ms": round(statistics.median(probe) * 1000, 2),
                "cheap_only": summarize(light, light_wall),
                "memory_start": before, "memory_end": after,
                "stderr_lines": len(stderr.splitlines()),
                "tracebacks": stderr.count("Traceback (most recent call last)"),
                "stderr_sample": stderr[:1500]})
    return res


def machine() -> str:
    """One line describing this machine."""
    from benchmarks.run import machine as describe

    return describe()


def markdown(res: dict) -> str:
    """The results as a Markdown table, new against old."""
    runs = res["runs"]
    names = {"pool": "worker pool (new)", "fork": "fork per query, new HTTP layer",
             "shipped": f"fork per query as shipped ({BASE[:7]})"}
    lines = [f"Machine: {res['machine']}. Date: {res['date']}. Graph: the shipped sources "
             f"({res['triples']:,} triples), pyoxigraph. {res['clients']} concurrent clients "
             f"send {res['cheap']:,} cheap requests, then the whole mix of "
             f"{res['requests']:,} (shares: "
             + ", ".join(f"{k} {v:.0%}" for k, v in SHARES.items())
             + f", the rest cheap), time limit {res['time_limit']:g} s, row limit 100; a "
             "fresh connection per request.", "",
             f"Engine alone (in process, `ASK {{ ?s ?p ?o }}`): "
             f"**{res['engine_ask_p50_ms']} ms** median. Rates and latencies vary from run to run "
             "on a machine shared with other jobs: read the ratios as rough; whether drops, "
             "wrong statuses and tracebacks are zero does not vary.", "",
             "| | " + " | ".join(names[r["mode"]] for r in runs) + " |",
             "|---" * (len(runs) + 1) + "|"]
    rows = [
        ("**cheap queries only**: requests/s",
         lambda r: f"{r['cheap_only']['requests_per_s']:,}"),
        ("cheap only: p50 / p99", lambda r: f"{r['cheap_only']['cheap_p50_ms']} / "
                                            f"{r['cheap_only']['cheap_p99_ms']} ms"),
        ("cheap only: dropped connections", lambda r: dropped(r["cheap_only"])),
        ("**whole mix**: requests/s", lambda r: f"{r['requests_per_s']:,}"),
        ("whole mix: wall time", lambda r: f"{r['wall_s']} s"),
        ("whole mix: cheap queries p50 / p99",
         lambda r: f"{r['cheap_p50_ms']} / {r['cheap_p99_ms']} ms"),
        ("whole mix: dropped connections", dropped),
        ("whole mix: wrong status", lambda r: str(r["unexpected"]) + (
            f" ({', '.join(f'{k} ×{v}' for k, v in r['unexpected_by_case'].items())})"
            if r["unexpected"] else "")),
        ("whole mix: over the time limit answered 503",
         lambda r: f"{r['expensive_503']} of {r['expensive']}"),
        ("`ASK` one at a time, idle server: p50", lambda r: f"{r['ask_sequential_p50_ms']} ms"),
        ("tracebacks on stderr", lambda r: str(r["tracebacks"])),
        ("memory at start: RSS sum (PSS sum)",
         lambda r: f"{r['memory_start']['rss_mb']} MB ({r['memory_start']['pss_mb']} MB), "
                   f"{r['memory_start']['processes']} processes"),
        ("memory at end: RSS sum (PSS sum)",
         lambda r: f"{r['memory_end']['rss_mb']} MB ({r['memory_end']['pss_mb']} MB), "
                   f"{r['memory_end']['processes']} processes"),
    ]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in runs) + " |")
    new = next((r for r in runs if r["mode"] == "pool"), None)
    if new:
        lines += ["", "New against old:", ""]
        for old in (r for r in runs if r["mode"] != "pool"):
            a, b = old["cheap_only"], new["cheap_only"]
            lines.append(
                f"- against {names[old['mode']]}: cheap queries "
                f"{b['requests_per_s'] / a['requests_per_s']:.1f}× the requests/s "
                f"(p50 {a['cheap_p50_ms']} → {b['cheap_p50_ms']} ms, p99 {a['cheap_p99_ms']}"
                f" → {b['cheap_p99_ms']} ms); whole mix "
                f"{new['requests_per_s'] / old['requests_per_s']:.1f}× the requests/s; idle "
                f"`ASK` {old['ask_sequential_p50_ms'] / new['ask_sequential_p50_ms']:.0f}× "
                f"faster; dropped connections {a['dropped'] + old['dropped']} → "
                f"{b['dropped'] + new['dropped']}.")
    return "\n".join(lines) + "\n"


def dropped(r: dict) -> str:
    """Dropped connections, by the error the client saw."""
    return f"{r['dropped']}" + (
        f" ({', '.join(f'{k} {v}' for k, v in r['dropped_by_error'].items())})"
        if r["dropped"] else "")


def build_graph(out: Path) -> Path:
    """Build the shipped sources (RDF only) into ``out``; the TriG path."""
    subprocess.run([sys.executable, "-m", "kg", "build", "--out", str(out), "--no-html",
                    "--quiet"], check=True, capture_output=True, cwd=ROOT)
    return out / "graph.trig"


def main() -> None:
    """Measure every mode and write results/serve.{json,md}."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--cheap", type=int, default=3_000, help="requests of the cheap-only run")
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--time-limit", type=float, default=0.5)
    ap.add_argument("--modes", default="pool,fork,shipped")
    ap.add_argument("--out", type=Path, default=HERE / "results")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graph = build_graph(Path(tmp) / "out")
        from kg.query.engine import open_engine

        triples = int(open_engine("oxigraph", graph).query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value)
        res = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "triples": triples,
               "clients": args.clients, "requests": args.requests, "cheap": args.cheap,
               "time_limit": args.time_limit,
               "engine_ask_p50_ms": round(statistics.median(engine_latency(graph, ASK)) * 1000,
                                          3), "runs": []}
        for mode in args.modes.split(","):
            if mode == "shipped" and not _has_base():
                print("skipping shipped: commit not available", file=sys.stderr)
                continue
            print(f"measuring {mode} ...", file=sys.stderr, flush=True)
            res["runs"].append(measure(graph, mode, args.requests, args.cheap, args.clients,
                                       args.time_limit, Path(tmp)))
    args.out.mkdir(exist_ok=True)
    (args.out / "serve.json").write_text(json.dumps(res, indent=1))
    (args.out / "serve.md").write_text(markdown(res))
    print(markdown(res))


def _has_base() -> bool:
    proc = subprocess.run(["git", "cat-file", "-e", f"{BASE}^{{commit}}"], cwd=ROOT,
                          capture_output=True, check=False)
    return proc.returncode == 0


if __name__ == "__main__":
    os.environ.pop("KG_SERVE_LOG", None)  # a request log on stderr would read as errors
    main()
