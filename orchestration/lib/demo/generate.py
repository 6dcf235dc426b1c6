"""`uppsikt demo generate`: simulate the demo world from the registry and record it as the demo snapshot."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from orchestration.lib.demo.record import record_snapshot
from orchestration.lib.demo.simulation import DEFAULT_SEED, simulate_world
from orchestration.lib.demo.world import DemoWorld
from orchestration.lib.extract.registry import RegistryError, load_registry
from orchestration.lib.ops.settings import load_settings


def snapshot_size(directory: Path) -> tuple[int, int]:
    """(number of files, total bytes) under the snapshot folder."""
    files = [p for p in directory.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def summary(world: DemoWorld, directory: Path, seconds: float) -> str:
    values = world.kolada_values
    files, size = snapshot_size(directory)
    return "\n".join(
        [
            f"demodata inspelad i {directory} på {seconds:.1f} s (simulerade värden, inte verklig statistik)",
            f"  Kolada: {values['municipality'].nunique()} kommuner med värden, {values['kpi'].nunique()} "
            f"nyckeltal, {len(values)} värden {values['year'].min()}–{values['year'].max()}, "
            f"{world.groups['group_id'].nunique()} kommungrupper",
            f"  SCB TAB4199: {len(world.scb_values)} celler, {len(world.scb_verksamhet_labels)} verksamheter",
            f"  ögonblicksbilden: {files} filer, {size / 1e6:.2f} MB",
        ]
    )


def main(seed: int = DEFAULT_SEED) -> int:
    """Load the registry (UPPSIKT_REGISTRY), simulate, record into UPPSIKT_DEMO_SNAPSHOT.

    Returns 1, writing nothing, when the registry is invalid."""
    settings = load_settings()
    started = time.monotonic()
    try:
        registry = load_registry(settings.registry)
    except RegistryError as error:
        print(f"kan inte skapa demodata: {error}", file=sys.stderr)
        return 1
    world = simulate_world(registry, seed)
    record_snapshot(world, registry, settings.demo_snapshot)
    print(summary(world, settings.demo_snapshot, time.monotonic() - started))
    return 0
