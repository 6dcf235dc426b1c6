"""Printing a built static site to PDF with real headless Chromium."""

from __future__ import annotations

import os
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from orchestration.lib.ops.settings import SettingsError
from orchestration.lib.report.pdf import (
    PdfError,
    PrintJob,
    pdf_page_count,
    pdf_workers,
    print_site,
    serve_static,
)
from tests.counting_server import counting_server

# Keeps the page's text changing (so it is not yet ready to print) until `done()` is called or
# LIMIT ms have passed.
BUSY = """
<p id="busy">Väntar</p>
<script>
  const busy = document.getElementById("busy");
  const ticker = setInterval(() => { busy.textContent += "."; }, 100);
  const done = (text) => { clearInterval(ticker); busy.textContent = text; };
  setTimeout(() => done("Väntade förgäves"), LIMIT);
</script>
"""
# Fetches the page's own data file only once PEERS other pages of the site are open at the same
# time (they find each other over a BroadcastChannel), then waits DELAY ms more. Printed one after
# another, no page would ever see another and each would print "Väntade förgäves".
TOGETHER = """
<script>
  const seen = new Set(), channel = new BroadcastChannel("utskrift");
  channel.onmessage = (event) => {
    if (seen.has(event.data)) return;
    seen.add(event.data);
    channel.postMessage("KEY");
    if (seen.size !== PEERS) return;
    setTimeout(() => fetch("/data/KEY.json").then(r => r.json()).then(d => {
      done(d.label + " samtidigt med " + [...seen].sort().join(", "));
    }), DELAY);
  };
  channel.postMessage("KEY");
</script>
"""


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _busy(limit_ms: int) -> str:
    return BUSY.replace("LIMIT", str(limit_ms))


def _together(key: str, peers: int, delay_ms: int) -> str:
    script = TOGETHER.replace("KEY", key).replace("PEERS", str(peers)).replace("DELAY", str(delay_ms))
    return _busy(10_000) + script


def test_prints_each_page_with_its_text_including_what_renders_late(site: Path, tmp_path: Path) -> None:
    jobs = [
        PrintJob("/samverkan/it-norr/", tmp_path / "pdf" / "samverkan-it-norr.pdf"),
        PrintJob("/kommun/0183/", tmp_path / "pdf" / "kommun-0183.pdf"),
    ]
    printed = print_site(site, jobs)

    assert [page.target for page in printed] == [job.target for job in jobs]
    first, second = _text(jobs[0].target), _text(jobs[1].target)
    assert jobs[0].target.read_bytes().startswith(b"%PDF-")
    assert "IT-förbundet Norr" in first and "Samverkan it-norr" in first
    # Filled in by script 600 ms after load from a data file: printing must wait for it.
    assert "Sent inläst uppgift it-norr" in first
    assert "Sundbyberg kommun" in second and "Sent inläst uppgift 0183" in second
    assert "Sida 1 av 1" in first
    assert [page.pages for page in printed] == [1, 1]
    assert all(not page.blocked_requests and not page.console_errors for page in printed)


# A query the way duckdb-wasm runs one: posted to a worker with a messageId, answered with that requestId
# after 2 s of work, with a progress message in between that answers nothing (PROGRESS below). The page
# shows no change meanwhile.
WORKER_QUERY = """
<p id="svar">Frågan körs</p>
<script>
  const source = `onmessage = (event) => {
    postMessage(PROGRESS);
    const end = Date.now() + 2000;
    while (Date.now() < end) {}
    postMessage({requestId: event.data.messageId, type: "QUERY_RESULT", data: "Svar från frågan"});
  };`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], {type: "text/javascript"})));
  worker.addEventListener("message", (event) => {
    if (event.data.requestId === 7 && event.data.type === "QUERY_RESULT") {
      document.getElementById("svar").textContent = event.data.data;
    }
  });
  worker.postMessage({messageId: 7, type: "RUN_QUERY", data: "select 1"});
</script>
"""
# A progress message of a running query, and the one duckdb-wasm sends while the database loads: that one
# names the request it reports on (its requestId) without answering it.
QUERY_PROGRESS = WORKER_QUERY.replace("PROGRESS", '{type: "PROGRESS_UPDATE", data: 0.5}')
LOADING_PROGRESS = WORKER_QUERY.replace(
    "PROGRESS", '{requestId: event.data.messageId, type: "INSTANTIATE_PROGRESS", data: 0.5}'
)
# Evidence's placeholder while a result is on its way: the text stays the same for 3 s.
PLACEHOLDER = """
<div id="tabell"><span>Loading...</span></div>
<script>
  setTimeout(() => { document.getElementById("tabell").textContent = "Tabellen är ifylld"; }, 3000);
</script>
"""


