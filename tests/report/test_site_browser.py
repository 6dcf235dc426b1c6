"""The built site in real headless Chromium, served from 127.0.0.1 with no outside network. Every page
without errors or outside requests: tests/report/test_site_every_page.py (one walk, shared with axe)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from orchestration.lib.ops.warehouse import connect
from tests.report.browser import (
    CHART_INSTANCES,
    DRAWN_CHARTS,
    NBSP,
    article_text,
    band_shade,
    draw_every_chart,
    open_page,
    picture_content,
    shown_page,
    wait_until_ready,
)

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).parent / "artifacts"


def _swedish(value: float, digits: int, signed: bool = False) -> str:
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace("-", "\u2212")
    return ("+" if signed and value > 0 else "") + text


def test_key_numbers_equal_the_warehouse(browser, site_url, built_site) -> None:
    with connect(built_site.warehouse, read_only=True) as con:
        paid, expected, scb_net_cost = con.execute(
            "select paid_tkr, expected_tkr, scb_net_cost_tkr from marts.fct_member_costs "
            "where municipality_id = '1461' and year = 2024"
        ).fetchone()
        effect, low, high = con.execute(
            "select effect, ci_low, ci_high from marts.fct_agreement_effects inner join "
            "marts.dim_effect_methods using (method) where agreement_id = 'hoglandets_overformyndarnamnd' "
            "and municipality_id = 'total' and kpi_id = 'U37009' and is_primary"
        ).fetchone()
    kommun = shown_page(browser, site_url, "/kommun/1461/")
    costs = kommun.page.locator("[data-testid='DataTable-costs'] tr", has_text="2024").filter(
        has_text="Värdkommun"
    )
    row = costs.first.inner_text().replace(NBSP, " ")
    assert _swedish(paid, 0) in row and _swedish(expected, 0) in row
    # Beside what it paid: the kommun's own net cost for the area from RS, in the same year's row.
    assert _swedish(scb_net_cost, 0) in row
    cooperation = shown_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/")
    total = cooperation.page.locator("table.effects tr", has_text="Samverkan som helhet").first
    total_text = total.inner_text().replace(NBSP, " ")
    assert _swedish(effect, 1, signed=True) in total_text
    assert f"{_swedish(low, 1)} till {_swedish(high, 1)}" in total_text


def test_cooperation_name_with_markup_shows_as_text(browser, site_url) -> None:
    visit = shown_page(browser, site_url, "/")
    assert visit.page.get_by_text("Räddningsförbundet <b>x</b>").first.is_visible()
    assert visit.page.locator("table.overview b").count() == 0
    page = shown_page(browser, site_url, "/samverkan/test_markup_forbund/").page
    assert page.locator("h1", has_text="Räddningsförbundet <b>x</b>").count() == 1


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (its IHDR chunk)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", png[16:24])


def test_screenshots_of_overview_and_a_cooperation(browser, site_url) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for path, name in [("/", "oversikt.png"), ("/samverkan/hoglandets_overformyndarnamnd/", "samverkan.png")]:
        page = open_page(browser, site_url, path).page
        shot = page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        # The whole page, not the window: as wide and as tall as the document.
        size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert png_size(shot) == tuple(size), (name, size)
        assert size[1] > 1000, f"{name}: the page is no taller than the window"
        # What it shows is the report: the same page with its content hidden draws differently.
        page.add_style_tag(content="article { visibility: hidden !important; }")
        assert page.screenshot(full_page=True) != shot, f"{name}: the screenshot shows no report content"
        page.close()


def test_verdict_changes_since_the_previous_report(browser, site_url) -> None:
    page = shown_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/").page
    text = article_text(page)
    # The previous report was built 08:30 UTC on 1 February: 09:30 in Sweden (winter time).
    assert "Jämfört med förra rapporten, byggd 2025-02-01 på data till och med 2023" in text
    assert "1 av 4 domar har ändrats" in text
    rows = page.locator("table.verdict-changes tbody tr")
    assert rows.count() == 4  # a cooperation's page lists every dimension, changed or not
    kostnad = page.locator("table.verdict-changes tr[data-dimension='kostnad']").inner_text()
    assert "Levererar inte" in kostnad and "Bättre, var levererar inte" in kostnad
    assert "Oförändrad" in page.locator("table.verdict-changes tr[data-dimension='samlat']").inner_text()
    overview = shown_page(browser, site_url, "/").page
    assert "1 av 8 domar har ändrats" in article_text(overview)
    changed = overview.locator("table.verdict-changes tbody tr")
    assert changed.count() == 1 and "Höglandets överförmyndarnämnd" in changed.first.inner_text()
    dalsland = shown_page(browser, site_url, "/kommun/1461/").page
    assert "ingen dom har ändrats" in article_text(dalsland)
    assert dalsland.locator("table.verdict-changes").count() == 0


def test_times_are_shown_in_swedish_local_time(browser, site_url) -> None:
    # The checks ran 06:10 UTC on 1 March: 07:10 in Sweden (winter time).
    text = article_text(shown_page(browser, site_url, "/datakvalitet/").page)
    assert "2025-03-01 07:10" in text
    assert "06:10" not in text and "UTC" not in text


def test_the_quality_page_lists_the_quarantined_values(browser, site_url) -> None:
    text = article_text(shown_page(browser, site_url, "/datakvalitet/").page)
    assert "Värden i karantän" in text
    assert "Kostnaden -50000.0 för U37009 är negativ" in text
    assert "-50000.0" in text and "0685" in text


# Every chart's ECharts options as drawn (Evidence keeps the instances under this symbol): its series with
# line style and colour, the start marker's labels as drawn (the label formatter run on each mark), the y
# axis's labels for a small and a large value, the legend, and the band series with its [year, low, high].
CHARTS_JS = (
    f"() => Object.values({CHART_INSTANCES})"
    + """.map((c) => {
  const o = c.getOption();
  const label = o.yAxis[0].axisLabel.formatter;
  const drawn = (s) => s.markLine.data.map((d) => {
    const f = s.markLine.label && s.markLine.label.formatter;
    return typeof f === 'function' ? f({name: d.name, data: d, value: d.xAxis ?? d.yAxis}) : d.name;
  });
  const lines = o.series.filter((s) => !s.markLine && s.id !== 'band');
  return {
    title: (o.title || []).map((t) => t.text || '').join(' '),
    series: lines.map((s) => [s.name, s.lineStyle && s.lineStyle.type, s.itemStyle && s.itemStyle.color]),
    marks: o.series.filter((s) => s.markLine).flatMap(drawn),
    small: typeof label === 'function' ? label(9.45) : null,
    negative: typeof label === 'function' ? label(-1234.5) : null,
    legend: (o.legend || []).flatMap((l) => (l.data || []).map((d) => (typeof d === 'string' ? d : d.name))),
    control: (lines.find((s) => s.name === 'Kontroll (utan samverkan)') || {data: []}).data,
    band: o.series.filter((s) => s.id === 'band').map((s) => ({name: s.name, type: s.type, data: s.data})),
  };
})"""
)


def test_cooperation_charts_tell_outcome_from_control_and_mark_the_reader(browser, site_url) -> None:
    visit = open_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/?kommun=0604")
    draw_every_chart(visit.page)
    charts = visit.page.evaluate(CHARTS_JS)
    effect = [c for c in charts if {s[0] for s in c["series"]} == {"Utfall", "Kontroll (utan samverkan)"}]
    assert effect, charts
    for chart in effect:
        styles = {name: style for name, style, _ in chart["series"]}
        assert styles == {"Utfall": "solid", "Kontroll (utan samverkan)": "dashed"}, chart
        assert chart["marks"] == ["Start 2019"], chart["marks"]  # once, not "Start 2019 (2019)"
    # The members' chart of a small KPI (about 9 per 1000 inhabitants): decimals on the axis, Aneby in colour.
    members = [c for c in charts if "Aneby" in {s[0] for s in c["series"]}]
    assert members and all(c["marks"] == ["Start 2019"] for c in members)
    colours = {name: colour for c in members for name, _, colour in c["series"]}
    assert colours["Aneby"] == "#c05600" and colours["Eksjö"] != "#c05600", colours
    # ... written as Swedish readers write numbers: a decimal comma and a real minus sign.
    assert any(c["small"] and re.fullmatch("9,[45]", c["small"].strip()) for c in members), members
    assert any(c["negative"] and c["negative"].strip() == "\u22121 234,5" for c in members), members
    titles = [c["title"] for c in effect]
    marked = {t for t in titles if "din kommun" in t}
    assert marked == {"Aneby – din kommun"}, titles  # only the reader's charts, one per KPI
    # The same page without a reader marks no one.
    plain = open_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/").page
    draw_every_chart(plain)
    assert not [c for c in plain.evaluate(CHARTS_JS) if "din kommun" in c["title"]]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "samverkan-diagram.png"
    visit.page.locator("article .chart-container").first.screenshot(path=str(shot))
    ink, colours_seen = picture_content(visit.page, shot)
    assert ink > 0.02 and colours_seen > 3, (ink, colours_seen)  # lines, axes and labels, not a blank box


BAND_LABEL = "Osäkerhetsband (placebo, 95 %)"


def _band_checks(chart: dict) -> float:
    """Assert the chart's band is one shaded series around its control; return its widest share of it."""
    assert [(b["name"], b["type"]) for b in chart["band"]] == [(BAND_LABEL, "custom")], chart["band"]
    assert BAND_LABEL in chart["legend"], chart["legend"]
    control = {int(x): float(y) for x, y in chart["control"]}
    band = {int(year): (float(low), float(high)) for year, low, high in chart["band"][0]["data"]}
    assert control and set(band) == set(control), (control, band)
    for year, value in control.items():
        assert band[year][0] <= value <= band[year][1], (year, band[year], value)
    # The fixture's bands: ± 2 % of the control before the start (2019), ± 5 % after.
    shares = {year: (band[year][1] - band[year][0]) / abs(value) for year, value in control.items()}
    assert all(abs(share - (0.04 if year < 2019 else 0.10)) < 1e-6 for year, share in shares.items()), shares
    return max(shares.values())


