"""Turtle and JSON-LD written from the last build's files: an edit rewrites its subjects alone.

Why: both files are one block per subject in a fixed order (``kg.export.chunks``), and after an
edit all but a few dozen blocks are the last build's. Keeping every block in the cache and
joining 180,000 of them again cost ~2 s of each 1,000x edit (the blocks unpickled, looked up,
sorted, compared, pickled back); the last build's file already holds them, in order. So each
build notes, per format, the file's SHA-256, the bytes before and after the blocks, each
block's length and, per subject in file order, the key of its statements (``subject_keys``:
the digests of its TriG blocks). The next build reads the last file back (from the output
folder it replaces) and, if it is the one noted and the subjects are the same, copies it with
the changed subjects' blocks replaced; otherwise it reuses the blocks whose key is unchanged
and sorts them with the new ones.

A block is a function of its subject's statements and of the writers (code, libraries, the
ontology folder with the JSON-LD context: the state's name), so an unchanged key means the same
bytes; ``tests/test_pieces.py`` and ``tests/test_patched.py`` compare with clean builds byte
for byte.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.cache import BuildCache

KIND = "blocks"  # the cache's folder
LARGE = 0.25  # more changed blocks than this share of a file's: written from blocks
STRIDE = 4096  # blocks joined at a time when a file is written from blocks


class Layout:
    """One written file: its digest, the frame around its blocks, and each block's length.

    The file is ``head``, the blocks joined by ``sep``, then ``tail`` (the frame of a
    file of that many blocks: it depends on their number alone).
    """

    def __init__(self, sha256: str, head: int, sep: bytes, tail: int, lengths: array) -> None:
        """Note a file's layout."""
        self.sha256, self.head, self.sep, self.tail = sha256, head, sep, tail
        self.lengths = lengths

    def __reduce__(self) -> tuple:
        """Pickled as its parts."""
        return Layout, (self.sha256, self.head, self.sep, self.tail, self.lengths)

    def starts(self) -> list[int]:
        """Where each block starts (summed in C: a Python loop over 180,000 blocks showed)."""
        w, head = len(self.sep), self.head
        before = accumulate(self.lengths, initial=0)
        if not w:
            return [head + n for n in before]
        return [head + n + i * w for i, n in enumerate(before)]

    def size(self) -> int:
        """The file's length in bytes."""
        n = len(self.lengths)
        return self.head + sum(self.lengths) + len(self.sep) * max(0, n - 1) + self.tail


Make = Callable[[set[str]], dict[str, bytes]]


class LastFiles:
    """The last build's files of the formats written from blocks, and their subjects' keys.

    Per format: each subject (as text) with the key of its statements, in the file's order,
    and the file's ``Layout``. Read from the cache at the start of a build; ``save`` keeps
    this build's.
    """

    def __init__(self, cache: BuildCache, name: str) -> None:
        """Read the state noted under ``name`` (which names the writers); empty if none."""
        self.cache, self.name = cache, name
        state = cache.get(KIND, name)
        ok = isinstance(state, dict) and state.get("version") == 1
        self.state: dict = state if ok else {}  # type: ignore[assignment]
        self.new: dict = {"version": 1}
        self.patched: list[str] = []  # formats written by patching (for tests and reports)

    def old(self, fmt: str, path: Path) -> tuple[bytes, dict[str, bytes], Layout] | None:
        """The last build's file of this format, its subjects' keys and layout, if sound."""
        noted = self.state.get(fmt)
        if noted is None:
            return None
        keys, layout = noted
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if (len(layout.lengths) != len(keys) or layout.size() != len(data)
                or hashlib.sha256(data).hexdigest() != layout.sha256):
            return None
        return data, keys, layout

    def write(self, fmt: str, target: Path, last: Path, keys: dict[str, bytes], make: Make,
              order: Callable[[dict[str, bytes]], list[str]],
              frame: Callable[[int], tuple[bytes, bytes, bytes]]) -> None:
        """Write ``target`` from the last build's file ``last`` and the blocks that changed.

        ``keys``: every subject's key now. ``make`` gives the blocks of the subjects asked;
        ``order`` puts subjects in the file's order, given every block; ``frame(n)`` is the
        head, separator and tail of a file of ``n`` blocks.
        """
        got = self.old(fmt, last)
        blocks: dict[str, bytes] = {}
        if got is not None:
            data, old_keys, layout = got
            if old_keys.keys() == keys.keys():
                changed = {s for s, k in keys.items() if old_keys[s] != k}
                if len(changed) <= LARGE * len(keys):
                    self._patch(fmt, target, data, old_keys, layout, keys, changed, make)
                    return
            starts = layout.starts()
            for i, (s, k) in enumerate(old_keys.items()):
                if keys.get(s) == k:
                    blocks[s] = data[starts[i]:starts[i] + layout.lengths[i]]
        missing = {s for s in keys if s not in blocks}
        if missing:
            blocks.update(make(missing))
        subjects = order(blocks)
        head, sep, tail = frame(len(subjects))
        parts = [blocks[s] for s in subjects]
        digest = hashlib.sha256()
        with target.open("wb") as f:
            for i in range(0, len(parts), STRIDE):  # joined a stride at a time, not whole
                chunk = (sep if i else head) + sep.join(parts[i:i + STRIDE])
                f.write(chunk)
                digest.update(chunk)
            if not parts:
                f.write(head)
                digest.update(head)
            f.write(tail)
            digest.update(tail)
        self.new[fmt] = ({s: keys[s] for s in subjects},
                         Layout(digest.hexdigest(), len(head), sep, len(tail),
                                array("q", map(len, parts))))

    def _patch(self, fmt: str, target: Path, data: bytes, old_keys: dict[str, bytes],
               layout: Layout, keys: dict[str, bytes], changed: set[str], make: Make) -> None:
        """The last file with the changed subjects' blocks replaced (same subjects, same order)."""
        lengths = array("q", layout.lengths)
        new_keys = old_keys
        view = memoryview(data)  # slices of the last file, not copies of them
        parts: list[bytes | memoryview] = []
        if changed:
            made = make(changed)
            subjects = list(old_keys)
            if len(changed) > 8:
                index = {s: i for i, s in enumerate(subjects)}
                at = sorted(index[s] for s in changed)
            else:  # a scan in C per subject beats a dict of them all
                at = sorted(subjects.index(s) for s in changed)
            before = list(accumulate(layout.lengths, initial=0))
            w = len(layout.sep)
            pos = 0
            for i in at:
                block = made[subjects[i]]
                start = layout.head + before[i] + i * w
                parts += [view[pos:start], block]
                pos = start + lengths[i]
                lengths[i] = len(block)
            parts.append(view[pos:])
            new_keys = dict(old_keys)
            new_keys.update((s, keys[s]) for s in changed)
        else:
            parts.append(data)
        digest = hashlib.sha256()
        with target.open("wb") as f:
            for part in parts:
                f.write(part)
                digest.update(part)
        self.new[fmt] = (new_keys, Layout(digest.hexdigest(), layout.head, layout.sep,
                                          layout.tail, lengths))
        self.patched.append(fmt)

    def save(self) -> None:
        """Keep this build's layouts (entered only if the build succeeds)."""
        self.cache.put(KIND, self.name, self.new)
