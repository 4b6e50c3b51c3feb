"""The build cache: parsed evidence files, each document group's piece, and the last build.

In ``.cache/`` inside the output folder (delete it at will). Nothing enters it before a build
has succeeded and swapped its output in (entries are staged beside the output folder until
then), so a failed or interrupted build leaves the output folder, cache included, as it was.

- **Per document**: an evidence file's parsed records, keyed by the SHA-256 of its bytes, its
  path and the code version.
- **Per group of documents** (``kg/pieces.py``, folder ``pieces``): the quads of the builders
  that read one group alone, and the group's subjects serialised as TriG blocks
  (``kg/export/chunks.py``), keyed by what they read: the group's files and texts, the
  entities and identifier table, the ontology folder and the code version. A changed entity
  label or ontology term changes every key, so it can never leave a stale statement; an edited
  evidence file changes its group's key alone. The builders that read every document (summaries,
  contradictions, checks between documents) and everything else run on every build.
- **The layout of the last Turtle and JSON-LD files** (folder ``blocks``,
  ``kg/export/patched.py``): each subject's block length and the digests of its TriG blocks,
  in file order; the next build copies the last file (checked by SHA-256) and writes again
  what changed.
- **Each piece's TriG lanes** (``kg/export/chunks.py``): per graph, its subjects' blocks and
  digests in file order; the graph-wide builders' (folder ``graph-wide``) with their triples,
  reused while the triples are the same.
- **Node attributes and search entries** (folder ``memo``, ``kg/render/pagecache.py``), with
  the footprint of what computing each read.
- **The last valid graph** (folder ``validation``): a digest of each subject's statements per
  named graph, so the next build runs the shapes on the nodes that changed and their neighbours
  alone (``kg.export.storework.check_changed``).
- **The last build's table rows** (folder ``tables``, ``kg/export/rowgroups.py``): every
  subject's digest, and each evidence table's checksum and rows by anchor node, so the next
  build queries the rows an edit reaches alone (and nothing when the graph is unchanged).
- **Per study page** (``kg/render/pagecache.py``): the SHA-256 of the page as drawn, with the
  nodes its drawing read and a digest of their statements; when that digest is unchanged, the
  last output's file with those bytes is linked into the new output.
- **Per build**: the fingerprint of every input (each file under the sources folder, the
  ontology folder, the code version and the build options) and the content hash of every file
  the build left in the output folder, with its inode, size and time (``kg.outputstate``: a
  file unchanged since is not read again). A build whose fingerprint matches and whose
  output files are untouched has nothing to do and says so.

The code version hashes every file of the ``kg`` package (sources excepted: they are input) and
the versions of the libraries that shape the output, so an upgrade or an edit invalidates all.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import itertools
import json
import os
import pickle
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.outputstate import file_stat, output_state, settled
from kg.paths import ONTOLOGY_DIR, PACKAGE_DIR, SOURCES_DIR

if TYPE_CHECKING:
    from kg import model as m

FORMAT = 1  # bump when what the cache stores changes shape
LIBRARIES = ("rdflib", "pyoxigraph", "pyshacl", "pyvis", "networkx", "jinja2", "PyYAML")


CACHE_NAME = ".cache"


def cache_dir(out: Path) -> Path:
    """The cache folder of an output folder."""
    return out / CACHE_NAME


def _hash_files(h: hashlib._Hash, root: Path, skip: Path | None = None) -> None:
    """Each file's path and content hash, in path order; ``__pycache__`` and ``skip`` left out.

    Walked with ``os.walk``, never entering the left-out folders (every build hashes the
    package: ``rglob`` stat-ed its ~160 compiled files too).
    """
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"
                   and (skip is None or Path(folder, d) != skip)]
        found += [Path(folder, n) for n in names if os.path.isfile(os.path.join(folder, n))]
    for path in sorted(found):
        if skip is not None and path.is_relative_to(skip):
            continue
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


@cache
def code_version() -> str:
    """A hash of the package's code and data files and of the libraries' versions."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    _hash_files(h, PACKAGE_DIR, skip=SOURCES_DIR)
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}={version(lib)}".encode())
        except PackageNotFoundError:
            h.update(f"{lib}=none".encode())
    return h.hexdigest()


def fingerprint(sources: Path, options: dict[str, object]) -> str:
    """Everything a build's output depends on, as one hash."""
    h = hashlib.sha256(code_version().encode())
    h.update(json.dumps({**options, "cwd": os.getcwd(), "sources": str(sources.resolve())},
                        sort_keys=True).encode())
    _hash_files(h, Path(sources))
    _hash_files(h, ONTOLOGY_DIR)
    return h.hexdigest()


_URI: type | None = None  # rdflib's URIRef and Literal, bound on first use (``_bind``)
_LITERAL: type | None = None