@pytest.mark.parametrize(
    ("extra", "filled_in", "meanwhile"),
    [
        (QUERY_PROGRESS, "Svar från frågan", "Frågan körs"),
        (LOADING_PROGRESS, "Svar från frågan", "Frågan körs"),
        (PLACEHOLDER, "Tabellen är ifylld", "Loading"),
    ],
    ids=["query-in-worker", "database-loading-in-worker", "loading-placeholder"],
)
def test_printing_waits_for_work_that_does_not_show_in_the_text(
    site: Path, add_page, tmp_path: Path, extra: str, filled_in: str, meanwhile: str
) -> None:
    add_page("/kommun/0999/", "Väntar", "Sidan fylls i sent", "0999", extra=extra)
    target = tmp_path / "x.pdf"

    print_site(site, [PrintJob("/kommun/0999/", target)], workers=1)

    text = _text(target)
    assert filled_in in text and meanwhile not in text


def test_a_page_that_never_fills_in_is_a_clear_error_naming_it(site: Path, add_page, tmp_path: Path) -> None:
    add_page("/kommun/0998/", "Hänger", "Fylls aldrig i", "0998", extra="<span>Loading...</span>")

    with pytest.raises(PdfError, match=r"/kommun/0998/ blev inte färdigladdad inom 3 s"):
        print_site(site, [PrintJob("/kommun/0998/", tmp_path / "x.pdf")], timeout_s=3)
    assert not (tmp_path / "x.pdf").exists()


def test_page_count_follows_the_page_breaks(site: Path, add_page, tmp_path: Path) -> None:
    breaks = '<p class="break">Bilaga 1</p><p class="break">Bilaga 2</p>'
    add_page("/samverkan/lang/", "Lång rapport", "Första sidan", "lang", extra=breaks)
    target = tmp_path / "lang.pdf"

    (printed,) = print_site(site, [PrintJob("/samverkan/lang/", target)])

    assert printed.pages == 3 == pdf_page_count(target)
    assert "Bilaga 2" in PdfReader(str(target)).pages[2].extract_text()


def test_a4_pages_carry_the_title_report_date_and_page_of_pages_in_swedish(
    site: Path, add_page, tmp_path: Path
) -> None:
    # Evidence titles every page "Evidence": the job's title (or else the page's heading) replaces it.
    add_page("/kommun/0181/", "Södertälje kommun", "Rapport", "0181", extra='<p class="break">Bilaga</p>')
    html = site / "kommun" / "0181" / "index.html"
    html.write_text(html.read_text().replace("<title>Södertälje kommun</title>", "<title>Evidence</title>"))
    jobs = [
        PrintJob("/kommun/0181/", tmp_path / "given.pdf", "Uppsikt – kommun: Södertälje"),
        PrintJob("/kommun/0181/", tmp_path / "heading.pdf"),
    ]
    progress: list[tuple[int, int, str]] = []

    given, heading = print_site(
        site, jobs, report_date=date(2026, 12, 4), progress=lambda *step: progress.append(step), workers=1
    )

    reader = PdfReader(str(jobs[0].target))
    assert reader.metadata.title == given.title == "Uppsikt – kommun: Södertälje"
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Uppsikt – kommun: Södertälje" in text and "Rapportdatum 2026-12-04" in text
        assert f"Sida {number} av 2" in text
        # A4 portrait: 210 × 297 mm, 595 × 842 pt (Chromium rounds to whole CSS pixels: within 1 pt).
        assert abs(float(page.mediabox.width) - 595.3) < 1 and abs(float(page.mediabox.height) - 841.9) < 1.5
    assert heading.title == "Södertälje kommun" == PdfReader(str(jobs[1].target)).metadata.title
    assert progress == [(1, 2, "/kommun/0181/"), (2, 2, "/kommun/0181/")]