def test_effect_charts_shade_the_placebo_band_around_the_control_on_screen_and_in_print(
    browser, site_url
) -> None:
    visit = open_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/")
    page = visit.page
    draw_every_chart(page)
    effect = [
        c for c in page.evaluate(CHARTS_JS) if "Kontroll (utan samverkan)" in {s[0] for s in c["series"]}
    ]
    assert len(effect) >= 2, effect  # each member and the whole, per KPI
    for chart in effect:
        _band_checks(chart)
    # Printed: the same band, drawn on the page (not only in the options), at the printable width.
    page.set_viewport_size({"width": round(186 / 25.4 * 96), "height": 1100})
    page.emulate_media(media="print")
    wait_until_ready(page)
    printed = [
        c for c in page.evaluate(CHARTS_JS) if "Kontroll (utan samverkan)" in {s[0] for s in c["series"]}
    ]
    assert len(printed) == len(effect) and all(_band_checks(c) > 0 for c in printed)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "samverkan-diagram-utskrift.png"
    page.locator("article .chart-container").first.screenshot(path=str(shot))
    # The legend's swatch alone is about 0.2 % of the picture; the band itself several times more.
    assert band_shade(page, shot) > 0.004, "the band is shaded in the printed chart"
    assert not visit.errors, visit.errors


