"""Benchmark of the effect models: 100 cooperations over 290 kommuner, 20 KPIs, 16 years (target < 60 s), and
again with the block cache (reuse.py) when nothing changed and when one member of one cooperation did."""

from __future__ import annotations

import dataclasses
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
from targets import EXIT_NOTE, verdict

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.transform.effects.config import load_config
from orchestration.lib.transform.effects.model import EffectInputs, EffectTables, run_models
from orchestration.lib.transform.effects.store import WarehouseBlockCache, write_tables

N_KOMMUNER = 290
YEARS = range(2010, 2026)
AREAS = ("omrade_a", "omrade_b", "omrade_c", "omrade_d")
DIMENSIONS = (("kostnad", "lower"), ("kvalitet", "higher"), ("personal", "higher"), ("personal", "none"))
TARGET_SECONDS = 60.0
# A change to one cooperation: the whole chain after the pull under 60 s (issue 17), of which the estimators
# may take a few seconds beside dbt, the site and the PDFs.
REUSE_TARGET_SECONDS = 5.0


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
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        elapsed, tables = _timed(con, world.inputs)
        start = time.perf_counter()
        write_tables(con, tables)
        written = time.perf_counter() - start
        warm = _timed(con, world.inputs)
        changed = _timed(con, _one_member_later(world.inputs, agreements[0].agreement_id))
        con.close()
    units = tables.reuse.estimated  # every unit: the cache was empty
    print(
        f"effektmodeller: {len(agreements)} samverkan, {N_KOMMUNER} kommuner, 20 nyckeltal, {len(YEARS)} år"
    )
    print(
        f"  simulering {simulated:.1f} s; skattning och domar, tom cache, {elapsed:.1f} s "
        f"({units} enheter × 3 metoder, {1000 * elapsed / max(units, 1):.2f} ms/enhet; "
        f"mål < {TARGET_SECONDS:.0f} s)"
    )
    print(f"  skrivning av schema analysis i en transaktion {written:.1f} s")
    print(
        f"  rader: effect_estimates {len(tables.estimates)}, effect_series {len(tables.series)}, "
        f"effect_verdicts {len(tables.verdicts)}"
    )
    print("  " + verdict(elapsed < TARGET_SECONDS))
    for label, (seconds, run) in (("inget ändrat", warm), ("en medlem i en samverkan ändrad", changed)):
        print(
            f"  med cache, {label}: {seconds:.1f} s ({run.reuse.reused} enheter återanvända, "
            f"{run.reuse.estimated} skattade; mål < {REUSE_TARGET_SECONDS:.0f} s) "
            + verdict(seconds < REUSE_TARGET_SECONDS)
        )
    print(EXIT_NOTE)


def _timed(con: duckdb.DuckDBPyConnection, inputs: EffectInputs) -> tuple[float, EffectTables]:
    start = time.perf_counter()
    tables = run_models(inputs, load_config(), WarehouseBlockCache(con))
    return time.perf_counter() - start, tables


def _one_member_later(inputs: EffectInputs, agreement_id: str) -> EffectInputs:
    """The inputs with the first member of one cooperation joining a year later."""
    members = inputs.members.copy()
    first = members.index[members["agreement_id"] == agreement_id][0]
    members.loc[first, "joined_year"] = int(members.loc[first, "joined_year"]) + 1
    return dataclasses.replace(inputs, members=members)


if __name__ == "__main__":
    main()
