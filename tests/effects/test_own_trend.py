"""A trend of the row's own: judged on alone only with enough pre-years to draw it (trend.py)."""

import numpy as np

from orchestration.lib.transform.effects import trend
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.estimate import MethodFit

CFG = EffectsConfig()
PLACEBOS = np.linspace(-1.0, 1.0, 50)


def _fit() -> MethodFit:
    """A unit whose own slope is the most extreme of 51 (p = 1/51), with a plain estimate of 1 that no
    placebo reaches, and a trend-robust one (the step at joining beyond the slope) of 30."""
    effects = np.array([5.0, *PLACEBOS])
    return MethodFit(
        effects=effects,
        pre_rmspe=np.ones(51),
        counterfactual=np.zeros(8),
        n_units=50,
        slopes=None,
        flags=(),
        trend_shift=np.array([-25.0, *np.zeros(50)]),  # plain minus trend-robust
        trend_slope=np.array([9.0, *PLACEBOS]),
    )


def test_an_unusual_slope_is_judged_on_alone_only_from_the_least_number_of_pre_years():
    least = CFG.inference.own_trend_min_pre_years
    assert least == 4
    assert trend.regime(_fit(), least, CFG) == trend.OWN_TREND
    # Three pre-years: a line through them carried over the post-years is no counterfactual (on Kolada's
    # U37009 such lines put members' costs below zero); the unit is held to both assumptions instead.
    assert trend.regime(_fit(), least - 1, CFG) == trend.LEANING


def test_with_too_few_pre_years_the_primary_row_needs_its_effect_with_and_without_the_trend():
    fit = _fit()
    own = trend.reported(fit, trend.regime(fit, 4, CFG), primary=True, cfg=CFG)
    held = trend.reported(fit, trend.regime(fit, 3, CFG), primary=True, cfg=CFG)
    assert own.flags == ("egen_trend",) and own.effect == 30.0
    assert held.effect == 5.0 and "egen_trend" not in held.flags
    # The union of the two intervals and the larger p-value: each estimate alone is the most extreme of 51.
    assert held.inferred.ci_low <= min(own.inferred.ci_low, 5.0) and held.inferred.ci_high >= 30.0
    assert held.inferred.p_value == max(own.inferred.p_value, 1 / 51)