# The effect charts (those with a band) in page order: titles, the first's tooltip at a year, axis ends.
EFFECT_CHARTS_JS = (
    f"async () => {{ const charts = Object.values({CHART_INSTANCES})"
    + """.filter((c) => (c.getOption().series || []).some((s) => s.id === 'band'))
  .sort((a, b) => a.getDom().compareDocumentPosition(b.getDom()) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  charts[0].dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 2});
  await new Promise((done) => setTimeout(done, 300));
  const texts = [...charts[0].getDom().querySelectorAll('div')].map((d) => d.innerText);
  const title = (c) => (c.getOption().title || []).map((t) => t.text).join(' ');
  const ends = charts.map((c) => [
    c.getModel().getComponent('xAxis').axis.scale.getExtent()[1],
    Math.max(...c.getOption().series[0].data.map((point) => Number(point[0])))]);
  return {titles: charts.map(title), tip: texts.filter((t) => t.includes('Utfall')).at(-1), ends};
}"""
)


def test_effect_charts_show_the_whole_first_and_their_tooltips_read_the_lines(browser, site_url) -> None:
    # As the effects table lists them: the whole, then the host, then the other members, for each KPI.
    page = open_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/").page
    draw_every_chart(page)
    seen = page.evaluate(EFFECT_CHARTS_JS)
    titles = seen["titles"]
    wholes = [i for i, title in enumerate(titles) if title == "Samverkan som helhet"]
    assert wholes and wholes[0] == 0, titles
    assert all(titles[i + 1].endswith("(värdkommun)") for i in wholes), titles
    # The tooltip gives the year, the outcome and the control; not the band, whose lower edge alone it
    # would show as if it were the band's value.
    lines = seen["tip"].split("\n")
    assert "Utfall" in seen["tip"] and "Kontroll (utan samverkan)" in seen["tip"], seen["tip"]
    assert BAND_LABEL not in seen["tip"] and re.fullmatch(r"20\d\d", lines[0].strip()), seen["tip"]
    # The year axis ends at the last year shown, not at ECharts' next round tick.
    assert all(end == last for end, last in seen["ends"]), seen["ends"]


