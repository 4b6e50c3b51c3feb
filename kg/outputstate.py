"""What an output folder holds: each file's SHA-256, read again only when the file changed.

The build cache (``kg.cache``) notes, after every build, the hash of every output file (an
unchanged build with untouched outputs has nothing to do), and links a study page whose
drawing read nothing that changed from the last output (``BuildCache.last_output``). Both
ask whether a file is still the one noted; its inode, size and time say so without reading
it, as git's index does, once the file has settled.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SETTLED_NS = 2_000_000_000  # a file last written this long before it was noted: settled


def file_stat(path: str | Path) -> list[int] | None:
    """What tells a file's bytes apart without reading them: inode, size, time written."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def settled(noted: object, at: object, now: list[int] | None) -> bool:
    """True when a file is as it was noted at ``at`` (a time) by its ``file_stat``: not re-read.

    Only a file written well before it was noted (``SETTLED_NS``) counts: one rewritten
    since then has another time, even on a file system whose clock is coarse (git's "racy"
    files, read again). A file replaced has another inode, one truncated another size.
    """
    return (now is not None and isinstance(noted, list) and noted == now
            and isinstance(at, int) and now[2] + SETTLED_NS < at)


def output_state(out: Path, skip: str, last: dict | None = None
                 ) -> tuple[dict[str, str], dict[str, list[int]]]:
    """Each output file's content hash (not its time: equal outputs have equal hashes).

    Also each file's ``file_stat``: a file settled and unchanged since the ``last`` build's
    manifest noted it keeps the hash noted then, unread (the study pages a build links from
    the last output, ~40 MB at 300x, were hashed again on every build).
    """
    hashes, stats = {}, {}
    old = last.get("files", {}) if last else {}
    old_stats = last.get("stat", {}) if last else {}
    at = last.get("at") if last else None
    found = []
    for folder, dirs, names in os.walk(out):
        if folder == str(out):
            dirs[:] = [d for d in dirs if d != skip]
        found += [os.path.join(folder, n) for n in names]
    for path in sorted(found):
        st = file_stat(path)
        if st is None or not os.path.isfile(path):
            continue
        rel = os.path.relpath(path, out)
        if settled(old_stats.get(rel), at, st) and isinstance(old.get(rel), str):
            hashes[rel] = old[rel]
        else:
            with open(path, "rb") as f:
                hashes[rel] = hashlib.file_digest(f, "sha256").hexdigest()
        stats[rel] = st
    return hashes, stats