def _bind() -> tuple[type, type]:
    """Import rdflib's term classes once (not in every call, nor when this module is imported).

    An import statement per term unpickled cost ~0.1 s at 300x (150,000 terms), and this
    module is imported where rdflib is not needed.
    """
    global _URI, _LITERAL
    from rdflib import Literal, URIRef

    _URI, _LITERAL = URIRef, Literal
    return URIRef, Literal


def _uri(value: str) -> object:
    """An rdflib URIRef without its constructor's checks (it was checked when first made)."""
    return str.__new__(_URI or _bind()[0], value)


def _literal(lexical: str, language: str | None, datatype: object, value: object,
             ill_typed: bool | None) -> object:
    """An rdflib Literal from its slots, without parsing its lexical form again."""
    lit = str.__new__(_LITERAL or _bind()[1], lexical)
    lit._language, lit._datatype, lit._value, lit._ill_typed = (  # type: ignore[attr-defined]
        language, datatype, value, ill_typed)
    return lit


class _Pickler(pickle.Pickler):
    """Pickles rdflib terms as their plain parts.

    Unpickling a 1,000x graph's pieces spent most of its time in URIRef's and Literal's
    constructors, checking terms that were checked when first made.
    """

    def reducer_override(self, obj: object) -> object:
        URIRef, Literal = (_URI, _LITERAL) if _URI is not None else _bind()
        kind = type(obj)
        if kind is URIRef:
            return _uri, (str(obj),)
        if kind is Literal:
            return _literal, (str(obj), obj._language, obj._datatype,
                              obj._value, obj._ill_typed)
        return NotImplemented