def test_method_details_on_the_cooperation_page(browser, site_url) -> None:
    page = shown_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/").page
    text = article_text(page)
    assert "signifikansnivån 5 %" in text and "(38 placebokommuner)" in text
    assert "procentenheter, inte procent" in text
    assert "Det skuggade osäkerhetsbandet kring kontrollen" in text  # what the charts' band is
    rows = page.locator("table.robustness").first.locator("tbody tr").all_inner_texts()
    methods = [r.split("\t")[0] for r in rows]
    assert methods == [
        "Syntetisk skillnad i skillnader (avgör domen)",
        "Skillnad i skillnader",
        "Syntetisk kontroll",
    ], methods
    donors = page.locator("table.donors").first.locator("tbody tr", has_text="Aneby").inner_text()
    assert "Kiruna 60,0 %, Umeå 30,0 %, Örebro 10,0 %" in donors.replace(NBSP, " "), donors


def _database_requests(browser, site_url: str, path: str) -> tuple[list[str], str]:
    """What the page fetched of duckdb-wasm and the site's data files, and its text, once it settled."""
    visit = open_page(browser, site_url, path)
    text = article_text(visit.page)
    visit.page.close()
    return [url for url in visit.requests if "/data/" in url or "duckdb" in url], text


def test_a_page_is_read_without_the_browser_database_until_an_input_needs_it(browser, site_url) -> None:
    """A prerendered page brings its queries' results: reading a kommun page fetches neither duckdb-wasm
    nor a data file (the Evidence patch in reports/patches/). The revisorer page's dropdowns run their
    queries in the browser, and that starts the database there."""
    kommun, kommun_text = _database_requests(browser, site_url, "/kommun/0604/")
    assert kommun == [] and "Aneby" in kommun_text
    revisorer, _ = _database_requests(browser, site_url, "/revisorer/")
    assert any(url.endswith(".parquet") for url in revisorer), revisorer


def test_charts_are_drawn_as_the_reader_reaches_them(browser, site_url) -> None:
    # A cooperation page has dozens of charts: the first view draws those near it, the rest when reached.
    page = open_page(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/").page
    at_first = page.evaluate(DRAWN_CHARTS)
    charts = draw_every_chart(page)
    assert 0 < at_first < charts, (at_first, charts)
    assert page.evaluate(DRAWN_CHARTS) == charts
