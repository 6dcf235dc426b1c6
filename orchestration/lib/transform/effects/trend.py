"""A linear trend of the row's own: which estimate a row reports, and how sure it is.

Decided once per unit on the primary method's fit, and applied to every method's row of that unit:

- `egen_trend`: the unit's own slope (relative to donors fitted on detrended series, so they cannot
  mimic it; one line through the gap before and after joining) is unusual among the placebos' slopes
  at [inference.own_trend_alpha]. Every method then reports its trend-robust estimate (the step at
  joining in that line), with the placebos run through the same estimator, so a direction can be
  judged on it alone and the robustness checks compare like with like. Only with at least
  [inference.own_trend_min_pre_years] pre-years: with fewer, such a unit is taken as leaning (below);
- leaning towards a trend (the shift between the plain and the trend-robust estimate is unusual among
  the placebos' at [inference.trend_alpha]): the primary method reports the plain estimate with the
  union of both intervals and the larger p-value (an intersection-union test);
- otherwise the plain estimate.

The chart and its band show the counterfactual the reported estimate compares with (charted), so the
gap drawn after joining averages to the effect stated beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.estimate import MethodFit
from orchestration.lib.transform.effects.inference import Inferred, infer, permutation_p

OWN_TREND, LEANING, PLAIN = "egen_trend", "lutar_mot_trend", "utan_trend"


@dataclass(frozen=True)
class Reported:
    """What a row reports: its effect, inference, flags, and whether it is the trend-robust estimate
    (then its pre-period fit is judged around the line, and the plain pre-trend tests do not apply:
    they test for the very trend now allowed for)."""

    effect: float
    inferred: Inferred
    flags: tuple[str, ...]
    robust: bool = False


def regime(primary: MethodFit, pre_years: int, cfg: EffectsConfig) -> str:
    """Which of the three cases (module docstring) the unit is in, from its primary method's fit and
    its number of pre-years."""
    if not cfg.inference.trend_test or primary.trend_shift is None:
        return PLAIN
    slope = primary.trend_slope
    if slope is not None and permutation_p(float(slope[0]), slope[1:]) <= cfg.inference.own_trend_alpha:
        # A line through three pre-years carried four years on is not a counterfactual: on Kolada's
        # U37009 it put members' costs below zero (an effect of +13 000 kr on a level of 7 000). With too
        # few pre-years the unit is held to its effect with and without a trend of its own (the union).
        return OWN_TREND if pre_years >= cfg.inference.own_trend_min_pre_years else LEANING
    if permutation_p(float(primary.trend_shift[0]), primary.trend_shift[1:]) <= cfg.inference.trend_alpha:
        return LEANING
    return PLAIN


def reported(fit: MethodFit, case: str, primary: bool, cfg: EffectsConfig) -> Reported:
    """A method's effect and inference in the unit's case."""
    conf, power = cfg.inference.confidence, cfg.inference.power
    plain = infer(float(fit.effects[0]), fit.effects[1:], conf, power)
    if fit.trend_shift is None or case == PLAIN or (case == LEANING and not primary):
        return Reported(float(fit.effects[0]), plain, ())
    adjusted = fit.effects - fit.trend_shift
    robust = infer(float(adjusted[0]), adjusted[1:], conf, power)
    if case == OWN_TREND:
        return Reported(float(adjusted[0]), robust, ("egen_trend",), robust=True)
    sensitive = _trend_sensitive(float(fit.effects[0]), float(adjusted[0]), plain, robust, cfg)
    return Reported(float(fit.effects[0]), either_assumption(plain, robust), sensitive)


def tested(fit: MethodFit, case: str) -> tuple[np.ndarray, ...]:
    """The primary method's statistics (treated first, then the placebos) that its p-value is taken
    from in the unit's case, as `reported` takes it: where there are two, the larger p of the two."""
    if fit.trend_shift is None or case == PLAIN:
        return (fit.effects,)
    adjusted = fit.effects - fit.trend_shift
    return (adjusted,) if case == OWN_TREND else (fit.effects, adjusted)


def charted(fit: MethodFit, case: str) -> MethodFit:
    """The fit as the chart draws it in the unit's case: with its own trend (egen_trend, where every
    method reports its trend-robust estimate) the counterfactual and the placebos' gaps are the
    trend-robust ones, the donors' mix plus the row's own line (sdid.trend_robust)."""
    if case != OWN_TREND or fit.trend_counterfactual is None:
        return fit
    return replace(fit, counterfactual=fit.trend_counterfactual, placebo_gaps=fit.trend_placebo_gaps)


def either_assumption(plain: Inferred, robust: Inferred) -> Inferred:
    """Holds if the member either follows its donors or has a linear trend of its own: the union of the
    intervals, and the larger p-value (an intersection-union test, valid without correction)."""
    if not math.isfinite(robust.ci_low) or not math.isfinite(plain.ci_low):
        return plain
    return Inferred(
        p_value=max(plain.p_value, robust.p_value),
        ci_low=min(plain.ci_low, robust.ci_low),
        ci_high=max(plain.ci_high, robust.ci_high),
        mde=max(plain.mde, robust.mde),
        n_placebos=plain.n_placebos,
    )


def _trend_sensitive(
    effect: float, adjusted: float, plain: Inferred, robust: Inferred, cfg: EffectsConfig
) -> tuple[str, ...]:
    """The estimate alone is significant, but not once a linear trend of the row's own is allowed for."""
    if plain.p_value > cfg.verdicts.alpha:
        return ()
    return ("trendkanslig",) if adjusted * effect <= 0 or robust.p_value > cfg.verdicts.alpha else ()
