"""Printing a built static site to PDF with real headless Chromium."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from orchestration.lib.pdf import PdfError, PrintJob, pdf_page_count, print_site, serve_static


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


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


def test_page_count_follows_the_page_breaks(site: Path, add_page, tmp_path: Path) -> None:
    breaks = '<p class="break">Bilaga 1</p><p class="break">Bilaga 2</p>'
    add_page("/samverkan/lang/", "Lång rapport", "Första sidan", "lang", extra=breaks)
    target = tmp_path / "lang.pdf"

    (printed,) = print_site(site, [PrintJob("/samverkan/lang/", target)])

    assert printed.pages == 3 == pdf_page_count(target)
    assert "Bilaga 2" in PdfReader(str(target)).pages[2].extract_text()


def test_requests_off_the_local_host_are_blocked_and_reported(site: Path, add_page, tmp_path: Path) -> None:
    outside = '<img src="http://fonts.example.invalid/logo.png" alt="logotyp">'
    add_page("/kommun/9999/", "Extern", "Med extern bild", "9999", extra=outside)

    (printed,) = print_site(site, [PrintJob("/kommun/9999/", tmp_path / "x.pdf")])

    assert printed.blocked_requests == ["http://fonts.example.invalid/logo.png"]
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
