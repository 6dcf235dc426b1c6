"""Shared fixtures: the project's registry and the world simulated from it (simulated once per session)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from orchestration.lib.demo.simulation import simulate_world
from orchestration.lib.demo.truth import true_effects
from orchestration.lib.demo.world import DemoWorld
from orchestration.lib.extract.registry import Registry, load_registry

REGISTRY_DIR = Path(__file__).resolve().parents[2] / "registry"
SEED = 2026


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(REGISTRY_DIR)


@pytest.fixture(scope="session")
def world(registry: Registry) -> DemoWorld:
    return simulate_world(registry, SEED)


@pytest.fixture(scope="session")
def truth(registry: Registry) -> pd.DataFrame:
    return true_effects(registry, SEED)


@pytest.fixture(scope="session")
def totals(world: DemoWorld) -> pd.DataFrame:
    """Kolada total (T) values as kpi × municipality × year, deleted values left out."""
    values = world.kolada_values
    return values[(values["gender"] == "T") & ~values["isdeleted"]]
