"""Where queries run: a pool of long-lived worker processes, or a fork per query (to compare).

A query over the time limit is stopped by killing its worker, which the pool replaces; the
server's threads only pass queries and answers through pipes.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path
from typing import NoReturn, Protocol

from kg.query.answers import LOST, Answer, Limits, execute, over_time
from kg.query.engine import Engine, QueryError, open_engine


def default_workers() -> int:
    """One worker per usable CPU plus one, at least two.

    The extra one keeps the CPUs busy while a worker's answer is in transit through the server
    (measured on 2 cores: 3 workers answer 1.7x the cheap queries a second that 2 do); at least
    two, so that one slow query never holds up every other.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(2, cpus + 1)


class Runner(Protocol):
    """Where queries run: the worker pool, or (to measure against) a fork per query."""

    def run(self, text: str, accept: str, limits: Limits, offset: int = 0) -> Answer:
        """Answer one query (a page of at most ``limits.rows`` rows from ``offset``)."""
        ...

    def close(self) -> None:
        """Stop every process this runner started."""
        ...


@dataclass
class _Worker:
    pid: int
    conn: Connection


class WorkerPool:
    """Long-lived query processes, forked from a template process that loaded the graph once.

    Why a template: workers must be replaced whenever one is killed at the time limit, and
    forking them from the multi-threaded HTTP server would copy its client sockets, its other
    workers' pipes and whatever locks its threads held. The template is single-threaded, holds
    only the loaded engine, and forks a replacement in milliseconds whose memory it shares
    copy-on-write. It alone kills and reaps workers, so no process id is signalled after it was
    reaped (the ``ProcessLookupError`` of the former fork-per-query design).
    """

    def __init__(self, engine: str, graph: Path, size: int) -> None:
        """Load the graph in the template and start ``size`` workers; QueryError if it fails."""
        ctx = multiprocessing.get_context("fork")  # before any thread starts: see the class doc
        self.size = size
        self._lock = threading.Lock()  # one conversation with the template at a time
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._broken = ""  # why queries cannot run any more, once they cannot
        self._closed = False
        self._ctl, theirs = ctx.Pipe()
        self._template = ctx.Process(target=_template_main, name="kg-serve-template",
                                     args=(theirs, self._ctl, engine, graph), daemon=True)
        self._template.start()
        theirs.close()
        try:
            status, message = self._ctl.recv()
        except EOFError:
            status, message = "error", f"loading {graph} failed"
        if status != "ready":
            self.close()
            raise QueryError(message)
        for _ in range(size):
            self._idle.put(self._spawn())
        from kg.query.answertables import AnswerTables

        # the named queries' default answers, served by the HTTP threads straight from disk
        self.tables: AnswerTables | None = AnswerTables(graph) if engine == "oxigraph" else None

    def run(self, text: str, accept: str, limits: Limits, offset: int = 0) -> Answer:
        """Answer on an idle worker; past the time limit, kill that worker and fork another."""
        if self._broken:
            return 500, "text/plain", self._broken.encode(), {}
        try:
            worker = self._idle.get(timeout=limits.wait)
        except queue.Empty:
            return (503, "text/plain", f"server busy: all {self.size} query workers stayed "
                    f"busy for {limits.wait:g} s; retry shortly".encode(), {"Retry-After": "1"})
        answer: Answer | None = None
        try:
            worker.conn.send((text, accept, limits.rows, offset))
            if worker.conn.poll(limits.seconds):
                answer = worker.conn.recv()
                return answer
            return over_time(limits)
        except (EOFError, OSError):
            return LOST
        finally:
            if answer is None:
                self._replace(worker)
            else:
                self._idle.put(worker)

    def _spawn(self, kill: int = 0) -> _Worker:
        """Ask the template to kill worker ``kill`` (if any) and fork a new one."""
        mine, theirs = multiprocessing.Pipe()
        try:
            with self._lock:
                self._ctl.send(kill)
                send_handle(self._ctl, theirs.fileno(), self._template.pid or 0)
                pid = self._ctl.recv()
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        return _Worker(pid, mine)

    def _replace(self, worker: _Worker) -> None:
        worker.conn.close()
        if self._closed:
            return
        try:
            self._idle.put(self._spawn(kill=worker.pid))
        except (EOFError, OSError) as exc:
            if not self._broken:
                self._broken = "the query workers are gone; restart kg serve"
                print(f"error: cannot start a query worker ({exc}); {self._broken}",
                      file=sys.stderr, flush=True)

    def close(self) -> None:
        """Stop the workers and the template (closing its pipe tells it to)."""
        self._closed = True
        self._broken = "the server is stopping"
        while not self._idle.empty():
            self._idle.get_nowait().conn.close()
        with self._lock:
            self._ctl.close()
        self._template.join(5)
        if self._template.is_alive():
            self._template.kill()
            self._template.join(1)


