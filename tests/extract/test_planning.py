"""Request planning and the throttle, without a network."""

from __future__ import annotations

import asyncio
import math
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from orchestration.lib.extract.http import Throttle, retry_after_seconds
from orchestration.lib.extract.kolada import plan
from orchestration.lib.extract.kolada.client import remaining_page_urls
from orchestration.lib.extract.kolada.wire import PageLink
from orchestration.lib.extract.scb import plan as scb_plan

KOMMUNER = frozenset(f"{i:04d}" for i in range(290))
YEARS = tuple(range(2010, 2026))


def shapes(count: int) -> dict[str, plan.KpiShape]:
    return {f"N{10000 + i}": plan.KpiShape(KOMMUNER, YEARS) for i in range(count)}


def requests(chunks: list[plan.Chunk]) -> int:
    return sum(plan.pages_needed(c.estimate) for c in chunks)


@pytest.mark.parametrize("kpis", [1, 7, 25, 26, 60, 64, 80, 137])
def test_national_pull_needs_at_most_five_percent_more_than_the_minimum(kpis):
    chunks = plan.plan_chunks(shapes(kpis), YEARS)
    minimum = math.ceil(kpis * len(KOMMUNER) * len(YEARS) / plan.PER_PAGE)
    assert requests(chunks) <= 1.05 * minimum or requests(chunks) <= minimum + 1
    assert all(len(c.kpis) <= plan.MAX_IDS for c in chunks)
    assert sorted(k for c in chunks for k in c.kpis) == sorted(shapes(kpis))


def test_sixty_kpis_fill_their_pages():
    # 60 × 4640 objects: three chunks of 20 would take 57 requests, four of 15 take the minimum, 56.
    chunks = plan.plan_chunks(shapes(60), YEARS)
    assert requests(chunks) == 56 and [len(c.kpis) for c in chunks] == [15, 15, 15, 15]


def test_a_few_kommuner_are_asked_for_by_municipality_segment():
    # 30 KPIs for 10 of 290 kommuner: asking per municipality segment is 2 requests, not 28.
    chunks = plan.plan_chunks(shapes(30), YEARS, municipalities=sorted(KOMMUNER)[:10])
    assert all(c.municipalities is not None and len(c.municipalities) == 10 for c in chunks)
    assert requests(chunks) == 2
    assert "/municipality/" in chunks[0].url("https://api.kolada.se/v3")


def test_more_than_25_years_are_split_into_segments():
    years = tuple(range(1990, 2026))
    chunks = plan.plan_chunks(shapes(3), years)
    assert {len(c.years) for c in chunks} == {18}
    assert sorted(y for c in chunks for y in c.years) == list(years)


def test_incremental_chunks_use_the_fewest_segments():
    chunks = plan.incremental_chunks([f"N{i}" for i in range(60)], YEARS)
    assert [len(c.kpis) for c in chunks] == [20, 20, 20]
    assert chunks[0].url("B", datetime(2026, 3, 1).date()).endswith("?per_page=5000&from_date=2026-03-01")


def test_page_urls_are_computed_when_page_one_shows_the_total():
    link = PageLink("https://k/v3/data/kpi/A/year/2020?per_page=5000", 5000, 12001, None)
    assert remaining_page_urls(link) == []
    link = PageLink(link.url, 5000, 12001, "https://k/v3/data/kpi/A/year/2020?per_page=5000&page=2")
    assert remaining_page_urls(link) == [
        "https://k/v3/data/kpi/A/year/2020?per_page=5000&page=2",
        "https://k/v3/data/kpi/A/year/2020?per_page=5000&page=3",
    ]
    # count equal to the page's length says nothing about the total: follow next_url instead
    assert remaining_page_urls(PageLink(link.url, 5000, 5000, link.next_url)) == []


def test_scb_requests_stay_under_150000_cells():
    codes = {
        "Region": ["00", *sorted(KOMMUNER)],
        "Verksomrkom": ["100", "215", "261", "270", "275", "450", "790", "865", "870"],
        "ContentsCode": ["0000005X", "00000060", "0000005Z", "0000005Y"],
        "Tid": [str(y) for y in YEARS],
    }
    selections = scb_plan.plan_selections(codes)
    assert len(selections) == 2 and all(s.cells <= scb_plan.MAX_CELLS for s in selections)
    assert sum(s.cells for s in selections) == 291 * 9 * 4 * 16
    url = selections[0].url("https://statistikdatabasen.scb.se/api/v2")
    assert url.startswith("https://statistikdatabasen.scb.se/api/v2/tables/TAB4199/data?lang=sv")
    assert "outputFormat=json-stat2" in url and "valueCodes%5BRegion%5D=00%2C0000" in url


def test_retry_after_as_seconds_or_http_date():
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 28 <= (retry_after_seconds(later) or 0) <= 30


def test_throttle_holds_requests_to_the_rate_after_one_burst():
    async def ten() -> float:
        throttle = Throttle(20.0, burst=2)
        started = time.monotonic()
        for _ in range(10):
            await throttle.acquire()
        return time.monotonic() - started

    elapsed = asyncio.run(ten())
    assert 0.38 <= elapsed < 0.8  # 2 at once, then 8 at 20 per second


def test_retry_after_holds_the_throttle():
    async def held() -> float:
        throttle = Throttle(None)
        throttle.hold(0.3)
        started = time.monotonic()
        await throttle.acquire()
        return time.monotonic() - started

    assert asyncio.run(held()) >= 0.29
