"""A real run of the national estimates: dbt builds staging from a raw warehouse with many staggered
cooperations of one kind, Dagster runs the national asset, dbt builds and tests the national marts."""

import dagster as dg
import duckdb
import pandas as pd
import pytest

from orchestration.defs.transform import national
from orchestration.lib.demo.calibration.world import SimAgreement, calibration_world
from orchestration.lib.ops.resources import resources
from tests.dbt import run_dbt
from tests.effects import warehouse as wh
from tests.shared import copy_warehouse

SAVING = -120.0
START_YEARS = (2013, 2014, 2015, 2016, 2017, 2018, 2019, 2019, 2019, 2019, 2020, 2021)
AGREEMENTS = [
    SimAgreement(f"forbund_{n:02d}", wh.AREA, 3, year, effects={"N07009": SAVING})
    for n, year in enumerate(START_YEARS)
]
KEYS = {"analysis/national_effects", "analysis/national_peer_estimates"}


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """Raw tables from a simulated world of 12 förbund, and every dbt model but the effect marts."""
    world = calibration_world(
        5, wh.KPIS, AGREEMENTS, n_kommuner=90, years=range(2010, 2025), kolada_groups=True
    )
    work = tmp_path_factory.mktemp("national_asset")
    with pytest.MonkeyPatch.context() as mp:
        # warehouse.py dates the agreements from its module's list: these start in their own years.
        mp.setattr(wh, "AGREEMENTS", AGREEMENTS)
        path = wh.make_warehouse(work / "uppsikt.duckdb", world)
    result = run_dbt(["run", "--exclude", "path:models/marts/effects"], path, work)
    assert result.returncode == 0, result.stdout[-4000:]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UPPSIKT_WAREHOUSE", str(path))
        yield path, world


def test_definitions_derive_deps_from_what_the_asset_reads():
    keys = {k.to_user_string() for a in national.defs().assets for k in a.keys}
    assert keys == KEYS
    deps = {d.to_user_string() for ds in national.national_estimates.asset_deps.values() for d in ds}
    assert "staging/stg_kolada__values" in deps
    assert "marts/fct_cooperation_candidate_members" in deps


def test_national_estimate_finds_the_saving_and_marts_build(staged, tmp_path):
    path, _ = staged
    result = dg.materialize([national.national_estimates], raise_on_error=False, resources=resources())
    assert result.success
    assert {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()} == KEYS
    overall = wh.query(
        path,
        "select estimate, ci_low, ci_high, n_cooperations, n_municipalities from analysis.national_effects "
        "where kpi_id = 'N07009' and event_year is null",
    )
    _, low, high, coops, kommuner = overall[0]
    assert low <= SAVING <= high and high < 0
    assert (coops, kommuner) == (12, 36)
    built = run_dbt(
        ["build", "--select", "fct_national_effects fct_agreement_peer_comparison"], path, tmp_path
    )
    assert built.returncode == 0, built.stdout[-4000:]
    text = wh.query(
        path,
        "select interpretation from marts.fct_national_effects "
        "where kpi_id = 'N07009' and event_year is null",
    )[0][0]
    assert "lägre" in text and "bättre" in text
    peers = wh.query(
        path,
        "select count(*), min(n_peers), max(shrinkage) from marts.fct_agreement_peer_comparison "
        "where kpi_id = 'N07009'",
    )
    assert peers[0][0] == 12 and peers[0][1] == 11 and 0 < peers[0][2] < 1


def test_discovered_candidates_join_the_estimate_when_their_marts_exist(staged):
    """The discovery marts' shape: members with their first year, candidates with area, form and the
    registered cooperation they match (those are counted once, as registered)."""
    path, world = staged
    taken = {m for ms in world.members.values() for m in ms}
    free = sorted(set(world.inputs.values["municipality_id"]) - taken)[:4]
    registered = world.members["forbund_00"][:2]
    members = pd.DataFrame({
        "candidate_id": ["k1", "k1", "k2", "k2", "k3", "k3"], "municipality_id": [*free, *registered],
        "first_year": [2016, 2016, 2018, 2018, 2013, 2013],
    })  # fmt: skip
    candidates = pd.DataFrame({"candidate_id": ["k1", "k2", "k3"], "area_id": wh.AREA,
                               "form": [None, "kommunalforbund", None],
                               "agreement_id": [None, None, "forbund_00"]})  # fmt: skip
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    for name, frame in {
        "fct_cooperation_candidate_members": members,
        "fct_cooperation_candidates": candidates,
    }.items():
        con.register("frame", frame)
        con.execute(f"create or replace table marts.{name} as select * from frame")
        con.unregister("frame")
    con.close()
    try:
        assert dg.materialize([national.national_estimates], resources=resources()).success
        coops = wh.query(
            path,
            "select n_cooperations, n_municipalities from analysis.national_effects "
            "where kpi_id = 'N07009' and event_year is null",
        )
        assert coops == [(14, 40)]
        ids = {r[0] for r in wh.query(path, "select agreement_id from analysis.national_peer_estimates")}
        assert {"k1", "k2"} <= ids and "k3" not in ids
    finally:
        con = duckdb.connect(str(path))
        con.execute("drop table marts.fct_cooperation_candidate_members")
        con.execute("drop table marts.fct_cooperation_candidates")
        con.close()


def test_a_kpi_a_forbund_changes_mechanically_gets_no_national_estimate(staged, tmp_path, monkeypatch):
    """areas.yaml's caution `mekanisk` (N07035 counts only the kommun's own staff): the national estimate
    would report the förbund's staff leaving the kommun's books as an effect, so there is none."""
    path, _ = staged
    count = "select count(*) from analysis.national_effects where kpi_id = '{}'"
    found = {}
    for caution in (None, "mekanisk"):
        copy = copy_warehouse(path, tmp_path / str(caution))
        with duckdb.connect(str(copy)) as con:
            con.execute("update raw.registry_area_kpis set caution = ? where kpi = 'N07035'", [caution])
        monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(copy))
        result = dg.materialize([national.national_estimates], raise_on_error=False, resources=resources())
        assert result.success
        found[caution] = {k: wh.query(copy, count.format(k))[0][0] for k in ("N07035", "N07009")}
    assert found[None]["N07035"] > 0 and found[None]["N07009"] > 0  # the caution is what leaves it out
    assert found["mekanisk"] == {"N07035": 0, "N07009": found[None]["N07009"]}
