"""Settings shared by every test: nothing a test does may touch the developer's own warehouse or runs.

Also the session's expensive shared fixtures and the order the suite runs in (`make test` runs it on three
pytest-xdist workers, one module at a time each, `--dist loadscope`):
- `pipeline_run`: ONE `uppsikt run` on the demo snapshot per test run, for every test that only reads it,
  with a small registry taken from the project's own (tests/pipeline.py:small_registry);
  the report tests' `built_site` is likewise one Evidence build per test run (tests/shared.py), and
  `dbt_built` one `dbt build` of the hand-made raw warehouse (tests/transform/built.py).
- tests that use one of them are marked slow and run first (the longest first), so that the two builds
  start at once, one on each worker; then the modules that take longest (LONG_MODULES, measured), the other
  slow modules, and the short modules fill in after, so that no long module is left running alone at the end.
- the modules under one of SHARED_SCOPES share a build of their own (tests/discovery: the demo warehouse,
  cached across runs by content hash): xdist hands them to one worker as one unit, so that no worker sits
  waiting for a build another worker is making.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.pipeline import Run, run_pipeline
from tests.shared import shared_build

if TYPE_CHECKING:
    from tests.transform.built import DbtBuilt

# Machine facts, not data settings: where Chromium is installed may differ between developers.
KEPT_SETTINGS = {"UPPSIKT_CHROMIUM"}
# Besides UPPSIKT_*, the settings that could point a test at a live service.
OTHER_SETTINGS = {"KOLADA_BASE_URL", "SCB_BASE_URL"}
# Tests using these fixtures share one build per session: they run together, on one worker, first.
# pipeline_run took 980 s at load 8-14 on the small registry (7 cooperations, 18 PDFs) against 1649 s on the
# whole one (64, 244 PDFs) in the same half hour: pull + dbt ~3.5 min, Evidence ~9 min (a page for each of
# the 290 kommuner, whatever the registry), PDFs 1 min (were 10). 584 s on one of two workers at load 8.
# built_site: 216 s at load 8.
SHARED_BUILD_TIMEOUT_S = 3600
SHARED_BUILDS = {"pipeline_run": "pipeline", "built_site": "evidence", "site_url": "evidence"}
# One xdist unit each (folder prefix -> unit): their modules share a session build of their own.
SHARED_SCOPES = {"tests/discovery/": "tests/discovery"}
# Modules (or SHARED_SCOPES units) of half a minute or more on one worker, the longest first: started right
# after the shared builds (one in a shared build's group goes first within it). Seconds from `--durations`
# of a whole `make test` at load 6-11, unless said otherwise.
LONG_MODULES = [
    # 271 at load 8-14 (after built_site): one walk over every page for the error and axe checks, which
    # walked it once each before (317 + 245 in the same run). Three pages load at once since: the walk
    # alone took 133 s against 181 s one page at a time (same site, same session, load 6-10).
    "tests/report/test_site_every_page.py",
    "tests/report/test_history_published.py",  # 445: two real Evidence builds, one after the other
    "tests/ops/test_serve.py",  # 134: the daemon's scheduled run
    "tests/report/test_history.py",  # 64
    "tests/transform/test_dbt_assets.py",  # 52
    "tests/discovery",  # 43 (0 when cached): the demo pull and a dbt build
    "tests/effects/test_asset.py",  # 38
    "tests/effects/test_overlap_attribution.py",  # 30
    "tests/effects/test_calibration.py",  # 30: the base worlds, run once and reused
    "tests/effects/test_national_asset.py",  # 24
]


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
    os.environ["UPPSIKT_STATE"] = str(home / "state")  # the run lock, never the project's
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
    """`uppsikt run` on the demo snapshot with a small registry (a few of the project's cooperations, every
    KPI and kommun), once per test run (shared by the xdist workers), in a folder of its own. Tests read it;
    a test that runs uppsikt again on it must leave it as it was."""
    return shared_build(tmp_path_factory, "pipeline", run_pipeline)


@pytest.fixture(scope="session")
def dbt_built(tmp_path_factory: pytest.TempPathFactory) -> DbtBuilt:
    """The hand-made raw warehouse after one real `dbt build`, once per test run (shared by the xdist
    workers). Read only: a test that writes works on `dbt_built.copy_to(folder)`."""
    from tests.transform.built import build_raw_warehouse  # dbt and Dagster: imported only when used

    return shared_build(tmp_path_factory, "dbt-build", build_raw_warehouse)


def scope_of(nodeid: str) -> str:
    """The xdist unit a test runs in: its module, or the SHARED_SCOPES unit its folder belongs to."""
    return next(
        (unit for prefix, unit in SHARED_SCOPES.items() if nodeid.startswith(prefix)), nodeid.split("::")[0]
    )


@pytest.hookimpl(optionalhook=True)  # an xdist hook: pytest -p no:xdist still runs
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadscope` with SHARED_SCOPES' folders as one unit each; other modes as xdist has them."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedScopeScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return SharedScopeScheduling(config, log)


def _group(item: pytest.Item) -> str:
    shared = [SHARED_BUILDS[name] for name in item.fixturenames if name in SHARED_BUILDS]
    return shared[0] if shared else scope_of(item.nodeid)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    first = list(dict.fromkeys(SHARED_BUILDS.values()))
    for item in items:
        if _group(item) in first:
            item.add_marker(pytest.mark.slow)
            # The first test to ask waits for the whole build; on a busy machine that is well over the
            # suite's per-test timeout (a pipeline run took 27 min at load 30 on 2 cores).
            if not item.get_closest_marker("timeout"):
                item.add_marker(pytest.mark.timeout(SHARED_BUILD_TIMEOUT_S))
    # Longest first: the two builds start at once on two workers, then the long modules and the other
    # slow ones (Evidence builds of their own, the calibration's simulated worlds), so that none of them
    # is left running alone at the end; the short modules fill in after.
    items.sort(key=lambda item: _rank(item, first))


def _rank(item: pytest.Item, first: list[str]) -> tuple[int, int]:
    order = [*first, *LONG_MODULES]
    # Within a shared build's group, too, the long modules first (the walk over every page of built_site).
    module = scope_of(item.nodeid)
    within = LONG_MODULES.index(module) if module in LONG_MODULES else len(LONG_MODULES)
    if _group(item) in order:
        return order.index(_group(item)), within
    return (len(order) if item.get_closest_marker("slow") else len(order) + 1), within
