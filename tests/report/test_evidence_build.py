"""The Evidence site is really built (npm, `evidence sources`, `build:strict`) from a warehouse file."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.report.evidence import evidence_site
from orchestration.lib.ops.resources import resources
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.report.evidence import EvidenceError, build, build_environment, install
from tests.report.conftest import REPORTS, BuiltSite
from tests.report.warehouse_fixture import AGREEMENTS, HOGLANDET_ID, with_costs

BANNER = "Demodata – simulerade värden, inte verklig statistik"


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_warehouse_path_is_relative_to_the_source_folder(tmp_path: Path) -> None:
    project, warehouse = tmp_path / "a" / "reports", tmp_path / "b" / "uppsikt.duckdb"
    env = build_environment(project, warehouse)
    relative = env["EVIDENCE_SOURCE__uppsikt__filename"]
    assert not os.path.isabs(relative)
    joined = project / "sources" / "uppsikt" / relative
    assert joined.resolve() == warehouse.resolve()


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="finns inte"):
        build(REPORTS, tmp_path / "nowhere.duckdb")


@pytest.mark.slow
def test_install_is_idempotent() -> None:
    install(REPORTS)
    assert install(REPORTS) is False  # nothing changed: npm is not run again
    patched = REPORTS / "node_modules/@evidence-dev/universal-sql/src/build-parquet.js"
    assert "readParquet" in patched.read_text(), "the offline patch is applied on install"


@pytest.mark.slow
def test_site_has_index_and_a_page_per_cooperation_with_banner(built_site: BuiltSite) -> None:
    build_dir = built_site.index.parent
    assert built_site.index.is_file()
    assert BANNER in built_site.index.read_text()
    for agreement in AGREEMENTS:
        page = build_dir / "samverkan" / agreement.agreement_id / "index.html"
        assert page.is_file(), f"no page for {agreement.agreement_id}"
        assert BANNER in page.read_text()
    print(f"Evidence build through Dagster: {built_site.build_seconds:.0f} s")


@pytest.mark.slow
def test_site_serves_the_excel_downloads_linked_from_revisorer(built_site: BuiltSite) -> None:
    build_dir = built_site.index.parent
    page = (build_dir / "revisorer" / "index.html").read_text()
    with_rows = with_costs(built_site.warehouse, "agreement_id")
    for name in ["alla", *with_rows]:
        workbook = build_dir / "nedladdning" / f"kostnader-{name}.xlsx"
        assert workbook.is_file(), f"{workbook} is missing from the built site"
        assert workbook.read_bytes()[:2] == b"PK", f"{workbook} is not an xlsx (zip) file"
        # As readable as the pages beside it: a web server serving the site (another user) can send it.
        assert workbook.stat().st_mode & 0o777 == (build_dir / "index.html").stat().st_mode & 0o777
        assert f'href="/nedladdning/kostnader-{name}.xlsx"' in page
    # A cooperation without a figure has no file: the page names it instead of linking to empty ones.
    assert HOGLANDET_ID not in with_rows
    assert not (build_dir / "nedladdning" / f"kostnader-{HOGLANDET_ID}.xlsx").exists()
    assert f"kostnader-{HOGLANDET_ID}" not in page
    without = page[page.index('class="without-costs"') :]
    assert "därför utan fil: Höglandets överförmyndarnämnd." in without[: without.index("</p>")]
    # Each member kommun's own workbook and CSV, linked from the same page.
    kommun_books = sorted((build_dir / "nedladdning").glob("kostnader-kommun-*.xlsx"))
    assert kommun_books, "no per-kommun workbook in the built site"
    for workbook in kommun_books:
        assert f'href="/nedladdning/{workbook.name}"' in page, workbook.name
        assert f'href="/nedladdning/{workbook.stem}.csv"' in page, workbook.stem


@pytest.mark.slow
def test_the_print_menu_says_ctrl_p_not_the_mac_shortcut(built_site: BuiltSite) -> None:
    # The header menu's print entry, from the patched core components (reports/patches/).
    scripts = [p.read_text(encoding="utf-8") for p in (built_site.index.parent / "_app").rglob("*.js")]
    assert any("Ctrl+P" in text for text in scripts)
    assert not any("\u2318P" in text for text in scripts)


@pytest.mark.slow
def test_failed_build_raises_and_keeps_previous_site(built_site: BuiltSite, tmp_path: Path) -> None:
    before = _tree_digest(built_site.index.parent)
    broken = tmp_path / "broken.duckdb"
    shutil.copy(built_site.warehouse, broken)
    with connect(broken) as con:
        con.execute("drop table marts.fct_agreement_kpi_series")  # a mart kpi_values.sql reads
    phases: list[str] = []
    with pytest.raises(EvidenceError, match="fct_agreement_kpi_series"):
        build(built_site.project, broken, phase=phases.append)
    assert _tree_digest(built_site.index.parent) == before
    # The run log says how far the build came: it stopped in the source queries (a long phase repeats).
    assert list(dict.fromkeys(phase.split(":")[0] for phase in phases)) == ["Evidence 1/3", "Evidence 2/3"]


@pytest.mark.slow
def test_asset_fails_when_the_build_fails(built_site: BuiltSite, tmp_path: Path, monkeypatch) -> None:
    before = _tree_digest(built_site.index.parent)
    empty = tmp_path / "empty.duckdb"
    connect(empty).close()
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(empty))
    monkeypatch.setenv("UPPSIKT_REPORTS", str(built_site.project))
    result = dg.materialize([evidence_site], raise_on_error=False, resources=resources())
    assert not result.success
    assert _tree_digest(built_site.index.parent) == before
