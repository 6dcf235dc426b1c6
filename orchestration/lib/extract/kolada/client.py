"""Paging through Kolada: follow next_url to the end, many chains at once, parsing while others download.

Pages are handed to one writer thread (the warehouse has one connection), so parsing and loading a page
overlaps with the requests in flight. When page 1 shows the total (`count`) and a `page` parameter in
next_url, the remaining page URLs are known at once and fetched concurrently; the last one's next_url is
still followed, so a chain that grew meanwhile is read to its end.

Links come from the network and are not trusted: next_url is followed only to the configured source
(http_guard.Allowed), a link back to a page already fetched is a loop, and a chain may not grow past
what page 1's `count` allows (plus a little for data added meanwhile) nor past MAX_PAGES in any case.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from orchestration.lib.extract.http import Fetched, Fetcher, FetchError, gather_or_raise
from orchestration.lib.extract.kolada.wire import PageLink
from orchestration.lib.extract.progress import PullProgress

PageHandler = Callable[[Fetched], PageLink]
# One request family of 25 KPIs x 25 years x every kommun, region and group is some 500 pages of 5000.
MAX_PAGES = 500
# Pages beyond what count said, for values Kolada adds while a chain is read.
GROWTH = 2


def planned_pages(page: PageLink) -> int | None:
    """Pages page 1 says its chain has (from count and the page size), or None when it does not say."""
    if page.count is None or not page.size:
        return None
    return max(1, math.ceil(page.count / page.size))


def remaining_page_urls(page: PageLink) -> list[str]:
    """URLs of pages 2..n when page 1 reveals them; empty when the chain must be followed."""
    planned = planned_pages(page)
    if page.next_url is None or planned is None or planned <= 1:
        return []
    following = httpx.URL(page.next_url)
    if following.params.get("page") != "2":
        return []
    return [str(following.copy_set_param("page", str(n))) for n in range(2, planned + 1)]


class Pager:
    """Fetch page chains through a Fetcher; every page goes through `handler` on the writer thread."""

    def __init__(
        self, fetcher: Fetcher, writer: ThreadPoolExecutor, progress: PullProgress | None = None
    ) -> None:
        self.fetcher = fetcher
        self.writer = writer
        self.pages = 0
        self.progress = progress

    async def _one(self, url: str, handler: PageHandler) -> PageLink:
        fetched = await self.fetcher.get(url)
        self.pages += 1
        link = await asyncio.get_running_loop().run_in_executor(self.writer, handler, fetched)
        if self.progress:
            self.progress.fetched_one()
        return link

    async def chain(self, first_url: str, handler: PageHandler) -> None:
        """Every page of one request, from first_url until next_url is null."""
        self._plan(1)
        page = await self._one(first_url, handler)
        limit = _page_limit(page)
        expected = planned_pages(page) or 1
        self._plan(expected - 1)
        seen = {first_url}
        computed = [self._follow(page, u, seen, limit) for u in remaining_page_urls(page)]
        if computed:
            pages = await gather_or_raise([self._one(url, handler) for url in computed])
            page = pages[-1]
        while page.next_url:
            url = self._follow(page, page.next_url, seen, limit)
            if len(seen) > expected:
                self._plan(1)  # a chain without count, or one that grew: one more than planned
            page = await self._one(url, handler)

    def _plan(self, pages: int) -> None:
        if self.progress and pages > 0:
            self.progress.plan(pages)

    def _follow(self, page: PageLink, link: str, seen: set[str], limit: int) -> str:
        """The next URL to fetch, after the checks that keep a chain on the source and finite."""
        url = self.fetcher.allowed.follow(page.url, link)
        if url is None:
            raise FetchError(link, f"next_url i {page.url} pekar utanför källan; den följs inte", 0)
        if url in seen:
            raise FetchError(url, f"next_url i {page.url} pekar på en sida som redan hämtats (slinga)", 0)
        if len(seen) >= limit:
            raise FetchError(url, f"kedjan har fler sidor än de {limit} som count och per_page tillåter", 0)
        seen.add(url)
        return url

    async def chains(self, urls: list[str], handler: PageHandler) -> None:
        """Several chains at once; the first failure cancels the rest."""
        await gather_or_raise([self.chain(url, handler) for url in urls])


def _page_limit(page: PageLink) -> int:
    """How many pages this chain may have: what count allows (with a little growth), at most MAX_PAGES."""
    planned = planned_pages(page)
    if planned is not None and planned > MAX_PAGES:
        raise FetchError(
            page.url,
            f"svaret anger count={page.count}, som skulle kräva {planned} sidor (högst {MAX_PAGES} följs)",
            0,
        )
    return MAX_PAGES if planned is None else min(MAX_PAGES, planned + GROWTH)
