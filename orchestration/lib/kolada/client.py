"""Paging through Kolada: follow next_url to the end, many chains at once, parsing while others download.

Pages are handed to one writer thread (the warehouse has one connection), so parsing and loading a page
overlaps with the requests in flight. When page 1 shows the total (`count`) and a `page` parameter in
next_url, the remaining page URLs are known at once and fetched concurrently; the last one's next_url is
still followed, so a chain that grew meanwhile is read to its end.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from orchestration.lib.http import Fetched, Fetcher, gather_or_raise
from orchestration.lib.kolada.wire import PageLink

PageHandler = Callable[[Fetched], PageLink]


def remaining_page_urls(page: PageLink) -> list[str]:
    """URLs of pages 2..n when page 1 reveals them; empty when the chain must be followed."""
    if page.next_url is None or page.count is None or not page.size or page.count <= page.size:
        return []
    following = httpx.URL(page.next_url)
    if following.params.get("page") != "2":
        return []
    total_pages = math.ceil(page.count / page.size)
    return [str(following.copy_set_param("page", str(n))) for n in range(2, total_pages + 1)]


class Pager:
    """Fetch page chains through a Fetcher; every page goes through `handler` on the writer thread."""

    def __init__(self, fetcher: Fetcher, writer: ThreadPoolExecutor) -> None:
        self.fetcher = fetcher
        self.writer = writer
        self.pages = 0

    async def _one(self, url: str, handler: PageHandler) -> PageLink:
        fetched = await self.fetcher.get(url)
        self.pages += 1
        return await asyncio.get_running_loop().run_in_executor(self.writer, handler, fetched)

    async def chain(self, first_url: str, handler: PageHandler) -> None:
        """Every page of one request, from first_url until next_url is null."""
        page = await self._one(first_url, handler)
        computed = remaining_page_urls(page)
        if computed:
            pages = await gather_or_raise([self._one(url, handler) for url in computed])
            page = pages[-1]
        while page.next_url:
            page = await self._one(page.next_url, handler)

    async def chains(self, urls: list[str], handler: PageHandler) -> None:
        """Several chains at once; the first failure cancels the rest."""
        await gather_or_raise([self.chain(url, handler) for url in urls])
