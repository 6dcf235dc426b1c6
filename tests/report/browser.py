"""Opening pages of the built site in real headless Chromium, with no request allowed off 127.0.0.1."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

NBSP = "\u00a0"


@dataclass
class Visit:
    page: object
    errors: list[str] = field(default_factory=list)
    offhost: list[str] = field(default_factory=list)


def open_page(browser, site_url: str, path: str) -> Visit:
    """Load a page, recording console errors and every request that would leave 127.0.0.1 (blocked)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    visit = Visit(page)
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))

    def route(r) -> None:
        if r.request.url.startswith(site_url + "/") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            visit.offhost.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_timeout(500)
    return visit


def article_text(page) -> str:
    """The page's own content (not Evidence's frame), with no-break spaces as plain ones."""
    return page.inner_text("article").replace(NBSP, " ")


def site_paths(build: Path) -> list[str]:
    """Every page of a built site, as the path a browser asks for (/, /samverkan/<id>, ...)."""
    return sorted("/" + str(p.parent.relative_to(build)).replace(".", "") for p in build.rglob("index.html"))
