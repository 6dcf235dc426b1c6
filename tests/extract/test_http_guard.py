"""Which links the clients follow: only to the configured source, never to a weaker scheme."""

from __future__ import annotations

import pytest

from orchestration.lib.extract.http_guard import Allowed

KOLADA = "https://api.kolada.se/v3"
SCB = "https://statistikdatabasen.scb.se/api/v2"
ALLOWED = Allowed.of([KOLADA, SCB])
PAGE = f"{KOLADA}/data/kpi/N1/year/2020?per_page=5000"


@pytest.mark.parametrize(
    ("link", "followed"),
    [
        (
            f"{KOLADA}/data/kpi/N1/year/2020?per_page=5000&page=2",
            f"{KOLADA}/data/kpi/N1/year/2020?per_page=5000&page=2",
        ),
        ("http://api.kolada.se/v3/data/kpi/N1?page=2", f"{KOLADA}/data/kpi/N1?page=2"),  # never downgraded
        ("/v3/data/kpi/N1?page=2", f"{KOLADA}/data/kpi/N1?page=2"),  # relative to the page
        ("https://evil.example/v3/data?page=2", None),
        ("https://api.kolada.se:8443/v3/data?page=2", None),
        ("https://api.kolada.se/v2/data?page=2", None),
        ("https://api.kolada.se/v3/../admin?page=2", None),
        (f"{SCB}/tables/TAB4199/data", None),  # a Kolada page never leads to SCB
    ],
)
def test_links_are_followed_only_within_the_page_s_source(link, followed):
    assert ALLOWED.follow(PAGE, link) == followed


@pytest.mark.parametrize(
    ("url", "permitted"),
    [
        (PAGE, True),
        (f"{SCB}/tables/TAB4199/metadata?lang=sv", True),
        ("http://api.kolada.se/v3/kpi", False),
        ("https://api.kolada.se/v30/kpi", False),
        ("https://api.kolada.se.evil.example/v3/kpi", False),
    ],
)
def test_requests_go_only_to_the_configured_bases(url, permitted):
    assert ALLOWED.permits(url) is permitted
