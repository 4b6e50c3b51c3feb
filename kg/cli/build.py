"""``kg build``: check the sources, then write every output into a fresh folder and swap it in."""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path
from typing import Any

from kg import paths
from kg.cli.common import EXIT_INVALID, err


def cmd_build(args: argparse.Namespace) -> int:
    """Build the graph and write every output, replacing ``--out`` only on success.

    The whole build holds the output folder's lock, so the last build it compares with cannot
    change under it and two builds never interleave their writes.
    """
    import gc

    enabled = gc.isenabled()
    # off from the build's first import on (``long_lived`` keeps it off for the build): turned
    # on between the imports and the build, its first pass went over every object the imports
    # made (~15 ms, nothing to free)
    gc.disable()
    try:
        from kg.export.lock import output_lock
        from kg.model_prebuilt import prebuilt

        start = time.perf_counter()
        out: Path = args.out.resolve()
        with prebuilt():  # the build's dataclasses' methods compiled ahead, its imports' too
            from kg.pipeline import long_lived

            with long_lived(), output_lock(out):
                return _build_locked(args, out, start)
    finally:
        if enabled:
            gc.enable()


def _build_locked(args: argparse.Namespace, out: Path, start: float) -> int:
    """Check, then write into a temporary folder and swap it in: a failure changes nothing."""
    from kg.cache import BuildCache, fingerprint
    from kg.export.atomic import replace_dir, temp_dir
    from kg.pipeline import check_build, write_outputs
    from kg.stages import stage

    say = (lambda _m: None) if args.quiet else err
    # the test hook that pauses before the swap exists to interrupt a real write: no shortcut
    cache = None if args.no_cache or os.environ.get("KG_TEST_PAUSE_BEFORE_SWAP") else \
        BuildCache(out)
    fp = fingerprint(args.sources, {k: getattr(args, k) for k in (
        "no_validate", "no_html", "full_validation", "allow_shrink")}) if cache else ""
    if cache and cache.up_to_date(fp):
        print(f"{out} is up to date: no input, option or code changed since its last build "
              "(kg build --no-cache builds anyway)")
        return 0
    say(f"loading sources from {args.sources}")
    checked = check_build(args.sources, out, allow_shrink=args.allow_shrink,
                          validate=not args.no_validate,
                          full_validation=args.full_validation,
                          progress=lambda msg: say(f"  {msg}"), cache=cache,
                          background=True)
    result = checked.result
    with stage("writing output"):
        tmp = temp_dir(out)
        try:
            t = time.perf_counter()
            say(f"writing {out}")
            files = write_outputs(result, tmp, html=not args.no_html, say=say, checked=checked,
                                  cache=cache, release=True)
            result.report.seconds["write"] = time.perf_counter() - t
            if checked.violations:
                for p in checked.violations:
                    err(f"invalid graph: {p}")
                err(f"error: {len(checked.violations)} validation problem(s); {out} left "
                    "unchanged")
                return EXIT_INVALID
            replace_dir(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if cache:
        cache.record(fp)
    result.report.seconds["total"] = time.perf_counter() - start
    print("\n".join(result.report.lines()))
    for f in files:
        final = out / f.relative_to(tmp)
        print(f"wrote {final} ({final.stat().st_size:,} bytes)")
    return 0


def add_build(sub: Any) -> None:
    """The ``kg build`` subcommand and its options."""
    b = sub.add_parser("build", help="build the graph and write output/")
    b.add_argument("--sources", type=Path, default=paths.SOURCES_DIR,
                   help="folder with identifiers.yaml, entities.yaml, evidence/ and texts/")
    b.add_argument("--out", type=Path, default=paths.OUTPUT_DIR, help="output folder")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    b.add_argument("--no-html", action="store_true", help="write the RDF files only")
    b.add_argument("--no-cache", action="store_true",
                   help="parse every evidence file and write every output, even if unchanged")
    b.add_argument("--full-validation", action="store_true",
                   help="validate with pySHACL (slower) instead of the shapes compiled to SPARQL")
    b.add_argument("--quiet", action="store_true", help="no progress messages")
    b.add_argument("--allow-shrink", action="store_true",
                   help="accept that a document is gone or lost more than half of its records "
                        "since the last build (see output/build-report.json)")
    b.set_defaults(func=cmd_build)
