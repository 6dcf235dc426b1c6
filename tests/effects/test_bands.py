"""The uncertainty band around the counterfactual: the placebos' spread per year, as the interval is found."""

import numpy as np
import pandas as pd
import pytest

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import run_models

KEY = ["agreement_id", "municipality_id", "kpi_id", "method", "year"]


@pytest.fixture(scope="module")
def tables():
    kpis = {"omr": [SimKpi("K1", base=1000.0)]}
    agreement = SimAgreement("a", "omr", 3, 2016, effects={"K1": -150.0})
    return run_models(calibration_world(3, kpis, [agreement]).inputs, EffectsConfig())


def test_every_series_year_has_a_band_around_its_counterfactual(tables):
    bands, series = tables.bands, tables.series
    assert not bands.duplicated(KEY).any()
    joined = series.merge(bands, on=KEY, suffixes=("", "_band"), validate="one_to_one")
    assert len(joined) == len(series) and len(series) > 0
    # The band's centre is the very counterfactual the chart draws, members and the whole alike.
    assert np.allclose(joined["counterfactual"], joined["counterfactual_band"])
    assert (joined["period"] == joined["period_band"]).all()
    assert {
        "total",
        *tables.estimates.query("municipality_id not in ('total', 'ovriga')")["municipality_id"],
    } == set(bands["municipality_id"])
    assert (bands["band_low"] <= bands["counterfactual"]).all() and (
        bands["counterfactual"] <= bands["band_high"]
    ).all()
    assert (bands["band_high"] > bands["band_low"]).all() and (bands["confidence"] == 0.95).all()
    assert set(bands["method"]) == {"synthetic_did", "synthetic_control", "diff_in_diff"}


def test_band_is_symmetric_and_rests_on_as_many_placebos_as_the_interval(tables):
    sdid = tables.bands.query("method == 'synthetic_did' and municipality_id != 'total'")
    row = tables.estimates.query(
        "method == 'synthetic_did' and municipality_id == @sdid.municipality_id.iloc[0]"
    )
    # Same number of placebos as the interval, and the same rule: n placebos, 95 %, the r-th largest |gap|.
    assert (sdid["n_placebos"] == int(row["n_placebos"].iloc[0])).all()
    half = (sdid["band_high"] - sdid["band_low"]) / 2
    assert np.allclose(half, sdid["band_high"] - sdid["counterfactual"])
    # Noise of 3 % on a level of 1000: a band of some tens, not zero and not the whole axis.
    assert 5.0 < float(half.median()) < 300.0, half.describe()


def test_a_real_effect_leaves_the_band_after_joining_but_not_before(tables):
    total = tables.series.query("method == 'synthetic_did' and municipality_id == 'total'").merge(
        tables.bands, on=KEY, suffixes=("", "_band")
    )
    outside = (total["observed"] < total["band_low"]) | (total["observed"] > total["band_high"])
    pre, post = total["period"] == "pre", total["period"] == "post"
    assert outside[post].mean() > 0.5, total[["year", "observed", "band_low", "band_high"]]
    assert outside[pre].mean() < 0.25, total[["year", "observed", "band_low", "band_high"]]


@pytest.fixture(scope="module")
def trending():
    # Members drifting 3 % of the level a year away from their donors, then an effect of -100.
    kpis = {"omr": [SimKpi("K1", base=1000.0)]}
    agreement = SimAgreement("a", "omr", 3, 2016, effects={"K1": -100.0}, pretrend={"K1": 30.0})
    return run_models(calibration_world(0, kpis, [agreement]).inputs, EffectsConfig())


def test_with_an_own_trend_the_chart_gap_after_joining_averages_to_the_reported_effect(trending):
    # Every row reports its trend-robust estimate (egen_trend), so the chart and its band must show the
    # counterfactual that estimate compares with (the donors' mix plus the member's own line), or a
    # kommunstyrelse sees a gap that is not the effect stated beside it.
    rows = trending.estimates.query("municipality_id != 'ovriga'")
    assert len(rows) == 12 and rows["flags"].str.contains("egen_trend").all(), rows["flags"]
    post = trending.series.query("period == 'post'")
    gap = post["observed"] - post["counterfactual"]
    shown = gap.groupby([post["municipality_id"], post["method"]]).mean()
    reported = rows.set_index(["municipality_id", "method"])["effect"]
    shown = shown.loc[reported.index]
    assert np.allclose(shown, reported, rtol=1e-9, atol=1e-6), pd.concat([shown, reported], axis=1)
    joined = trending.series.merge(trending.bands, on=KEY, suffixes=("", "_band"), validate="one_to_one")
    assert len(joined) == len(trending.series)
    assert np.allclose(joined["counterfactual"], joined["counterfactual_band"])


def test_the_verdict_says_an_own_trend_effect_is_beyond_that_trend(trending, tables):
    reasons = " ".join(trending.verdicts["reasons"]) + " ".join(trending.member_verdicts["reasons"])
    assert "mot kontrollen utöver medlemmarnas egen trend" in reasons
    assert "mot kontrollen utöver kommunens egen trend" in reasons
    assert "egen trend" not in " ".join(tables.verdicts["reasons"]), tables.verdicts["reasons"]
