"""Reuse the rows of every block (blocks.py) whose inputs are the same as when a run stored them.

A block's key is a content hash of exactly what its units read: each unit's definition (members, joining
and end years, host, area, KPI, peers, cautions), the members' series and population, the area's donors'
series and population for the KPI, the KPI's latest year, the panel's years, the effects configuration,
this folder's source code and the versions of the numerical libraries. Anything else that changes (a
cooperation's name, another area's members, new values of another KPI) leaves the key alone; any change
to what the block reads gives a new key, so a reused block is always the one a full run would make.

The total of a cooperation is built from its members' fits, which are too large to keep (tens of kB per
unit), so a block is reused or estimated as one: a change to one member re-estimates its cooperation's
units of that KPI, not more.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

import numpy as np

from orchestration.lib.ops.incremental import add_files
from orchestration.lib.transform.effects.blocks import Outcome, Results, blocks, estimate_block, shape
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.panel import PanelSet
from orchestration.lib.transform.effects.units import Unit

CODE_DIR = Path(__file__).parent
# The libraries the estimators compute with: another version may round differently.
LIBRARIES = ("numpy", "scipy", "pandas")


class BlockCache(Protocol):
    """Where blocks' rows are kept between runs (store.WarehouseBlockCache)."""

    def load(self, keys: Collection[str]) -> dict[str, Outcome]:
        """The stored blocks among `keys` (those that cannot be read are left out)."""
        ...

    def save(self, outcomes: dict[str, Outcome]) -> None:
        """Keep exactly these blocks: store the new ones and drop every other key."""
        ...


@dataclass(frozen=True)
class Reuse:
    """How many units a run took from the cache and how many it estimated."""

    reused: int
    estimated: int


def estimate_reusing(
    units: list[Unit], panels: PanelSet, donors: dict[str, np.ndarray], cfg: EffectsConfig, cache: BlockCache
) -> tuple[Results, Reuse]:
    """blocks.estimate_units, estimating only the blocks the cache does not hold; the cache then holds
    exactly this run's blocks, so it never grows beyond one run."""
    parts = blocks(units)
    keys = block_keys(parts, panels, donors, cfg)
    stored = cache.load(set(keys))
    outcomes = [
        stored[key] if key in stored else estimate_block(block, panels, donors, cfg)
        for key, block in zip(keys, parts, strict=True)
    ]
    cache.save(dict(zip(keys, outcomes, strict=True)))
    reused = sum(len(block) for key, block in zip(keys, parts, strict=True) if key in stored)
    return shape(outcomes), Reuse(reused, len(units) - reused)


def block_keys(
    parts: list[list[Unit]], panels: PanelSet, donors: dict[str, np.ndarray], cfg: EffectsConfig
) -> list[str]:
    """Each block's content hash (see the module docstring), in the blocks' order."""
    common = _common(panels, cfg)
    pools: dict[tuple[str, str], bytes] = {}
    keys = []
    for block in parts:
        area, kpi_id = block[0].area, block[0].kpi.kpi_id
        if (area, kpi_id) not in pools:
            pools[area, kpi_id] = rows_digest(panels, kpi_id, donors.get(area, np.array([], dtype=int)))
        digest = hashlib.sha256(common + pools[area, kpi_id])
        for unit in block:
            digest.update(repr(unit).encode() + b"\0")
        members = sorted({panels.row[m] for unit in block for m in unit.members if m in panels.row})
        digest.update(rows_digest(panels, kpi_id, np.array(members, dtype=int)))
        keys.append(digest.hexdigest())
    return keys


def rows_digest(panels: PanelSet, kpi_id: str, rows: np.ndarray) -> bytes:
    """Hash of the panel's rows `rows`: their kommun ids, population and the KPI's series."""
    digest = hashlib.sha256(repr([str(m) for m in panels.ids[rows]]).encode())
    digest.update(np.ascontiguousarray(panels.population[rows]).tobytes())
    if kpi_id in panels.kpis:
        # The latest year of any kommun decides which year is preliminary (panel.calendar_window).
        digest.update(f"{kpi_id}:{panels.latest_year(kpi_id)}".encode())
        digest.update(np.ascontiguousarray(panels.series(kpi_id)[rows]).tobytes())
    return digest.digest()


def _common(panels: PanelSet, cfg: EffectsConfig) -> bytes:
    digest = hashlib.sha256(code_digest().encode())
    digest.update(repr(cfg).encode() + b"\0" + np.ascontiguousarray(panels.years).tobytes())
    return digest.digest()


def code_digest() -> str:
    """Hash of the estimators' source files and of the numerical libraries' versions."""
    digest = hashlib.sha256(" ".join(f"{name}={version(name)}" for name in LIBRARIES).encode())
    add_files(digest, CODE_DIR, CODE_DIR, lambda path: path.suffix != ".py")
    return digest.hexdigest()
