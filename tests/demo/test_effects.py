"""The injected cooperation effects: the scenario research suggests, and visible to a simple comparison."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from orchestration.lib.demo.simulation import simulate_world
from orchestration.lib.demo.truth import true_effects
from orchestration.lib.extract.registry import Agreement, Member

MEMBERS = ["0509", "0512", "0560"]  # Ödeshög (host), Ydre, Boxholm: small kommuner outside the registry


@pytest.fixture(scope="module")
def test_registry(registry):
    agreement = Agreement(
        id="prov-raddningstjanst",
        name="Provsamverkan räddningstjänst",
        form="avtalssamverkan",
        area="raddningstjanst",
        purpose=("kostnad", "kvalitet", "personal"),
        host="0509",
        start=date(2015, 1, 1),
        members=tuple(Member(k, date(2015, 1, 1)) for k in MEMBERS),
    )
    return replace(registry, agreements=(agreement,))


def _did(world, kpi, kommun, log):
    totals = world.kolada_values[world.kolada_values["gender"] == "T"]
    wide = totals[totals["kpi"] == kpi].pivot(index="municipality", columns="year", values="value")
    wide = np.log(wide) if log else wide
    change = wide.loc[:, 2016:].mean(axis=1) - wide.loc[:, :2015].mean(axis=1)
    pool = [k for k in wide.index if k not in MEMBERS]
    return change[kommun] - change[pool].mean()


@pytest.mark.parametrize("seed", [1, 2026, 4711])
def test_large_effect_is_visible_before_after_against_the_pool(test_registry, seed):
    world = simulate_world(test_registry, seed)
    truth = true_effects(test_registry, seed).set_index(["municipality_id", "kpi_id"])
    staff = truth.loc[("0509", "N07035")]
    assert staff["kind"] == "pct" and staff["role"] == "host" and staff["effect_pct"] > 20
    assert abs(_did(world, "N07035", "0509", log=True) - np.log1p(staff["effect_pct"] / 100)) < 0.1
    response = truth.loc[("0509", "U07442")]
    assert response["effect"] < -2
    assert abs(_did(world, "U07442", "0509", log=False) - response["effect"]) < 1.5


def test_no_effect_before_joining(test_registry, registry):
    with_agreement = simulate_world(test_registry, 2026).kolada_values
    without = simulate_world(replace(registry, agreements=()), 2026).kolada_values
    key = ["kpi", "municipality", "year", "gender"]
    merged = with_agreement.merge(without, on=key, suffixes=("", "_without"))
    mine = merged[merged["municipality"].isin(MEMBERS) & (merged["kpi"] == "N07035")]
    before, after = mine[mine["year"] <= 2015], mine[mine["year"] >= 2016]
    assert (before["value"] == before["value_without"]).all()
    assert (after["value"] > after["value_without"]).all()


def test_truth_has_a_row_per_agreement_member_and_area_kpi(registry, truth):
    for agreement in registry.agreements:
        kpis = {k.id for k in registry.areas[agreement.area].kpis}
        rows = truth[truth["agreement_id"] == agreement.id]
        assert len(rows) == len(kpis) * len(agreement.members), agreement.id
    assert truth["kind"].isin({"none", "growth", "pct", "abs", "joint"}).all()


def test_mostly_small_or_null_cost_effects(registry, truth):
    per_inhabitant = {k.id for a in registry.areas.values() for k in a.kpis if k.unit == "kr/inv"}
    cost = truth[truth["kpi_id"].isin(per_inhabitant) & (truth["n_years"] > 0)]
    assert len(cost) >= 10
    assert (cost["effect_pct"].abs() <= 12).all()
    assert (cost["effect_pct"].abs() <= 6).mean() > 0.6


def test_gymnasium_forbund_costs_fall_and_results_fall_too(truth):
    rows = truth[
        (truth["area"] == "gymnasieskola") & truth["agreement_id"].str.contains("utbildningsforbund")
    ]
    by_kpi = rows.groupby("kpi_id")["effect"].mean()
    assert by_kpi["N17014"] < 0 and by_kpi["N17441"] < 0
    assert rows.loc[rows["kpi_id"] == "N17441", "favourable"].eq(False).all()


def test_host_fares_better_than_the_members(truth):
    compared = 0
    for (_, kpi), rows in truth[truth["kind"].isin({"pct", "abs", "growth"})].groupby(
        ["agreement_id", "kpi_id"]
    ):
        if set(rows["role"]) != {"host", "member"}:
            continue
        host = rows.loc[rows["role"] == "host", "effect_pct"].mean()
        members = rows.loc[rows["role"] == "member", "effect_pct"].mean()
        better = rows["better"].iloc[0]
        assert host < members if better == "lower" else host > members, kpi
        compared += 1
    assert compared >= 3


def test_joint_figure_moves_each_member_from_its_own_level(truth):
    joint = truth[(truth["kpi_id"] == "U37009") & (truth["kind"] == "joint")]
    assert joint["agreement_id"].nunique() > 30  # every joint överförmyndare organisation reports one figure
    joint = joint[joint["agreement_id"] == "hoglandets-overformyndarnamnd"]
    assert len(joint) == 5
    assert (joint["effect"] > 0).any() and (joint["effect"] < 0).any()
