"""The Registret page in real Chromium: registered cooperations the data contradicts, and candidates the
registry lacks, read from the discovery marts of the fixture warehouse."""

from __future__ import annotations

import pytest

from tests.report.browser import article_text, open_page

pytestmark = pytest.mark.slow


def test_registret_lists_differences_and_unregistered_candidates(browser, site_url, built_site) -> None:
    visit = open_page(browser, site_url, "/registret/")
    text = article_text(visit.page)
    visit.page.close()
    assert visit.errors == [] and visit.offhost == []
    assert "Data visar 2 gemensamma organisationer: 0 stämmer med registret, 1 avviker" in text
    assert "hoglandets_overformyndarnamnd" in text and "0604 Aneby från 2016 (registret 2019)" in text
    assert "Gymnasieförbund: Dals-Ed, Bengtsfors" in text and "≤2012–" in text