def test_a_page_marked_for_landscape_prints_landscape(site: Path, add_page, tmp_path: Path) -> None:
    wide = '<div class="print-landscape">Tabell</div>'
    add_page("/samverkan/bred/", "Bred tabell", "Många kolumner", "bred", extra=wide)
    target = tmp_path / "bred.pdf"

    (printed,) = print_site(site, [PrintJob("/samverkan/bred/", target)])

    page = PdfReader(str(target)).pages[0]
    assert printed.landscape and float(page.mediabox.width) > float(page.mediabox.height)


def test_requests_off_the_local_host_are_blocked_and_reported(site: Path, add_page, tmp_path: Path) -> None:
    outside = '<img src="http://fonts.example.invalid/logo.png" alt="logotyp">'
    add_page("/kommun/9999/", "Extern", "Med extern bild", "9999", extra=outside)

    (printed,) = print_site(site, [PrintJob("/kommun/9999/", tmp_path / "x.pdf")])

    assert printed.blocked_requests == ["http://fonts.example.invalid/logo.png"]
    assert printed.pages == 1


def test_only_the_report_server_is_asked_not_another_port_or_loopback_host(
    site: Path, add_page, tmp_path: Path
) -> None:
    # Two real servers that count what reaches them: one on another port of the report server's own
    # address, one on another loopback address.
    same_address, other_address = counting_server("127.0.0.1"), counting_server("127.0.0.2")
    with same_address as (same_host, same_hits), other_address as (other, hits):
        outside = f'<img src="{same_host}/a.png" alt="a"><img src="{other}/b.png" alt="b">'
        add_page("/kommun/9998/", "Lokalt", "Med lokala bilder", "9998", extra=outside)

        (printed,) = print_site(site, [PrintJob("/kommun/9998/", tmp_path / "x.pdf")])

    assert sorted(printed.blocked_requests) == [f"{same_host}/a.png", f"{other}/b.png"]
    assert same_hits == [] and hits == []
    assert printed.pages == 1


def test_a_page_missing_from_the_build_is_a_clear_error(site: Path, tmp_path: Path) -> None:
    with pytest.raises(PdfError, match=r"/samverkan/finns-inte/ finns inte .*HTTP 404"):
        print_site(site, [PrintJob("/samverkan/finns-inte/", tmp_path / "x.pdf")])
    assert not (tmp_path / "x.pdf").exists()


def test_no_build_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match=r"Ingen byggd webbplats i .*index.html saknas"):
        print_site(tmp_path, [PrintJob("/", tmp_path / "x.pdf")])


def test_static_server_serves_wasm_and_html_without_suffix(site: Path) -> None:
    (site / "duckdb.wasm").write_bytes(b"\0asm")
    (site / "om-metoden.html").write_text("<p>Om metoden</p>", encoding="utf-8")
    with serve_static(site) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base_url + "/duckdb.wasm") as response:
            assert response.headers["Content-Type"] == "application/wasm"
        with urllib.request.urlopen(base_url + "/om-metoden") as response:
            assert b"Om metoden" in response.read()


def test_a_file_that_is_not_a_pdf_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "trasig.pdf"
    path.write_text("<html>inte en pdf</html>", encoding="utf-8")
    with pytest.raises(PdfError, match=r"trasig\.pdf är inte en läsbar PDF"):
        pdf_page_count(path)


