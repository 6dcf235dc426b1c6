"""The estimators' cache: a run that reuses stored blocks gives exactly the tables of a full run, and
re-estimates only the blocks whose inputs changed (real run_models, the cache in a real DuckDB file)."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.transform.effects import blocks, model, reuse
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import EffectInputs, EffectTables, run_models
from orchestration.lib.transform.effects.panel import build_panels
from orchestration.lib.transform.effects.store import WarehouseBlockCache
from orchestration.lib.transform.effects.units import kpis_by_area, plan_units

CFG = EffectsConfig()
KPIS = {
    "a": [SimKpi("K1", primary=True), SimKpi("K2", dimension="kvalitet", better="higher")],
    "b": [SimKpi("K3", primary=True)],
}
AGREEMENTS = [
    # Two purposes: samlat tests them together on the placebos the KPIs share (joint.py), which a reused
    # block must bring along.
    SimAgreement("a1", "a", 3, 2015, purpose=("kostnad", "kvalitet"), effects={"K1": -80.0}),
    SimAgreement("a2", "a", 2, 2017),
    SimAgreement("b1", "b", 3, 2016),
]
# Units: a1 (3 members + total) × 2 KPIs, a2 (2 + total) × 2, b1 (3 + total) × 1.
A1, A2, B1 = 8, 6, 4


@pytest.fixture(scope="module")
def inputs() -> EffectInputs:
    world = calibration_world(5, KPIS, AGREEMENTS, n_kommuner=60, years=range(2010, 2025))
    return world.inputs


def cached_run(warehouse: Path, inputs: EffectInputs) -> EffectTables:
    con = connect(warehouse)
    try:
        return run_models(inputs, CFG, WarehouseBlockCache(con))
    finally:
        con.close()


def stored_blocks(warehouse: Path) -> int:
    con = connect(warehouse, read_only=True)
    try:
        return int(con.execute("select count(*) from cache.effect_blocks").fetchone()[0])
    finally:
        con.close()


def assert_same_tables(got: EffectTables, want: EffectTables) -> None:
    for f in dataclasses.fields(want):
        if isinstance(getattr(want, f.name), pd.DataFrame):
            pd.testing.assert_frame_equal(getattr(got, f.name), getattr(want, f.name), check_exact=True)


def with_members(inputs: EffectInputs, members: pd.DataFrame) -> EffectInputs:
    return dataclasses.replace(inputs, members=members.reset_index(drop=True))


def test_a_cold_and_a_warm_cache_give_the_tables_of_a_full_run(inputs, tmp_path):
    full = run_models(inputs, CFG)
    assert full.reuse == reuse.Reuse(0, A1 + A2 + B1)
    warehouse = tmp_path / "uppsikt.duckdb"
    cold = cached_run(warehouse, inputs)
    assert cold.reuse == reuse.Reuse(0, A1 + A2 + B1)
    warm = cached_run(warehouse, inputs)
    assert warm.reuse == reuse.Reuse(A1 + A2 + B1, 0)
    assert len(full.estimates) > 0 and full.series["counterfactual"].notna().any()
    assert_same_tables(cold, full)
    assert_same_tables(warm, full)
    assert stored_blocks(warehouse) == 2 + 2 + 1  # cooperation × KPI


def test_a_later_joining_year_of_one_member_re_estimates_only_its_cooperation(inputs, tmp_path):
    warehouse = tmp_path / "uppsikt.duckdb"
    cached_run(warehouse, inputs)
    members = inputs.members.copy()
    first = members.index[members["agreement_id"] == "a1"][1]
    members.loc[first, "joined_year"] = 2016
    changed = with_members(inputs, members)
    run = cached_run(warehouse, changed)
    assert run.reuse == reuse.Reuse(A2 + B1, A1)
    assert_same_tables(run, run_models(changed, CFG))
    # The blocks of the earlier run that no longer apply are gone: the cache holds one run.
    assert stored_blocks(warehouse) == 5


def test_a_new_member_re_estimates_the_cooperations_whose_donors_it_leaves(inputs, tmp_path):
    warehouse = tmp_path / "uppsikt.duckdb"
    cached_run(warehouse, inputs)
    taken = set(inputs.members["municipality_id"])
    newcomer = next(m for m in inputs.values["municipality_id"].unique() if m not in taken)
    joined = pd.DataFrame([{"agreement_id": "b1", "municipality_id": newcomer, "joined_year": 2016}])
    changed = with_members(inputs, pd.concat([inputs.members, joined]))
    run = cached_run(warehouse, changed)
    # Only b1 is in area b: nothing in area a reads b1's members.
    assert run.reuse == reuse.Reuse(A1 + A2, B1 + 1)
    assert_same_tables(run, run_models(changed, CFG))
    # In area a the newcomer stops being a donor of a1 as well, so a1 is estimated again too.
    cached_run(warehouse, inputs)
    joined = pd.DataFrame([{"agreement_id": "a2", "municipality_id": newcomer, "joined_year": 2017}])
    changed = with_members(inputs, pd.concat([inputs.members, joined]))
    run = cached_run(warehouse, changed)
    assert run.reuse == reuse.Reuse(B1, A1 + A2 + 2)
    assert_same_tables(run, run_models(changed, CFG))


def test_a_change_to_the_estimators_code_or_config_re_estimates_everything(inputs, tmp_path, monkeypatch):
    warehouse = tmp_path / "uppsikt.duckdb"
    cached_run(warehouse, inputs)
    code = tmp_path / "effects"
    shutil.copytree(reuse.CODE_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(reuse, "CODE_DIR", code)
    assert cached_run(warehouse, inputs).reuse == reuse.Reuse(A1 + A2 + B1, 0)
    with (code / "did.py").open("a") as source:
        source.write("\n# a changed line\n")
    assert cached_run(warehouse, inputs).reuse == reuse.Reuse(0, A1 + A2 + B1)
    stricter = dataclasses.replace(CFG, inference=dataclasses.replace(CFG.inference, confidence=0.9))
    con = connect(warehouse)
    try:
        assert run_models(inputs, stricter, WarehouseBlockCache(con)).reuse == reuse.Reuse(0, A1 + A2 + B1)
    finally:
        con.close()


def test_stored_rows_that_are_not_plain_rows_are_estimated_again_and_replaced(inputs, tmp_path):
    warehouse = tmp_path / "uppsikt.duckdb"
    cached_run(warehouse, inputs)
    # A payload that would call a function when unpickled, and one that is not a payload at all.
    hostile = zlib.compress(pickle.dumps((1, [shutil.rmtree], [], [], [])))
    con = connect(warehouse)
    keys = [k for (k,) in con.execute("select block_key from cache.effect_blocks").fetchall()]
    con.execute("update cache.effect_blocks set payload = ? where block_key <> ?", [hostile, keys[0]])
    con.execute("update cache.effect_blocks set payload = ? where block_key = ?", [b"not zlib", keys[0]])
    con.close()
    run = cached_run(warehouse, inputs)
    assert run.reuse == reuse.Reuse(0, A1 + A2 + B1)
    assert_same_tables(run, run_models(inputs, CFG))
    assert cached_run(warehouse, inputs).reuse == reuse.Reuse(A1 + A2 + B1, 0)


def test_a_stored_block_brings_back_its_placebo_statistics_exactly(inputs, tmp_path):
    warehouse = tmp_path / "uppsikt.duckdb"
    cached_run(warehouse, inputs)
    panels = build_panels(inputs.values, CFG.estimation.population_kpi)
    con = connect(warehouse)
    try:
        stored = WarehouseBlockCache(con).load(_all_keys(con))
    finally:
        con.close()
    placebos = {key: value for outcome in stored.values() for key, value in outcome.placebos.items()}
    # Every unit and group with a fit: a1's members, total and ovriga in both KPIs among them.
    assert ("a1", "total", "K2") in placebos and ("a1", "ovriga", "K1") in placebos
    fresh = blocks.estimate_units(_units(inputs, panels), panels, _donors(inputs, panels), CFG).placebos
    assert placebos.keys() == fresh.keys()
    for key, stats in fresh.items():
        assert placebos[key].ids == stats.ids and len(stats.ids) > 0
        for got, want in zip(placebos[key].stats, stats.stats, strict=True):
            assert got.dtype == want.dtype and np.array_equal(got, want, equal_nan=True)


def _all_keys(con) -> list[str]:
    return [key for (key,) in con.execute("select block_key from cache.effect_blocks").fetchall()]


def _units(inputs: EffectInputs, panels):
    kpis = kpis_by_area(inputs.area_kpis)
    return plan_units(inputs.agreements, inputs.members, kpis, {}, panels)


def _donors(inputs: EffectInputs, panels):
    return model._donors(inputs, panels, kpis_by_area(inputs.area_kpis))
