"""One build at a time per output folder, so two builds can never interleave their writes.

The lock is ``flock`` on a small file beside the output folder (``output.lock`` for ``output/``):
beside, not inside, because the folder itself is swapped out at the end of a build. The kernel
releases it when the process ends however it ends (even ``kill -9``), so it cannot go stale; the
file stays and holds the pid of the last build that took it, for the message of a second build.
On systems without ``fcntl`` builds are not locked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None  # type: ignore[assignment]


class OutputLocked(Exception):
    """Another process is building into the same output folder."""

    def __init__(self, out: Path, lockfile: Path, pid: str) -> None:
        """Keep what the message needs: the folder, the lock file and the other build's pid."""
        super().__init__(f"another kg build is writing {out} (pid {pid}); wait for it or remove "
                         f"{lockfile}")
        self.out, self.lockfile, self.pid = out, lockfile, pid


def lock_path(out: Path) -> Path:
    """The lock file of an output folder: a sibling, ``output.lock`` for ``output/``."""
    return out.with_name(f"{out.name}.lock")


@contextmanager
def output_lock(out: Path) -> Iterator[Path]:
    """Hold the output folder's lock for the block; raise OutputLocked if another build has it."""
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                raise OutputLocked(out, path, pid) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield path
    finally:
        os.close(fd)  # releases the lock