def test_pages_print_at_the_same_time_each_into_its_own_pdf_in_job_order(
    site: Path, add_page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first job's data comes last, so the pages finish in the reverse of the job order.
    delays = {"a": 1600, "b": 800, "c": 0}
    extras = {
        "a": "",
        "b": '<script>console.error("fel på sidan b")</script>',
        "c": '<img src="http://cdn.example.invalid/c.png" alt="extern">',
    }
    for key, delay in delays.items():
        (site / "data" / f"{key}.json").write_text(f'{{"label": "Uppgift för {key}"}}', encoding="utf-8")
        add_page(
            f"/kommun/{key}/",
            f"Sidan {key}",
            f"Rapport {key}",
            key,
            extra=_together(key, 2, delay) + extras[key],
        )
    jobs = [PrintJob(f"/kommun/{key}/", tmp_path / "pdf" / f"kommun-{key}.pdf") for key in delays]
    monkeypatch.setenv("UPPSIKT_PDF_WORKERS", "3")

    printed = print_site(site, jobs)

    assert [(page.path, page.target) for page in printed] == [(job.path, job.target) for job in jobs]
    texts = {key: _text(job.target) for key, job in zip(delays, jobs, strict=True)}
    assert "Uppgift för a samtidigt med b, c" in texts["a"]
    assert "Uppgift för b samtidigt med a, c" in texts["b"]
    assert "Uppgift för c samtidigt med a, b" in texts["c"]
    for key, text in texts.items():
        assert f"Sidan {key}" in text and f"Sent inläst uppgift {key}" in text
        assert [other for other in delays if f"Rapport {other}" in text] == [key]
    finished = [job.target.stat().st_mtime_ns for job in jobs]
    assert finished == sorted(finished, reverse=True)
    assert printed[0].console_errors == [] and printed[1].console_errors == ["fel på sidan b"]
    # The browser reports the blocked image as a console error too, on that page only: sent nowhere
    # (pdf.offline_args), it failed at the proxy that is not there.
    assert printed[2].console_errors
    assert all("ERR_PROXY_CONNECTION_FAILED" in error for error in printed[2].console_errors)
    assert [page.blocked_requests for page in printed] == [[], [], ["http://cdn.example.invalid/c.png"]]


def test_a_failing_page_stops_the_others_and_leaves_no_partial_pdfs(
    site: Path, add_page, tmp_path: Path
) -> None:
    add_page("/samverkan/langsam/", "Långsam", "Tar tid", "langsam", extra=_busy(5000))
    folder = tmp_path / "pdf"
    jobs = [
        PrintJob("/samverkan/langsam/", folder / "langsam.pdf"),
        PrintJob("/samverkan/finns-inte/", folder / "finns-inte.pdf"),
        PrintJob("/kommun/0180/", folder / "kommun-0180.pdf"),
    ]

    with pytest.raises(PdfError, match=r"/samverkan/finns-inte/ finns inte .*HTTP 404"):
        print_site(site, jobs, workers=2)

    # The slow page was still loading and the last one never started: nothing, not even a part file.
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_pdf_that_cannot_be_written_is_an_error_naming_the_page(site: Path, tmp_path: Path) -> None:
    (tmp_path / "fil").write_text("inte en mapp", encoding="utf-8")

    with pytest.raises(PdfError, match=r"Sidan /kommun/0180/ kunde inte skrivas ut till .*fil/x\.pdf"):
        print_site(site, [PrintJob("/kommun/0180/", tmp_path / "fil" / "x.pdf")])


@pytest.mark.parametrize("value", ["0", "-2", "tre"])
def test_a_bad_worker_setting_is_a_clear_error(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("UPPSIKT_PDF_WORKERS", value)
    with pytest.raises(SettingsError, match=rf"UPPSIKT_PDF_WORKERS={value!r}: ska vara ett heltal från 1"):
        print_site(site, [PrintJob("/", tmp_path / "x.pdf")])


def test_a_few_pages_print_in_fewer_tabs_than_the_setting_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    # A tab per three pages, never fewer than the cores and one (at least three), never more than the
    # setting: a change to one cooperation reprints a handful of PDFs, the whole report 244.
    monkeypatch.setenv("UPPSIKT_PDF_WORKERS", "8")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert [pdf_workers(pages) for pages in (1, 5, 9, 10, 14, 24, 25, 244)] == [3, 3, 3, 4, 5, 8, 8, 8]
    monkeypatch.setattr(os, "cpu_count", lambda: 12)
    assert pdf_workers(5) == 8
    monkeypatch.setenv("UPPSIKT_PDF_WORKERS", "2")
    assert pdf_workers(244) == 2
