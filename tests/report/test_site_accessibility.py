"""Accessibility of the built site in real Chromium: the frame in Swedish and every chart's figures as a
table. axe-core's WCAG 2.1 A/AA rules on every page: tests/report/test_site_every_page.py (one walk)."""

from __future__ import annotations

import pytest

from orchestration.lib.ops.warehouse import connect
from tests.report.browser import NBSP, article_text, open_page

pytestmark = pytest.mark.slow

COOPERATION = "/samverkan/hoglandets_overformyndarnamnd/"


def test_the_frame_speaks_swedish(browser, site_url) -> None:
    page = open_page(browser, site_url, COOPERATION).page
    frame = page.inner_text("body")
    assert "Home" not in frame and "On this page" not in frame
    assert "På den här sidan" in frame
    assert "Om metoden" in frame and "Om Metoden" not in frame  # titles as written, not capitalised
    crumbs = page.get_by_role("navigation", name="Du är här")
    assert crumbs.inner_text().split() == ["Översikt", "›", "Samverkan"]
    assert page.evaluate("document.documentElement.lang") == "sv"


def test_every_chart_has_its_figures_as_a_table(browser, site_url, built_site) -> None:
    page = open_page(browser, site_url, COOPERATION).page
    charts = page.locator("article .chart-container, article [data-testid^='LineChart']").count()
    tables = page.locator("details.chart-table")
    assert charts > 0 and tables.count() >= charts
    first = tables.first
    first.locator("summary").click()
    caption = first.locator("caption").inner_text()
    # The whole first, as in the effects table (then the host, Vetlanda, and the other members).
    kpi = "Kostnad för överförmyndare/-nämnd, kr/ställföreträdarskap"
    assert caption.startswith(f"{kpi}, Samverkan som helhet:"), caption
    with connect(built_site.warehouse, read_only=True) as con:
        observed = con.execute(
            "select observed from marts.fct_agreement_effect_series inner join marts.dim_effect_methods "
            "using (method) where agreement_id = ? and kpi_id = ? and municipality_id = ? and is_primary "
            "and year = 2020",
            ["hoglandets_overformyndarnamnd", "U37009", "total"],
        ).fetchone()[0]
    row = first.locator("tbody tr", has_text="2020").inner_text().replace(NBSP, " ")
    expected = f"{observed:,.1f}".replace(",", " ").replace(".", ",")
    assert expected in row, (expected, row)
    assert "Visa siffrorna som tabell" in article_text(page)
