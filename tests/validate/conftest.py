"""Fixtures of the data quality tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.validate.quality_warehouse import Warehouse, build


@pytest.fixture
def warehouse(warehouse_path: Path) -> Warehouse:
    """A warehouse that satisfies every suite, at the test's warehouse setting."""
    return build(warehouse_path)
