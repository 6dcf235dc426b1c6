"""Synthetic DiD, event-time totals and the cyclic placebo groups, on exact cases and simulated panels."""

import numpy as np
import pytest

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.transform.effects.aggregate import combine
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.model import run_models
from orchestration.lib.transform.effects.sdid import (
    detrend,
    gap_slope,
    in_time_window,
    simplex_ridge,
    synthetic_did,
    trend_line,
)

YEARS = np.arange(2010, 2020)
PRE, POST = YEARS < 2015, YEARS > 2015


def test_sdid_finds_a_shift_for_a_unit_far_above_every_donor():
    rng = np.random.default_rng(0)
    pool = 100 + np.cumsum(rng.normal(0, 1, (30, len(YEARS))), axis=1) + rng.normal(0, 5, (30, 1))
    treated = pool[:5].mean(axis=0) + 500.0  # the donors' movements, at a level no mix of them reaches
    treated = treated - 20.0 * POST
    fit = synthetic_did(treated[None], pool, PRE, POST, np.zeros((1, 30), dtype=bool))
    assert abs(fit.effect[0] + 20.0) < 1.5
    assert abs(fit.weights[0].sum() - 1) < 1e-6 and (fit.weights[0] >= 0).all()
    assert abs(fit.time_weights.sum() - 1) < 1e-6 and (fit.time_weights[~PRE] == 0).all()


def test_the_ridge_spreads_the_weights():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(6, 20)), rng.normal(size=6)
    tight, ridged = simplex_ridge(a, b, 0.0), simplex_ridge(a, b, 50.0)
    assert (ridged > 1e-6).sum() > (tight > 1e-6).sum()


def test_in_time_window_takes_the_later_half_of_the_pre_period():
    fake_pre, fake_post = in_time_window(PRE)
    assert list(YEARS[fake_pre]) == [2010, 2011, 2012] and list(YEARS[fake_post]) == [2013, 2014]
    assert in_time_window(YEARS < 2012) is None  # two pre-years leave no pretend pre-period


def test_detrend_removes_each_rows_own_pre_trend_and_extends_it():
    rows = np.vstack([3.0 * np.arange(len(YEARS)), 5.0 + 0 * YEARS, 2.0 * np.arange(len(YEARS)) + 7.0 * POST])
    assert gap_slope(rows, PRE) == pytest.approx([3.0, 0.0, 2.0])
    flat = detrend(rows, PRE)
    assert np.ptp(flat[0]) == pytest.approx(0.0, abs=1e-9)
    assert flat[2][POST] - flat[2][PRE].mean() == pytest.approx(np.full(POST.sum(), 7.0))  # the shift stays


def test_a_member_drifting_from_its_donors_gets_no_significant_effect_and_a_steady_one_is_untouched():
    # The donor weights hide a member's own trend inside the pre-period, so the plain estimate takes
    # 3 % of the level per year for an effect. The member's own slope is unusual among the placebos',
    # so the row reports the trend-robust estimate (egen_trend): not significant, its interval covers
    # the true zero. Without a trend the flag is rare (a test at [inference.own_trend_alpha]).
    kpis = {"omr": [SimKpi("K1", base=1000.0)]}
    flagged: dict[float, list[bool]] = {0.0: [], 30.0: []}
    for seed in range(6):
        for drift in flagged:
            agreement = SimAgreement("a", "omr", 1, 2017, pretrend={"K1": drift})
            e = run_models(calibration_world(seed, kpis, [agreement]).inputs, EffectsConfig()).estimates
            row = e.query("method == 'synthetic_did' and municipality_id != 'total'").iloc[0]
            honest = row["p_value"] > EffectsConfig().verdicts.alpha and row["ci_low"] <= 0 <= row["ci_high"]
            flagged[drift].append("egen_trend" in row["flags"] and bool(honest))
    assert sum(flagged[30.0]) >= 5 and sum(flagged[0.0]) <= 1, flagged


def test_trend_line_finds_the_jump_in_a_line_through_both_periods():
    line = 2.0 * np.arange(len(YEARS), dtype=float)
    gaps = np.vstack([line + 7.0 * POST, 4.0 + 0 * line, -3.0 * POST])
    step, slope, pre_rmse = trend_line(gaps, PRE, POST)
    assert step == pytest.approx([7.0, 0.0, -3.0])
    assert slope == pytest.approx([2.0, 0.0, 0.0])
    assert pre_rmse == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)


def test_cyclic_placebo_groups_use_every_placebo_of_every_member_once():
    a = np.array([10.0, *range(100, 110)])
    b = np.array([20.0, *range(200, 210)])
    out = combine([a, b], np.array([0.5, 0.5]))
    assert out[0] == 15.0
    second = (out[1:] - 0.5 * np.arange(100, 110)) * 2  # member b's placebos, shifted by half
    assert sorted(second.round(6)) == list(range(200, 210))
    assert second[0] == 205


def test_staggered_joining_does_not_shrink_the_total():
    kpis = {"omr": [SimKpi("K1", base=1000.0)]}
    totals = []
    for seed in range(8):
        agreement = SimAgreement("a", "omr", 3, 2015, effects={"K1": -100.0}, stagger=3)
        e = run_models(calibration_world(seed, kpis, [agreement]).inputs, EffectsConfig()).estimates
        row = e.query("municipality_id == 'total' and method == 'synthetic_did'")
        totals.append(float(row["effect"].iloc[0]))
    assert -120.0 <= np.mean(totals) <= -80.0, totals
