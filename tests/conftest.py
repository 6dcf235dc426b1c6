"""Settings shared by every test: nothing a test does may touch the developer's own warehouse or runs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("dagster_home")
    saved = dict(os.environ)
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ.setdefault("UPPSIKT_WAREHOUSE", str(home / "default-warehouse.duckdb"))
    os.environ.setdefault("UPPSIKT_STATE", str(home / "state"))  # the run lock, never the project's
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
