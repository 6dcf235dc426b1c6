"""The national pages in real headless Chromium: the area page and the peer section of a cooperation."""

from __future__ import annotations

import pytest

from tests.report.browser import NBSP, article_text, open_page
from tests.report.fixture_national import COMPARISON, INTERPRETATION, N_PEERS, RESEARCH

pytestmark = pytest.mark.slow


def test_area_page_shows_the_national_estimate_and_the_research(browser, site_url) -> None:
    visit = open_page(browser, site_url, "/i-hela-landet/overformyndare/")
    text = article_text(visit.page).replace(NBSP, " ")
    assert visit.errors == [] and visit.offhost == []
    assert "Överförmyndare i hela landet" in text
    assert "gemensamma nämnder: 6 samverkan, 24 kommuner" in text
    assert "−800,0 kr/ställföreträdarskap (−5,0 %)" in text
    assert INTERPRETATION in text and RESEARCH in text


def test_cooperation_page_compares_with_its_peers(browser, site_url) -> None:
    visit = open_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/")
    text = article_text(visit.page).replace(NBSP, " ")
    assert f"Er samverkan jämfört med {N_PEERS} andra av samma slag" in text
    assert COMPARISON in text
    row = visit.page.locator("table.peers tr", has_text="Kostnad för överförmyndare").first.inner_text()
    assert "40 %" in row and "−1 080,0" in row.replace(NBSP, " ")
