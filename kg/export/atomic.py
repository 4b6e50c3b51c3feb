"""Replace an output folder only when a build succeeded, so no failure can leave it half-written.

Files are written into a temporary sibling folder; on success the two folders are exchanged in one
atomic step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, with recovery on the
next run). Files in the old folder that the build does not make (its README) are carried over.
A failed, interrupted or killed build leaves the previous folder exactly as it was; its stray
temporary folder is removed by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
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
    """Restore ``out`` if a build died between two renames, and delete stale temp folders."""
    for old in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists():
            old.rename(out)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in out.parent.glob(f".{out.name}.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)


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


def replace_dir(tmp: Path, out: Path) -> None:
    """Put the finished ``tmp`` in place of ``out``, keeping files the build does not make."""
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
            shutil.copytree(item, tmp / item.name)
        else:
            shutil.copy2(item, tmp / item.name)
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old output
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
