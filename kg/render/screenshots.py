"""The README's screenshots, taken from the built pages (``make screenshots``).

Beside the PNGs, ``screenshots.json`` records a fingerprint of what each picture was taken
from: the page's HTML with its data block cut down to what is drawn (nodes, edges, view), plus
the page's own CSS and scripts. A test rebuilds the pages and fails when a fingerprint differs,
so a picture never shows what the pages no longer print. Pixels are never compared (they vary
between machines and fonts).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kg.paths import OUTPUT_DIR, PROJECT_DIR

SHOT_DIR = PROJECT_DIR / "docs" / "screenshots"
MANIFEST = SHOT_DIR / "screenshots.json"
LIB = ("kg.css", "kg.js", "tables.js", "search.js")
DATA = re.compile(r'(<script id="kg-data" type="application/json">)(.*?)(</script>)', re.S)


@dataclass(frozen=True)
class Shot:
    """One picture: which page, how tall, and what to type into it first."""

    png: str
    page: str
    height: int = 900
    search: str = ""


SHOTS = (Shot("overview.png", "overview.html"),
         Shot("study.png", "views/study-mission.html", height=1500),
         Shot("report.png", "report.html", height=1100),
         Shot("search.png", "index.html", height=700, search="sorafenib PFS"),
         Shot("indication.png", "views/indication-nsclc.html"),
         Shot("target.png", "views/target-KDR.html"),
         Shot("contradictions.png", "views/contradictions.html"))


def fingerprint(site: Path, shot: Shot) -> str:
    """What a screenshot shows, as a hash of the page and its styles (never of pixels)."""
    text = (site / shot.page).read_text(encoding="utf-8")

    def drawn(m: re.Match) -> str:
        data = json.loads(m.group(2))
        if "nodes" in data:
            data = {k: data.get(k) for k in ("nodes", "edges", "options", "view")}
        return m.group(1) + json.dumps(data, sort_keys=True) + m.group(3)

    h = hashlib.sha256(DATA.sub(drawn, text).encode())
    for name in LIB:
        h.update((site / "lib" / name).read_bytes())
    h.update(f"{shot.height} {shot.search}".encode())
    return h.hexdigest()


def manifest(site: Path) -> dict[str, dict[str, str]]:
    """Fingerprints of every screenshot's page in a built site."""
    return {s.png: {"page": s.page, "sha256": fingerprint(site, s)} for s in SHOTS}


def take(site: Path, dest: Path = SHOT_DIR) -> list[Path]:
    """Open each page in headless Chromium (network blocked), save its PNG and the manifest."""
    from kg.render.browser import Page, chromium

    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with chromium() as browser:
        for s in SHOTS:
            page = Page(browser, (site / s.page).resolve(), {"width": 1400, "height": s.height})
            p = page.page
            p.wait_for_load_state("load")
            if p.locator("#network").count():
                p.wait_for_function("window.kgStable === true", timeout=60_000)
                p.wait_for_timeout(300)
            if s.search:
                p.fill("#search", s.search)
            if page.errors or page.external:
                raise RuntimeError(f"{s.page}: {page.errors} {page.external}")
            page.close(dest / s.png)
            written.append(dest / s.png)
    (dest / MANIFEST.name).write_text(json.dumps(manifest(site), indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
    return written


def main(argv: list[str]) -> int:
    """Screenshot the pages of a built site (default: output/)."""
    site = Path(argv[0]) if argv else OUTPUT_DIR
    for path in take(site):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
