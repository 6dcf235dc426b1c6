"""A KPI whose series starts later than another's: its estimates do not depend on the other KPI's years.

Kolada's KPIs start in different years (U37009 in 2015–2016, population in the 1990s), so the panel's
years are the union and most are missing for any one KPI. The simulated worlds have every KPI in every
year; these cut one KPI's early years away, as real data has them.
"""

import dataclasses

import numpy as np
import pandas as pd

from orchestration.lib.demo.calibration.world import POPULATION_KPI, SimAgreement, SimKpi, calibration_world
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import EffectInputs, run_models

KPIS = [
    SimKpi("K1", dimension="kostnad", better="lower", base=1000.0),
    SimKpi("Q1", dimension="kvalitet", better="higher", base=70.0, noise=0.02),
]
JOIN = 2017
COLUMNS = ["effect", "ci_low", "ci_high", "p_value", "pre_years", "post_years"]


def _world(seed: int = 3) -> EffectInputs:
    agreement = SimAgreement("a", "omr", 3, JOIN, purpose=("kostnad", "kvalitet"), effects={"Q1": 7.0})
    return calibration_world(seed, {"omr": KPIS}, [agreement], years=range(2008, 2024)).inputs


def _from(inputs: EffectInputs, first_year: dict[str, int]) -> EffectInputs:
    values = inputs.values
    late = pd.Series(False, index=values.index)
    for kpi, year in first_year.items():
        late |= (values["kpi_id"] == kpi) & (values["year"].astype(int) < year)
    return dataclasses.replace(inputs, values=values[~late].reset_index(drop=True))


def _q1(inputs: EffectInputs) -> pd.DataFrame:
    estimates = run_models(inputs, EffectsConfig()).estimates
    rows = estimates[estimates["kpi_id"] == "Q1"]
    return rows.set_index(["municipality_id", "method"]).sort_index()


def test_a_kpi_starting_three_years_before_joining_is_estimated_by_every_method():
    # Q1 from 2014: three pre-years with values, so the year before joining stays in the pre-period
    # (it is left out only while three years with values remain), and every method has an estimate.
    rows = _q1(_from(_world(), {"Q1": 2014}))
    assert (rows["pre_years"] == 3).all(), rows["pre_years"]
    flags = rows["flags"].fillna("")
    assert not flags.str.contains("kort_forperiod|for_fa_placebo").any(), flags
    assert np.isfinite(rows[["effect", "ci_low", "ci_high", "p_value"]].to_numpy(dtype=float)).all()
    primary = rows.loc[("total", "synthetic_did")]
    assert primary["ci_low"] <= 7.0 <= primary["ci_high"]


def test_the_years_of_other_kpis_change_nothing():
    world = _world()
    alone = _q1(_from(world, {"Q1": 2014, "K1": 2014, POPULATION_KPI: 2014}))  # only Q1's years
    beside = _q1(_from(world, {"Q1": 2014}))  # K1 and population: six years more
    assert len(alone) == len(beside) > 0
    pd.testing.assert_frame_equal(alone[COLUMNS], beside[COLUMNS], check_exact=False, rtol=1e-9)


def _late_member(inputs: EffectInputs, count: int) -> tuple[EffectInputs, list[str]]:
    """The first `count` members of the cooperation have Q1 values only from joining on (no pre-period)."""
    late = sorted(inputs.members["municipality_id"])[:count]
    values = inputs.values
    cut = (
        values["kpi_id"].eq("Q1") & values["municipality_id"].isin(late) & (values["year"].astype(int) < JOIN)
    )
    return dataclasses.replace(inputs, values=values[~cut].reset_index(drop=True)), late


def test_a_total_is_built_from_the_members_with_a_pre_period_when_one_has_none():
    # As Aneby and Eksjö in Höglandets överförmyndarnämnd: their pre-period was an earlier nämnd.
    inputs, late = _late_member(_world(), 1)
    rows = _q1(inputs)
    member = rows.loc[(late[0], "synthetic_did")]
    assert np.isnan(member["effect"]) and "kort_forperiod" in member["flags"]
    total = rows.loc[("total", "synthetic_did")]
    assert "helhet_utan_alla_medlemmar" in total["flags"].split(",")
    assert np.isfinite(total[["effect", "ci_low", "ci_high", "p_value"]].to_numpy(dtype=float)).all()
    assert total["ci_low"] <= 7.0 <= total["ci_high"]
    complete = _q1(_world()).loc[("total", "synthetic_did")]
    assert "helhet_utan_alla_medlemmar" not in complete["flags"].split(",")
    # The verdict says whose total it is.
    reasons = run_models(inputs, EffectsConfig()).verdicts.set_index("dimension").loc["kvalitet", "reasons"]
    assert "räknat på de medlemmar som har en egen förperiod" in reasons


def test_no_total_from_fewer_than_two_members_or_under_half():
    inputs, _ = _late_member(_world(), 2)  # one of three members left
    total = _q1(inputs).loc[("total", "synthetic_did")]
    assert np.isnan(total["effect"]) and "helhet_utan_alla_medlemmar" not in total["flags"]
