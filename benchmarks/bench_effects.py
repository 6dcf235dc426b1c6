"""Benchmark of the effect models: 100 cooperations over 290 kommuner, 20 KPIs, 16 years (target < 60 s)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from targets import EXIT_NOTE, verdict

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.transform.effects.config import load_config
from orchestration.lib.transform.effects.model import run_models
from orchestration.lib.transform.effects.store import write_tables

N_KOMMUNER = 290
YEARS = range(2010, 2026)
AREAS = ("omrade_a", "omrade_b", "omrade_c", "omrade_d")
DIMENSIONS = (("kostnad", "lower"), ("kvalitet", "higher"), ("personal", "higher"), ("personal", "none"))
TARGET_SECONDS = 60.0


def world_spec() -> tuple[dict[str, list[SimKpi]], list[SimAgreement]]:
    """Every area follows the same 20 KPIs; 25 cooperations of 2–6 members per area, joining 2013–2021."""
    kpis = [
        SimKpi(f"B{n:02d}", dimension=d, better=b, base=float(50 + 100 * n))
        for n, (d, b) in enumerate(DIMENSIONS * 5)
    ]
    rng = np.random.default_rng(7)
    agreements = [
        SimAgreement(
            f"samverkan_{a}_{i:02d}",
            area,
            int(rng.integers(2, 7)),
            int(rng.integers(2013, 2022)),
            purpose=("kostnad", "kvalitet"),
            effects={"B00": -40.0},
        )
        for a, area in enumerate(AREAS)
        for i in range(25)
    ]
    return {area: kpis for area in AREAS}, agreements


def main() -> None:
    kpis, agreements = world_spec()
    start = time.perf_counter()
    world = calibration_world(1, kpis, agreements, n_kommuner=N_KOMMUNER, years=YEARS, kolada_groups=True)
    simulated = time.perf_counter() - start
    start = time.perf_counter()
    tables = run_models(world.inputs, load_config())
    elapsed = time.perf_counter() - start
    units = len(tables.estimates) // 2
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        start = time.perf_counter()
        write_tables(con, tables)
        written = time.perf_counter() - start
        con.close()
    print(
        f"effektmodeller: {len(agreements)} samverkan, {N_KOMMUNER} kommuner, 20 nyckeltal, {len(YEARS)} år"
    )
    print(
        f"  simulering {simulated:.1f} s; skattning och domar {elapsed:.1f} s "
        f"({units} enheter × 2 metoder, {1000 * elapsed / max(units, 1):.2f} ms/enhet; "
        f"mål < {TARGET_SECONDS:.0f} s)"
    )
    print(f"  skrivning av schema analysis i en transaktion {written:.1f} s")
    print(
        f"  rader: effect_estimates {len(tables.estimates)}, effect_series {len(tables.series)}, "
        f"effect_verdicts {len(tables.verdicts)}"
    )
    print("  " + verdict(elapsed < TARGET_SECONDS))
    print(EXIT_NOTE)


if __name__ == "__main__":
    main()