def _template_main(ctl: Connection, parent_end: Connection, engine_name: str,
                   graph: Path) -> None:
    """The template process: load once, then fork or kill workers when the server asks."""
    parent_end.close()  # else the template itself would keep its pipe open: no EOF, no exit
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGTERM, _exit_quietly)  # not the server's KeyboardInterrupt
    try:
        engine = open_engine(engine_name, graph)
    except Exception as exc:
        ctl.send(("error", str(exc) if isinstance(exc, QueryError) else
                  f"cannot load {graph}: {exc}"))
        return
    _warm_up(engine)
    gc.freeze()  # keep the loaded objects out of the workers' collections: pages stay shared
    ctl.send(("ready", ""))
    live: set[int] = set()
    try:
        while True:
            try:
                kill = ctl.recv()  # a worker to kill (0: none), then a pipe for a new one
                fd = recv_handle(ctl)
            except (EOFError, OSError):
                return  # the server closed or died: stop every worker (finally)
            _reap(live)
            if kill in live:
                _kill(kill)
                live.discard(kill)
            pid = os.fork()
            if pid == 0:
                _worker_main(ctl, fd, engine)
            os.close(fd)
            live.add(pid)
            ctl.send(pid)
    finally:
        for pid in live:
            _kill(pid)


def _warm_up(engine: Engine) -> None:
    """Render once in every format, so no fresh worker pays the imports against the time limit.

    A worker's first Turtle answer imports rdflib's serializers: 100 ms idle, past 0.5 s under
    load. Done here, every worker forked from the template has them.
    """
    graph = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
    for accept in ("text/turtle", "application/ld+json"):
        execute(engine, graph, accept, 1)
    for accept in ("application/sparql-results+json", "application/sparql-results+xml",
                   "text/csv"):
        execute(engine, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", accept, 1)


def _exit_quietly(signum: int, frame: object) -> NoReturn:
    raise SystemExit(0)  # through the finally that stops the workers, without a traceback


def _reap(live: set[int]) -> None:
    """Collect workers that ended on their own, so their ids are never signalled."""
    while live:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            live.clear()
            return
        if pid == 0:
            return
        live.discard(pid)


def _kill(pid: int) -> None:
    """Kill and reap one worker (still our unreaped child, so the id is its own)."""
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _worker_main(ctl: Connection, fd: int, engine: Engine) -> NoReturn:
    """A worker: answer queries from its pipe until the server closes it; never returns."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        ctl.close()
        conn = Connection(fd)
        while True:
            try:
                text, accept, rows, offset = conn.recv()
            except EOFError:
                break
            conn.send(execute(engine, text, accept, rows, offset))
    except BaseException:  # the server went away mid-answer: no one left to tell
        code = 1
    finally:
        os._exit(code)


class ForkPerQuery:
    """The former design, a forked process per query, kept to measure the pool against.

    Reached only through the hidden ``kg serve --fork-per-query``; see benchmarks/serve.py.
    """

    def __init__(self, engine: Engine) -> None:
        """Hold the loaded engine: each query's child process inherits it."""
        self.engine = engine
        self.tables = getattr(engine, "answers", None)

    def run(self, text: str, accept: str, limits: Limits, offset: int = 0) -> Answer:
        """Fork, answer in the child, kill it past the time limit."""
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_answer_once, args=(child, self.engine, text, accept,
                                                      limits.rows, offset), daemon=True)
        proc.start()
        child.close()
        try:
            if parent.poll(limits.seconds):
                answer = parent.recv()
                proc.join(1)
                return answer
            return over_time(limits)
        except EOFError:
            return LOST
        finally:
            if proc.is_alive():
                proc.kill()  # unlike os.kill, a no-op once another thread reaped it
                proc.join(1)
            parent.close()

    def close(self) -> None:
        """Nothing to stop: each query's process ends with it."""


def _answer_once(conn: Connection, engine: Engine, text: str, accept: str, rows: int,
                 offset: int) -> None:
    conn.send(execute(engine, text, accept, rows, offset))


