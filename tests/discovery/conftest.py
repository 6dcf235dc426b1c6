"""One warehouse per session: the committed demo snapshot pulled by the real clients, and a real dbt build
of the discovery models on it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.transform.dbt import DBT_DIR
from orchestration.lib.registry import Registry, load_registry
from orchestration.lib.settings import PROJECT_ROOT

DBT = str(Path(sys.executable).parent / "dbt")
SELECT = [
    "+fct_cooperation_candidates",
    "+fct_cooperation_candidate_members",
    "+fct_area_control_exclusions",
    # the other staging views the effect estimators read with the exclusions
    "stg_registry__area_kpis",
    "stg_kolada__municipalities",
]


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(PROJECT_ROOT / "registry")


def _load_demo(warehouse: Path, registry: Registry) -> None:
    from orchestration.lib.http import source_access
    from orchestration.lib.kolada.extract import kolada_scope, run_kolada
    from orchestration.lib.registry.tables import write_tables
    from orchestration.lib.settings import load_settings
    from orchestration.lib.warehouse import connect

    settings = load_settings()
    run_kolada(warehouse, source_access(settings), kolada_scope(registry))
    with connect(warehouse) as con:
        write_tables(con, registry)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("discovery")
    path = work / "uppsikt.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UPPSIKT_SOURCE", "demo")
        patch.setenv("UPPSIKT_WAREHOUSE", str(path))
        _load_demo(path, registry)
    command = [
        DBT,
        "build",
        "--select",
        *SELECT,
        "--project-dir",
        str(DBT_DIR),
        "--profiles-dir",
        str(DBT_DIR),
    ]
    env = {
        **os.environ,
        "UPPSIKT_WAREHOUSE_PATH": str(path),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "UPPSIKT_SOURCE": "demo",
    }
    result = subprocess.run(command, cwd=DBT_DIR, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-5000:]
    yield path


@pytest.fixture(scope="session")
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()
