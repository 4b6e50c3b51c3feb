"""Open generated pages in Debian's headless Chromium with the network blocked.

Used by the browser tests and by ``make screenshots``; playwright is imported lazily (it is a
test dependency, not needed to build).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1400, "height": 900}


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (Debian's own build, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is needed (make browser installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Page:
    """A page opened from disk with every non-file request blocked and recorded."""

    def __init__(self, browser: object, path: Path, viewport: dict | None = None) -> None:
        self.context = browser.new_context(  # type: ignore[attr-defined]
            viewport=viewport or VIEWPORT, accept_downloads=True)
        self.external: list[str] = []
        self.errors: list[str] = []

        def route(r: object) -> None:
            url = r.request.url  # type: ignore[attr-defined]
            if url.startswith("file://"):
                r.continue_()  # type: ignore[attr-defined]
            else:
                self.external.append(url)
                r.abort()  # type: ignore[attr-defined]

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())

    def close(self, shot: Path | None = None, full_page: bool = False) -> None:
        """Close the page, saving a screenshot first if asked."""
        if shot:
            shot.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(shot), full_page=full_page)
        self.context.close()
