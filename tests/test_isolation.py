"""A developer's exported settings (UPPSIKT_*, the API base URLs) never reach a test."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from orchestration.lib.ops.settings import PROJECT_ROOT, load_settings
from tests.conftest import KEPT_SETTINGS

# Set in the outer test's subprocess only: the inner test runs there and is skipped everywhere else.
PROBE = "ISOLATION_PROBE"
EXPORTED = {
    "UPPSIKT_WAREHOUSE": "/utvecklarens/lager.duckdb",
    "UPPSIKT_WAREHOUSE_PATH": "/utvecklarens/lager.duckdb",
    "UPPSIKT_SOURCE": "live",
    "UPPSIKT_OUTBOX": "/utvecklarens/utkorg",
    "KOLADA_BASE_URL": "http://utvecklarens.test/kolada",
}


@pytest.mark.skipif(PROBE not in os.environ, reason="körs bara i test_exported_settings_do_not_leak")
def test_inner_sees_none_of_the_exported_settings() -> None:
    settings = load_settings()
    assert str(settings.warehouse) != EXPORTED["UPPSIKT_WAREHOUSE"]
    assert settings.source == "demo"
    assert settings.kolada_base_url != EXPORTED["KOLADA_BASE_URL"]
    leaked = {key for key in os.environ if key.startswith("UPPSIKT_")} - KEPT_SETTINGS
    assert leaked == {"UPPSIKT_WAREHOUSE", "UPPSIKT_STATE"}  # the session's own, in its temporary folder


def test_exported_settings_do_not_leak() -> None:
    env = {**os.environ, **EXPORTED, PROBE: "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    node = f"{__file__}::test_inner_sees_none_of_the_exported_settings"
    result = subprocess.run([*command, node], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 passed" in result.stdout
