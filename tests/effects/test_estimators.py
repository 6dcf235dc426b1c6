"""The building blocks on hand-made arrays: weights, fits, permutation inference, windows, joint reporting."""

import math

import numpy as np
import pandas as pd
import pytest

from orchestration.lib.effects.config import Estimation
from orchestration.lib.effects.did import diff_in_diff, nearest
from orchestration.lib.effects.inference import critical_value, infer, permutation_p
from orchestration.lib.effects.panel import build_panels, calendar_window, joint_reporting, weighted_series
from orchestration.lib.effects.synth import simplex_weights, synthetic_control

YEARS = np.arange(2010, 2020)


def test_simplex_weights_recover_a_convex_mix():
    rng = np.random.default_rng(0)
    donors = rng.normal(size=(8, 12))
    truth = np.zeros(12)
    truth[[2, 5, 9]] = [0.5, 0.3, 0.2]
    w = simplex_weights(donors @ truth, donors)
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(w, truth, atol=1e-4)


def test_simplex_weights_stay_on_the_simplex_when_no_mix_fits():
    donors = np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]])
    w = simplex_weights(np.array([10.0, 20.0, 30.0]), donors)
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0)


def test_synthetic_control_measures_a_shift_after_joining():
    rng = np.random.default_rng(1)
    pool = rng.normal(100, 5, size=(15, len(YEARS))).cumsum(axis=1)
    treated = 0.6 * pool[3] + 0.4 * pool[7] + 25.0  # another level, the same movements
    pre, post = YEARS < 2015, YEARS > 2015
    treated = np.where(post, treated - 8.0, treated)
    fit = synthetic_control(treated[None], pool, pre, post, np.zeros((1, 15), dtype=bool))
    assert fit.effect[0] == pytest.approx(-8.0, abs=1e-3)
    assert fit.pre_rmspe[0] == pytest.approx(0.0, abs=1e-3)
    assert fit.weights[0].sum() == pytest.approx(1.0)


def test_excluded_donors_get_no_weight():
    rng = np.random.default_rng(2)
    pool = rng.normal(size=(6, len(YEARS)))
    exclude = np.zeros((6, 6), dtype=bool)
    np.fill_diagonal(exclude, True)
    fit = synthetic_control(pool, pool, YEARS < 2015, YEARS > 2015, exclude)
    assert np.diag(fit.weights).max() == 0.0
    assert fit.pre_rmspe.min() > 0  # no placebo may copy itself


def test_permutation_p_and_interval_agree():
    placebo = np.linspace(-10, 10, 40)
    crit = critical_value(placebo, 0.95)
    assert crit == pytest.approx(np.sort(np.abs(placebo))[-2])  # r = 2 when n = 40 and α = 0.05
    for effect in [-12.0, -9.8, 0.5, 9.6, 9.9, 30.0]:
        inferred = infer(effect, placebo, 0.95, 0.8)
        zero_inside = inferred.ci_low <= 0 <= inferred.ci_high
        assert zero_inside == (inferred.p_value > 0.05), effect
    assert permutation_p(100.0, placebo) == pytest.approx(1 / 41)
    assert permutation_p(0.0, placebo) == 1.0


def test_too_few_placebos_give_no_interval():
    inferred = infer(3.0, np.array([1.0, -1.0, 2.0]), 0.95, 0.8)
    assert math.isnan(inferred.ci_low) and math.isnan(inferred.mde)
    assert inferred.p_value == pytest.approx(1 / 4)


def test_mde_grows_with_placebo_spread():
    rng = np.random.default_rng(3)
    calm, noisy = rng.normal(0, 1, 40), rng.normal(0, 5, 40)
    assert infer(0.0, noisy, 0.95, 0.8).mde > 4 * infer(0.0, calm, 0.95, 0.8).mde


