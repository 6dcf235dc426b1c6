"""Every page of the built site in real headless Chromium, each loaded once: the walk records what each
page showed (console errors, requests that would leave 127.0.0.1, the demo banner) and then runs axe-core's
WCAG 2.1 A/AA rules on the same loaded page. One walk, not one per check: a page takes seconds to settle;
the next pages load while one is checked."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from orchestration.lib.ops.settings import PROJECT_ROOT
from tests.report.browser import Visit, article_text, open_pages, site_paths
from tests.report.warehouse_fixture import DEMO_BANNER

pytestmark = pytest.mark.slow

AXE = PROJECT_ROOT / "reports" / "node_modules" / "axe-core" / "axe.min.js"
# Only violations are read: axe then details no other result type (passes, incomplete) beyond one node, which
# took a third to a half of its CPU per page (0.7 → 0.4 s on a kommun page, 2.7 → 1.9 s on a cooperation's).
AXE_RUN = (
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
    " resultTypes: ['violations']})"
)


@dataclass(frozen=True)
class PageSeen:
    errors: list[str]  # console errors and uncaught page errors while it loaded and settled
    offhost: list[str]  # requests that would have left 127.0.0.1 (blocked)
    has_banner: bool
    violations: list[str]  # axe's serious and critical violations, one line each


def _serious(path: str, result: dict) -> list[str]:
    return [
        f"{path}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _see(visit: Visit, path: str) -> PageSeen:
    # What the page did by itself, taken before axe is added to it.
    errors, offhost = list(visit.errors), list(visit.offhost)
    has_banner = DEMO_BANNER in article_text(visit.page)
    visit.page.add_script_tag(path=str(AXE))
    violations = _serious(path, visit.page.evaluate(AXE_RUN))
    return PageSeen(errors, offhost, has_banner, violations)


@pytest.fixture(scope="module")
def every_page(browser, site_url, built_site) -> dict[str, PageSeen]:
    """Each page of the built site, loaded once, by its path (a few loading at once: see open_pages)."""
    paths = site_paths(built_site.index.parent)
    visits = open_pages(browser, site_url, [path.rstrip("/") + "/" for path in paths])
    return {path: _see(visit, path) for path, visit in zip(paths, visits, strict=True)}


def test_every_page_renders_without_errors_or_outside_requests(every_page) -> None:
    paths = sorted(every_page)
    assert len(paths) >= 1 + 4 + 17 + 4, paths  # översikt, cooperations, every kommun, report pages
    problems = {
        path: (seen.errors, seen.offhost, seen.has_banner)
        for path, seen in every_page.items()
        if seen.errors or seen.offhost or not seen.has_banner
    }
    assert problems == {}


def test_no_serious_wcag_violations_on_any_page(every_page) -> None:
    assert every_page  # the walk saw the site
    problems = [problem for seen in every_page.values() for problem in seen.violations]
    assert problems == []
