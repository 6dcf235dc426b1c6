"""Shared by the report tests: a fixture warehouse and ONE real Evidence build of it per test run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from orchestration.lib.ops.resources import resources
from orchestration.lib.ops.settings import PROJECT_ROOT
from tests.report.warehouse_fixture import write_report_warehouse
from tests.shared import copy_warehouse, shared_build

REPORTS = PROJECT_ROOT / "reports"


@dataclass(frozen=True)
class BuiltSite:
    project: Path  # a staged copy of reports/ (the developer's reports/build is never touched)
    warehouse: Path
    index: Path
    build_seconds: float


@pytest.fixture(scope="session")
def shared_report_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture warehouse (its report marts built by dbt), written once per test run and shared by the
    xdist workers. Never opened for writing: each user works on a copy (tests/shared.py:copy_warehouse)."""
    return shared_build(tmp_path_factory, "report-warehouse", _write_warehouse)


def _write_warehouse(folder: Path) -> Path:
    return write_report_warehouse(folder / "uppsikt.duckdb")


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory: pytest.TempPathFactory, shared_report_warehouse: Path) -> Path:
    """This worker's copy of the fixture warehouse."""
    return copy_warehouse(shared_report_warehouse, tmp_path_factory.mktemp("report-warehouse"))


@pytest.fixture(scope="session")
def report_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orchestration.lib.report.evidence import install, stage_project

    install(REPORTS)
    return stage_project(REPORTS, tmp_path_factory.mktemp("report-project") / "reports")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, shared_report_warehouse: Path) -> BuiltSite:
    """The site built once per test run (shared by the xdist workers), through the Dagster assets (Excel
    files, then site), from a copy of the fixture warehouse."""
    return shared_build(tmp_path_factory, "evidence-site", partial(_build_site, shared_report_warehouse))


def _build_site(source: Path, folder: Path) -> BuiltSite:
    import time

    import dagster as dg

    from orchestration.defs.report.evidence import evidence_site
    from orchestration.defs.report.workbooks import revisor_workbooks
    from orchestration.lib.report.evidence import install, stage_project

    warehouse = copy_warehouse(source, folder / "warehouse")
    install(REPORTS)
    project = stage_project(REPORTS, folder / "reports")
    env = {"UPPSIKT_WAREHOUSE": str(warehouse), "UPPSIKT_REPORTS": str(project), "UPPSIKT_SOURCE": "demo"}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        started = time.monotonic()
        result = dg.materialize([revisor_workbooks, evidence_site], resources=resources())
        seconds = time.monotonic() - started
    assert result.success
    return BuiltSite(project, warehouse, project / "build" / "index.html", seconds)


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """The built site served from 127.0.0.1, as a web server would serve it."""
    from orchestration.lib.report.pdf import serve_static

    with serve_static(built_site.index.parent) as url:
        yield url


# Per module, not per session: Playwright's sync API holds an event loop in the main thread while it is
# open, and later tests (the extract clients) start their own with asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Real headless Chromium with the flags the PDF printing uses, and no way off the machine."""
    from playwright.sync_api import sync_playwright

    from orchestration.lib.report.pdf import CHROMIUM_ARGS, chromium_path
    from tests.report.browser import OFFLINE_ARGS

    with sync_playwright() as playwright:
        args = [*CHROMIUM_ARGS, *OFFLINE_ARGS]
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=args)
        yield chromium
        chromium.close()
