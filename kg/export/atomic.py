"""Replace an output folder only when a build succeeded, so no failure can leave it half-written.

Files are written into a temporary sibling folder; on success the two folders are exchanged in one
atomic step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, with recovery on the
next run). Files in the old folder that the build does not make (its README) are carried over.
A failed, interrupted or killed build leaves the previous folder exactly as it was; its stray
temporary folder is removed by the next build.

The old output, once swapped out, is renamed ``.<out>.trash-<pid>`` and deleted by a detached
low-priority process (``<pid>``), not by the build: deleting a 1,000x output took 5-10 s of
wall time at the end of every build. Nothing in it is needed any more (the cache was moved into
the new output first). If that process dies before it is done, the next build removes the
leftover; a trash folder whose deleter still runs is left to it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kg.cache import CACHE_NAME

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return rc == 0


def temp_dir(out: Path) -> Path:
    """A fresh temporary folder beside ``out`` (after clearing leftovers of killed builds)."""
    recover(out)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


def recover(out: Path) -> None:
    """Restore ``out`` if a build died between two renames; delete stale temp and trash folders."""
    for old in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists():
            old.rename(out)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in out.parent.glob(f".{out.name}.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)
    for trash in out.parent.glob(f".{out.name}.trash-*"):
        pid = trash.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):  # its deleter died (or never started)
            shutil.rmtree(trash, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def carry(src: str | Path, dst: str | Path) -> None:
    """Carry a file over as a hard link (the old folder is deleted next), else as a copy.

    A build with ``--no-html`` after one with pages carried ~200 MB of pages over at 1,000x by
    copying them (~0.5 s of CPU at 300x). No build writes into a file it carried over: each
    writes its own files into a fresh folder.
    """
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def replace_dir(tmp: Path, out: Path, background: bool = True) -> None:
    """Put the finished ``tmp`` in place of ``out``, keeping files the build does not make.

    The old output is then discarded (`discard`): by a detached process when ``background``.
    """
    pause = float(os.environ.get("KG_TEST_PAUSE_BEFORE_SWAP", "0") or 0)
    if pause:  # test hook: lets tests interrupt or kill a build at its most delicate moment
        import time

        end = time.monotonic() + pause
        while time.monotonic() < end:  # short naps: a signal is handled within 50 ms
            time.sleep(0.05)
    if not out.exists():
        tmp.rename(out)
        return
    for item in out.iterdir():  # keep what the build does not make (README, screenshots/)
        if (tmp / item.name).exists():
            continue
        if item.name == CACHE_NAME:  # moved, not copied (~0.3 GB at 1,000x); lost at worst
            item.rename(tmp / item.name)
        elif item.is_dir():
            shutil.copytree(item, tmp / item.name, copy_function=carry)
        else:
            carry(item, tmp / item.name)
    if _exchange(tmp, out):
        discard(tmp, out, background)  # tmp now holds the old output
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    tmp.rename(out)
    discard(old, out, background)


# the deleter: reads the folder's path once renamed (EOF: its build died first; left to recover)
_DELETER = ("import os, shutil, sys\n"
            "os.nice(10)\n"
            "path = sys.stdin.readline().strip()\n"
            "if path:\n"
            "    shutil.rmtree(path, ignore_errors=True)\n")
_DELETERS: list[subprocess.Popen[bytes]] = []  # held, not waited for: the build need not wait


def discard(old: Path, out: Path, background: bool = True) -> None:
    """Delete the swapped-out ``old`` output, in a detached process unless told otherwise.

    The folder is first renamed after its deleter's pid, so `recover` can tell a folder being
    deleted from one whose deleter died.
    """
    if background:
        try:
            proc = subprocess.Popen(  # noqa: S603 - our own interpreter and code, no shell
                [sys.executable, "-c", _DELETER], stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            proc = None
        if proc is not None and proc.stdin is not None:
            _DELETERS.append(proc)
            trash = out.with_name(f".{out.name}.trash-{proc.pid}")
            try:
                old.rename(trash)
                proc.stdin.write(f"{trash}\n".encode())
            except OSError:
                pass  # the deleter reads nothing and exits; `old` is removed below
            finally:
                proc.stdin.close()
            if not old.exists():
                return
    shutil.rmtree(old, ignore_errors=True)
