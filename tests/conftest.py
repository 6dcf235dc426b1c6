"""Settings shared by every test: nothing a test does may touch the developer's own warehouse or runs.

Also the session's expensive shared fixtures and how the suite is split over pytest-xdist workers:
- `pipeline_run`: ONE `uppsikt run` on the demo snapshot per session, for every test that only reads it.
- tests that use a session-wide build (`pipeline_run`, the report tests' `built_site`) are marked slow and
  kept on one worker per build, so each build runs once; every other module stays on one worker, so its
  module-scoped fixtures (a dbt build, a Dagster run) run once too. The slowest groups go first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pipeline import Run, run_pipeline

# Machine facts, not data settings: where Chromium is installed may differ between developers.
KEPT_SETTINGS = {"UPPSIKT_CHROMIUM"}
# Besides UPPSIKT_*, the settings that could point a test at a live service.
OTHER_SETTINGS = {"KOLADA_BASE_URL", "SCB_BASE_URL"}
# Tests using these fixtures share one build per session: they run together, on one worker, first.
SHARED_BUILDS = {"pipeline_run": "pipeline", "built_site": "evidence", "site_url": "evidence"}


def leaked_settings(environ: dict[str, str]) -> list[str]:
    """The developer's own uppsikt settings in `environ`, which tests must not see."""
    return sorted(
        key
        for key in environ
        if (key.startswith("UPPSIKT_") and key not in KEPT_SETTINGS) or key in OTHER_SETTINGS
    )


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("dagster_home")
    saved = dict(os.environ)
    for key in leaked_settings(saved):
        del os.environ[key]
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ["UPPSIKT_WAREHOUSE"] = str(home / "default-warehouse.duckdb")
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def warehouse_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh warehouse file location, set as the one warehouse setting for this test."""
    path = tmp_path / "warehouse" / "uppsikt.duckdb"
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(path))
    monkeypatch.setenv("UPPSIKT_WAREHOUSE_PATH", str(path))
    return path


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """`uppsikt run` on the demo snapshot, once per session, in its own folder; tests only read it."""
    return run_pipeline(tmp_path_factory.mktemp("e2e"))


def _group(item: pytest.Item) -> str:
    shared = [SHARED_BUILDS[name] for name in item.fixturenames if name in SHARED_BUILDS]
    return shared[0] if shared else item.nodeid.split("::")[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    first = list(dict.fromkeys(SHARED_BUILDS.values()))
    for item in items:
        group = _group(item)
        if group in first:
            item.add_marker(pytest.mark.slow)
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group))
    # Longest first: the two builds start at once on the two workers, the short modules fill in after.
    items.sort(key=lambda item: first.index(_group(item)) if _group(item) in first else len(first))
