"""A kommun in two cooperations of one area at once: its effect is credited to one, on a real warehouse.

dbt builds the registry's memberships (int_member_overlaps holds the rule, int_member_attributions what it
means per member), Dagster runs the estimators on them, and the marts say which cooperation gets the effect.
"""

import dataclasses
from datetime import date

import duckdb
import pandas as pd
import pytest

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import run_models
from tests.dbt import run_dbt
from tests.effects import warehouse as wh
from tests.effects.test_asset import materialise

LATER = 2020  # the forbund_a member joins namnd_b (same area) on 1 January of this year


@pytest.fixture(scope="module")
def overlapping(tmp_path_factory):
    """The asset test's world, with one non-host member of forbund_a also joining namnd_b in LATER."""
    world = wh.world()
    work = tmp_path_factory.mktemp("overlap")
    path = wh.make_warehouse(work / "uppsikt.duckdb", world)
    kommun = world.members["forbund_a"][1]
    con = connect(path)
    try:
        con.execute(
            "insert into raw.registry_members (agreement_id, kommun, joined) values ('namnd_b', ?, ?)",
            [kommun, date(LATER, 1, 1)],
        )
    finally:
        con.close()
    result = run_dbt(["run", "--exclude", "path:models/marts/effects"], path, work)
    assert result.returncode == 0, result.stdout[-4000:]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UPPSIKT_WAREHOUSE", str(path))
        assert materialise().success
        built = run_dbt(["build", "--select", "path:models/marts/effects"], path, work)
        assert built.returncode == 0, built.stdout[-4000:]
        yield path, world, kommun


def frame(path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_the_earlier_cooperation_stops_counting_the_member_when_it_joins_the_later(overlapping):
    path, world, kommun = overlapping
    other = world.members["forbund_a"][2]
    rows = frame(
        path,
        "select agreement_id, municipality_id, post_years, flags from analysis.effect_estimates "
        "where method = 'synthetic_did' and kpi_id = 'N07009'",
    ).set_index(["agreement_id", "municipality_id"])
    # forbund_a started 2016: the member's post-period ends before 2020, five years fewer than a member
    # without an overlap (2020–2024 are credited to namnd_b).
    assert rows.loc[("forbund_a", kommun), "post_years"] == rows.loc[("forbund_a", other), "post_years"] - 5
    assert "tillskrivs_annan_samverkan" in rows.loc[("forbund_a", kommun), "flags"]
    assert "medlem_tillskrivs_annan_samverkan" in rows.loc[("forbund_a", "total"), "flags"]
    assert "tillskrivs_annan_samverkan" not in rows.loc[("namnd_b", kommun), "flags"].split(",")


def test_both_pages_say_which_cooperation_gets_the_effect(overlapping):
    path, _, kommun = overlapping
    members = frame(
        path,
        "select agreement_id, credited_elsewhere_year, credited_to_agreement_id, is_shared, attribution_text "
        f"from marts.fct_agreement_members where municipality_id = '{kommun}' order by agreement_id",
    ).set_index("agreement_id")
    assert members.loc["forbund_a", "credited_elsewhere_year"] == LATER
    assert members.loc["forbund_a", "credited_to_agreement_id"] == "namnd_b"
    assert members.loc["forbund_a", "attribution_text"] == (
        f"Kommun {kommun} är från {LATER} också medlem i Namnd b inom samma område och gick med där senare. "
        f"Effekten i Kommun {kommun} från {LATER} tillskrivs Namnd b och räknas inte här."
    )
    assert "tillskrivs Namnd b, som kommunen gick med i senare" in members.loc["namnd_b", "attribution_text"]
    assert not members["is_shared"].any()
    untouched = frame(path, "select count(attribution_text) from marts.fct_agreement_members "
                      f"where municipality_id <> '{kommun}'")  # fmt: skip
    assert untouched.iloc[0, 0] == 0


def test_a_member_joining_two_cooperations_the_same_day_gets_no_verdict():
    kpis = [SimKpi("K1", base=900.0, cost_basis="kostnad")]
    world = calibration_world(5, {"omr": kpis}, [SimAgreement("a", "omr", 3, 2016, effects={"K1": -150.0})])
    shared = world.members["a"][1]
    members = world.inputs.members.assign(
        is_shared=world.inputs.members["municipality_id"] == shared, credited_elsewhere_year=pd.NA
    )
    tables = run_models(dataclasses.replace(world.inputs, members=members), EffectsConfig())
    verdicts = tables.member_verdicts
    mine = verdicts[(verdicts["municipality_id"] == shared) & (verdicts["dimension"] == "kostnad")]
    assert list(mine["verdict"]) == ["kan_inte_avgoras"]
    assert "effekten kan inte delas" in mine["undecided_text"].iloc[0]
    others = verdicts[(verdicts["municipality_id"] != shared) & (verdicts["dimension"] == "kostnad")]
    assert (others["verdict"] != "kan_inte_avgoras").any()
