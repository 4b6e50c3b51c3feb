"""kg serve under load: 64 clients and 10,000 requests of every kind, on 127.0.0.1 only.

The load of ``make bench-serve`` (benchmarks/serve.py), with assertions: no dropped connection,
every request answered with the status its kind must get, every query over the time limit
stopped with 503 while the server keeps answering, nothing on stderr, memory flat, the pool
keeping its size, and a cheap query over HTTP within 5 ms of the engine's own time. The server
runs the real graph with a short time limit so that the run stays under a minute.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.serve import (
    ASK,
    CARTESIAN,
    TARGETS,
    Outcome,
    Server,
    address,
    by_get,
    cases,
    descendants,
    engine_latency,
    memory,
    mix,
    run_load,
    send,
    sequential_latency,
    serve_command,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="measures processes through /proc (Linux)")


@pytest.fixture(scope="module")
def trig(tmp_path_factory: pytest.TempPathFactory, real) -> Path:
    from kg.cli import write_outputs

    out = tmp_path_factory.mktemp("load")
    write_outputs(real, out, html=False)
    return out / "graph.trig"


def workers(server_pid: int) -> list[int]:
    """The live worker processes: below the server, its template, below that the workers."""
    return [p for p in descendants(server_pid)[2:] if state(p) not in {"Z", ""}]


def state(pid: int) -> str:
    """A process's state letter ('' once it is gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def ask(url: str) -> Outcome:
    return send(*address(url), by_get("cheap", "ask", ASK, 200))


def test_64_clients_10000_requests(trig: Path, tmp_path: Path):
    with Server(serve_command(trig, "pool", 0.5), tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.proc is not None
        for case in cases()["cheap"]:  # every path once, so memory is measured warm
            assert send(*address(server.url), case).status == 200, case.name
        engine = statistics.median(engine_latency(trig, ASK))
        http = statistics.median(sequential_latency(server.url, ASK))
        assert http - engine < 0.005, (http, engine)
        before, pool_before = memory(server.proc.pid), workers(server.proc.pid)

        outcomes, wall = run_load(server.url, mix(10_000), clients=64)

        time.sleep(0.3)
        after, pool_after = memory(server.proc.pid), workers(server.proc.pid)
        last = send(*address(server.url), by_get("cheap", "targets", TARGETS, 200))
        stderr = server.stderr()
    assert len(outcomes) == 10_000
    dropped = Counter(f"{o.case.name}: {o.error}" for o in outcomes if o.dropped)
    assert not dropped, dropped.most_common(5)
    wrong = Counter(f"{o.case.name}: {o.status} {o.body[:80]!r}" for o in outcomes
                    if o.unexpected)
    assert not wrong, wrong.most_common(5)
    expensive = [o for o in outcomes if o.case.kind == "expensive"]
    assert len(expensive) == 100
    assert all(o.status == 503 and b"time limit" in o.body for o in expensive)
    assert last.status == 200  # still answering after every worker was killed at least once
    assert stderr == ""
    growth = after["rss_mb"] - before["rss_mb"]
    assert growth < 100 or after["rss_mb"] < 1.5 * before["rss_mb"], (before, after)
    assert len(pool_after) == len(pool_before) >= 2  # killed workers were replaced
    assert set(pool_after) != set(pool_before)
    assert wall < 120, wall


def test_a_killed_worker_is_replaced_and_a_full_pool_says_busy(trig: Path, tmp_path: Path):
    cmd = serve_command(trig, "pool", 1.0, "--workers", "2", "--queue-wait", "0.3")
    with Server(cmd, tmp_path) as server:
        assert server.proc is not None
        first = workers(server.proc.pid)
        out = send(*address(server.url), by_get("expensive", "cartesian", CARTESIAN, 503))
        assert out.status == 503 and b"time limit" in out.body
        second = workers(server.proc.pid)
        assert len(second) == 2 and len(set(first) & set(second)) == 1

        slow: list[Outcome] = []
        threads = [threading.Thread(target=lambda: slow.append(send(
            *address(server.url), by_get("expensive", "cartesian", CARTESIAN, 503))))
            for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.4)  # both workers are now busy
        busy = send(*address(server.url), by_get("cheap", "ask", ASK, 200))
        for t in threads:
            t.join(10)
        assert busy.status == 503 and b"busy" in busy.body
        assert [o.status for o in slow] == [503, 503]
        assert ask(server.url).status == 200 and len(workers(server.proc.pid)) == 2
        assert server.stderr() == ""


def test_rdflib_engine_in_the_pool(trig: Path, tmp_path: Path):
    with Server(serve_command(trig, "pool", 5.0, "--engine", "rdflib", "--workers", "2"),
                tmp_path) as server:
        out = send(*address(server.url), by_get("cheap", "targets", TARGETS, 200))
        assert out.status == 200 and len(json.loads(out.body)["results"]["bindings"]) == 3
        assert server.stderr() == ""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_no_process_outlives_the_server(trig: Path, tmp_path: Path, sig: int):
    with Server(serve_command(trig, "pool", 1.0, "--workers", "2"), tmp_path) as server:
        assert server.proc is not None
        tree = descendants(server.proc.pid)
        assert len(tree) == 4  # server, template, two workers
        os.kill(server.proc.pid, sig)
        server.proc.wait(10)
    deadline = time.monotonic() + 10
    while any(state(p) not in {"Z", ""} for p in tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(state(p) in {"Z", ""} for p in tree)