def test_diff_in_diff_and_pre_trend_slope():
    comparison = np.linspace(50, 59, len(YEARS))[None]
    treated = comparison + 3.0 + np.where(YEARS > 2015, 4.0, 0.0)
    fit = diff_in_diff(treated, comparison, YEARS, YEARS < 2015, YEARS > 2015)
    assert fit.effect[0] == pytest.approx(4.0)
    assert fit.slope[0] == pytest.approx(0.0)
    trending = comparison + 0.5 * (YEARS - 2010)
    assert diff_in_diff(trending, comparison, YEARS, YEARS < 2015, YEARS > 2015).slope[0] == pytest.approx(
        0.5
    )


def test_nearest_leaves_out_excluded_units():
    candidates = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0], [0.1, 0.0]])
    exclude = np.array([[False, False, False, True]])
    assert set(nearest(np.zeros((1, 2)), candidates, 2, exclude)[0]) == {0, 1}


def test_window_leaves_out_joining_year_and_respects_leaving():
    w = calendar_window(YEARS, 2014, 2018, None, 2019, Estimation())
    assert list(YEARS[w.pre]) == [2010, 2011, 2012]  # 2013, the year before joining, too (anticipation)
    assert list(YEARS[w.post]) == [2015, 2016, 2017]
    assert w.flags == ()


def test_window_never_crosses_a_method_break():
    before = calendar_window(YEARS, 2014, None, 2017, 2019, Estimation())
    assert list(YEARS[before.post]) == [2015, 2016] and before.cut_by_break
    after = calendar_window(YEARS, 2018, None, 2016, 2019, Estimation())
    assert list(YEARS[after.pre]) == [2016, 2017] and "metodbrott_fonster_kortat" in after.flags


def test_preliminary_year_is_flagged_or_left_out():
    flagged = calendar_window(YEARS, 2014, None, None, 2019, Estimation())
    assert 2019 in YEARS[flagged.post] and "preliminart_ar" in flagged.flags
    left_out = calendar_window(YEARS, 2014, None, None, 2019, Estimation(preliminary_latest_year="exclude"))
    assert 2019 not in YEARS[left_out.post] and "preliminart_ar_utelamnat" in left_out.flags
    assert calendar_window(YEARS, 2014, None, None, 2019, Estimation(max_pre_years=2)).pre.sum() == 2


def test_the_year_before_joining_is_left_out_while_enough_pre_years_remain():
    cfg = Estimation(anticipation_years=1)
    w = calendar_window(YEARS, 2015, None, None, 2019, cfg)
    assert list(YEARS[w.pre]) == [2010, 2011, 2012, 2013]
    short = calendar_window(YEARS, 2013, None, None, 2019, cfg)  # only 2010-2012: all are kept
    assert list(YEARS[short.pre]) == [2010, 2011, 2012]
    off = calendar_window(YEARS, 2015, None, None, 2019, Estimation(anticipation_years=0))
    assert list(YEARS[off.pre]) == [2010, 2011, 2012, 2013, 2014]


def test_joint_reporting_is_told_apart():
    own = np.array([[1.0, 2.0, 3.0, 3.0], [4.0, 5.0, 6.0, 6.5]])
    years = np.array([2016, 2017, 2018, 2019])
    assert joint_reporting(np.vstack([own[0], own[0]]), years, 2018) == "always"
    assert joint_reporting(np.array([[1.0, 2.0, 7.0, 8.0], [4.0, 5.0, 7.0, 8.0]]), years, 2018) == "post"
    assert joint_reporting(own, years, 2018) is None
    assert joint_reporting(own[:1], years, 2018) is None


def test_panels_skip_riket_and_regions_and_fill_population():
    values = pd.DataFrame({
        "kpi_id": ["N01951", "N01951", "K", "K", "K"],
        "municipality_id": ["0114", "0114", "0114", "0000", "0001"],
        "year": [2020, 2022, 2021, 2021, 2021],
        "value": [100.0, 110.0, 5.0, 6.0, 7.0],
    })  # fmt: skip
    panels = build_panels(values, "N01951")
    assert list(panels.ids) == ["0114"]
    assert list(panels.population[0]) == [100.0, 100.0, 110.0]
    assert weighted_series(np.array([[1.0, np.nan], [3.0, 4.0]]), np.array([[1.0, 1.0], [3.0, 3.0]]))[
        0
    ] == pytest.approx(2.5)