def dumps(value: object) -> bytes:
    """``pickle.dumps``, with rdflib terms in their plain parts (see ``_Pickler``)."""
    import io

    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buf.getvalue()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a block with the cycle collector paused (as it was afterwards).

    Unpickling a table of millions of small objects (the views' kept node attributes and
    search entries at 1,000x) with the collector on rescanned the table again and again as it
    grew: 3.0 s instead of 0.7 s of CPU. What is unpickled lives on and holds no garbage.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class BuildCache:
    """The cache of one output folder: per-document records and the last build's fingerprint."""

    def __init__(self, out: Path) -> None:
        """Use the cache folder of ``out``."""
        self.out = out
        self.folder = cache_dir(out)
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()
        self.checked: set[str] = set()  # evidence files (as labelled) read from the cache
        self.used_pages: set[str] = set()  # study pages (kg/render/pagecache.py)
        self.used_entries: dict[str, set[str]] = {}  # other kinds (``get``/``put``), by folder
        self.pending: dict[Path, bytes] = {}
        self.staged: dict[Path, Path] = {}  # entries of ``put``: where each goes, where it is
        self._stage: Path | None = None
        self._names = itertools.count()
        self._lock = threading.Lock()
        self._last: dict | None = None  # the last build's manifest (``last_build``)

    @property
    def _manifest(self) -> Path:
        return self.folder / "last-build.json"

    def up_to_date(self, fp: str) -> bool:
        """True when the last build had this fingerprint and its output is untouched."""
        last = self.last_build()
        return (bool(last) and last.get("fingerprint") == fp
                and last.get("files") == output_state(self.out, CACHE_NAME, last)[0])

    def last_build(self) -> dict:
        """The last build's manifest (its fingerprint, files and their stats), read once."""
        if self._last is None:
            try:
                last = json.loads(self._manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                last = {}
            self._last = last if isinstance(last, dict) else {}
        return self._last

    def last_output(self, rel: str, sha256: str) -> Path | None:
        """The last output's file ``rel``, if it holds the bytes of this SHA-256; else None.

        Settled and unchanged since the last build noted it (``kg.outputstate.settled``), it
        is not read; otherwise it is read and hashed. A build links such a file into its new
        output instead of writing it again (a study page whose drawing read nothing that changed).
        """
        path = self.out / rel
        last = self.last_build()
        if (last.get("files", {}).get(rel) == sha256
                and settled(last.get("stat", {}).get(rel), last.get("at"), file_stat(path))):
            return path
        try:
            with open(path, "rb") as f:
                same = hashlib.file_digest(f, "sha256").hexdigest() == sha256
        except OSError:
            return None
        return path if same else None

    def record(self, fp: str) -> None:
        """After the swap: store the new entries, drop unused ones, remember this build."""
        for path, data in self.pending.items():
            self._write(path, data)
        self.pending.clear()
        for path, staged in self.staged.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, path)
        self.staged.clear()
        if self._stage is not None:
            shutil.rmtree(self._stage, ignore_errors=True)
            self._stage = None
        for sub, used in (("documents", self.used), ("pages", self.used_pages),
                          *self.used_entries.items()):
            if used:
                for entry in (self.folder / sub).glob("*.pickle"):
                    if entry.name not in used:  # an edited or removed file's, a gone page's
                        entry.unlink(missing_ok=True)
        import time

        at = time.time_ns()  # before the stats: a file written after is never settled
        files, stats = output_state(self.out, CACHE_NAME, self.last_build())
        self._write(self._manifest, json.dumps({"fingerprint": fp, "files": files,
                                                "stat": stats, "at": at}, indent=1,
                                               sort_keys=True).encode())
        self._last = None

    def evidence_reader(self) -> Callable[[Path, list[str]], m.EvidenceFile | None]:
        """``load_evidence_file``, answered from the cache when the file is unchanged."""
        from kg.sources.loader import load_evidence_file

        def read(path: Path, problems: list[str]) -> m.EvidenceFile | None:
            data = path.read_bytes() if path.is_file() else b""
            key = hashlib.sha256(f"{code_version()} {path.resolve()} {os.getcwd()}".encode()
                                 + b"\0" + data).hexdigest()
            entry = self.folder / "documents" / f"{key}.pickle"
            self.used.add(entry.name)
            try:
                record = pickle.loads(entry.read_bytes())  # noqa: S301 - written by us below
                self.hits += 1
                self.checked.add(record.path)  # its per-file checks passed in that build
                return record
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass
            self.misses += 1
            before = len(problems)
            record = load_evidence_file(path, problems)
            if record is not None and len(problems) == before:  # only a clean parse is kept
                self.pending[entry] = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
            return record

        return read

    def was_checked(self, f: m.EvidenceFile) -> bool:
        """True when an evidence file came from the cache: a build with its bytes succeeded.

        Entries are kept only from builds that passed every check, and an evidence file pins
        its text by checksum, so its own checks (quotes, numbers, tables) passed on both.
        """
        return f.path in self.checked

    def get(self, kind: str, name: str) -> object | None:
        """A cached entry of one kind (a folder of the cache), or None; kept by this build."""
        self.used_entries.setdefault(kind, set()).add(name)
        final = self.folder / kind / name
        try:
            data = self.staged.get(final, final).read_bytes()
            with collector_paused():
                return pickle.loads(data)  # noqa: S301 - written by ``put`` below
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                ValueError, TypeError):
            return None

    def put(self, kind: str, name: str, value: object) -> None:
        """Keep an entry, moved into the cache only once the build has succeeded (``record``).

        Staged in a folder beside the output folder, not held in memory (a cold 1,000x build
        makes ~0.3 GB of entries); a failed or killed build's stage never enters the cache,
        and is removed when the process exits.
        """
        self.used_entries.setdefault(kind, set()).add(name)
        with self._lock:  # the build's store thread keeps entries too
            if self._stage is None:
                self.out.parent.mkdir(parents=True, exist_ok=True)
                self._stage = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.cache-",
                                                    dir=self.out.parent))
                atexit.register(shutil.rmtree, self._stage, True)
            path = self._stage / f"{next(self._names)}.pickle"
        with path.open("wb") as f:  # streamed: a table of blocks is ~0.1 GB at 1,000x
            _Pickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        self.staged[self.folder / kind / name] = path

    def table(self, kind: str, name: str, exact: bool = False) -> Table:
        """A large entry of many small ones, written as a base and a delta (see ``Table``)."""
        return Table(self, kind, name, exact)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        """Write atomically, so a killed build never leaves half an entry."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)


class Table:
    """A dict kept as a base entry and a delta entry: an edit writes only what it changed.

    Pickling every subject's block or every node's attributes again after each edit cost as
    much as making a few of them; a build writes the entries that differ from the base alone,
    and the whole table again only when they are a quarter of it. Entries of the base that a
    build no longer uses stay until then: every use checks an entry's own key.
    """

    def __init__(self, cache: BuildCache, kind: str, name: str, exact: bool = False) -> None:
        """Read the base and the delta; ``entries`` is the table.

        ``exact``: ``entries`` is the table last saved, no more (an entry of the base gone
        since is kept as None in the delta, and read as absent; no value may be None).
        """
        self.cache, self.kind, self.name, self.exact = cache, kind, name, exact
        base = cache.get(kind, f"{name}.pickle")
        delta = cache.get(kind, f"{name}.delta.pickle")
        self.base: dict = base if isinstance(base, dict) else {}
        delta = delta if isinstance(delta, dict) else {}
        # not copied when nothing changed (a table of every node is ~0.1 GB at 1,000x)
        self.entries: dict = {**self.base, **delta} if delta else self.base
        if exact:
            for k in [k for k, v in delta.items() if v is None]:  # a fresh dict, when any
                del self.entries[k]

    def save(self, new: dict) -> None:
        """Keep ``new`` as the table (an entry reused from the base must be the same object)."""
        base = self.base
        delta = {k: v for k, v in new.items() if base.get(k) is not v}
        if self.exact and len(base) + len(delta) > len(new):
            delta.update(dict.fromkeys(base.keys() - new.keys()))
        if not base or len(delta) * 4 > len(new):
            self.cache.put(self.kind, f"{self.name}.pickle", new)
            delta = {}
        self.cache.put(self.kind, f"{self.name}.delta.pickle", delta)
