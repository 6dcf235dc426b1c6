"""Synthetic difference-in-differences (Arkhangelsky et al. 2021) for a treated series and its placebos.

Unit weights with an intercept and a ridge penalty ζ make the donors follow the treated unit's
movements (not its level, so a member outside the donors' range is no problem) without resting on a
few donors that happen to fit the noise; time weights pick the pre-years that resemble the
post-period; the effect is the weighted difference in differences. The ridge keeps a noisy pre-period
from being fitted perfectly, which is what makes plain synthetic control overconfident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

from orchestration.lib.transform.effects.ridge_weights import ridge_weights

# Weight of the extra row that pins the weights' sum to one, next to unit-scaled data.
_SUM_PENALTY = 1e3
# Time weights get only a tiny ridge (the paper's 1e-6 σ), enough to make the solution unique.
_TIME_RIDGE = 1e-6


@dataclass(frozen=True)
class SdidFit:
    """Per row of the batch (treated first, then placebos)."""

    effect: np.ndarray  # (p,)
    pre_rmspe: np.ndarray  # (p,) RMSE of the pre-period gap around its intercept
    counterfactual: np.ndarray  # (p, T)
    weights: np.ndarray  # (p, n) unit weights
    time_weights: np.ndarray  # (T,) over the pre-years, zero elsewhere
    pre_slope: np.ndarray  # (p,) OLS slope per year of the pre-period gap: a trend of the row's own


def noise_level(pool: np.ndarray, pre: np.ndarray) -> float:
    """σ: the spread of the donors' year-to-year changes before joining."""
    diffs = np.diff(pool[:, pre], axis=1)
    return float(diffs.std()) if diffs.size > 1 else 0.0


def simplex_ridge(a: np.ndarray, b: np.ndarray, ridge: float) -> np.ndarray:
    """w ≥ 0, Σw = 1 minimising ||a @ w - b||² + ridge ||w||² (a: rows × units)."""
    scale = float(np.abs(a).max()) or 1.0
    n = a.shape[1]
    rows = [a / scale, np.sqrt(max(ridge, 0.0)) / scale * np.eye(n), np.full((1, n), _SUM_PENALTY)]
    target = np.concatenate([b / scale, np.zeros(n), [_SUM_PENALTY]])
    w, _ = nnls(np.vstack(rows), target, maxiter=50 * n)
    total = w.sum()
    return w / total if total > 0 else np.full(n, 1.0 / n)


def unit_weights(x_dm: np.ndarray, y_dm: np.ndarray, keep: np.ndarray, ridge: float) -> np.ndarray:
    """simplex_ridge's weights for every row (rows × units): all rows at once where the dual method
    settles (ridge_weights, the same weights many times faster), any other row one at a time."""
    weights = np.zeros(keep.shape)
    settled = np.zeros(len(keep), dtype=bool)
    if ridge > 0 and np.isfinite(x_dm).all() and np.isfinite(y_dm).all():
        weights, settled = ridge_weights(x_dm.T, y_dm, keep, ridge, _SUM_PENALTY)
    for r in np.flatnonzero(~settled):
        cols = np.flatnonzero(keep[r])
        weights[r] = 0.0
        weights[r, cols] = simplex_ridge(x_dm[cols].T, y_dm[r], ridge)
    return weights


def time_weights(pool: np.ndarray, pre: np.ndarray, post: np.ndarray, sigma: float) -> np.ndarray:
    """λ over the pre-years with an intercept: the donors' pre-years that predict their post mean."""
    x = pool[:, pre]
    y = pool[:, post].mean(axis=1)
    x_c = x - x.mean(axis=0)
    y_c = y - y.mean()
    lam = simplex_ridge(x_c, y_c, (_TIME_RIDGE * sigma) ** 2 * len(pool))
    out = np.zeros(pool.shape[1])
    out[pre] = lam
    return out


def synthetic_did(
    treated: np.ndarray, pool: np.ndarray, pre: np.ndarray, post: np.ndarray, exclude: np.ndarray
) -> SdidFit:
    """Fit each row of `treated` (p × T) on the pool (n × T) minus the units `exclude` (p × n) marks."""
    n_pre = int(pre.sum())
    sigma = noise_level(pool, pre)
    zeta2 = np.sqrt(float(post.sum())) * sigma**2  # ζ = (N_tr · T_post)^¼ σ, one treated series
    lam = time_weights(pool, pre, post, sigma)
    x_dm = pool[:, pre] - pool[:, pre].mean(axis=1, keepdims=True)
    y_dm = treated[:, pre] - treated[:, pre].mean(axis=1, keepdims=True)
    weights = unit_weights(x_dm, y_dm, ~exclude, zeta2 * n_pre)
    synth = weights @ pool
    # The intercept that makes the time-weighted pre-period gap zero: the DiD's "before". Only the
    # pre-years: a KPI's panel has years outside its own window (another KPI's years, NaN for the donors),
    # and a NaN there times its zero weight would make every effect NaN.
    offset = (treated[:, pre] - synth[:, pre]) @ lam[pre]
    counterfactual = synth + offset[:, None]
    gap = treated - counterfactual
    intercept_gap = gap[:, pre] - gap[:, pre].mean(axis=1, keepdims=True)
    return SdidFit(
        effect=gap[:, post].mean(axis=1),
        pre_rmspe=np.sqrt((intercept_gap**2).mean(axis=1)),
        counterfactual=counterfactual,
        weights=weights,
        time_weights=lam,
        pre_slope=gap_slope(gap, pre),
    )


def gap_slope(gap: np.ndarray, pre: np.ndarray) -> np.ndarray:
    """Each row's least-squares slope of the gap over the pre-years (per year).

    A member drifting away from its donors shows as a slope in the gap; compared with the placebos'
    slopes it is the most sensitive test of a linear trend of its own, using every pre-year.
    """
    t = np.flatnonzero(pre).astype(float)
    t -= t.mean()
    denom = float((t**2).sum())
    if denom <= 0:
        return np.full(gap.shape[0], np.nan)
    return (gap[:, pre] - gap[:, pre].mean(axis=1, keepdims=True)) @ t / denom


def in_time_window(pre: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """A pretend joining inside the pre-period: its later half (≥ 1 year) as post, ≥ 2 years before.

    Half, not a year or two: a member drifting away from its donors shows most clearly over years.
    """
    idx = np.flatnonzero(pre)
    n_post = max(1, len(idx) // 2)
    if len(idx) - n_post < 2:
        return None
    fake_pre = np.zeros_like(pre)
    fake_post = np.zeros_like(pre)
    fake_pre[idx[:-n_post]] = True
    fake_post[idx[-n_post:]] = True
    return fake_pre, fake_post


def trend_line(gap: np.ndarray, pre: np.ndarray, post: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each row's step at joining, slope per year, and the pre-years' RMSE around one line through the
    pre- and post-years (the fit of the trend-robust estimate, as pre_rmspe is the plain one's).

    A member with a linear trend of its own (relative to its donors) has a gap that is a line before
    and after joining; the effect is the jump between the two. The slope is estimated from every year,
    not only the pre-years, so extrapolating it does not multiply the noise of a few pre-years by the
    distance to the post-period. A step is what it estimates: an effect that keeps growing after
    joining is partly taken for the trend, which makes it cautious, not bolder.
    """
    coef, design, used = _line_fit(gap, pre, post)
    resid = gap[:, used] - (design @ coef).T
    return coef[2], coef[1], np.sqrt((resid[:, pre[used]] ** 2).mean(axis=1))


def own_line(gap: np.ndarray, pre: np.ndarray, post: np.ndarray) -> np.ndarray:
    """Each row's line of trend_line without its step at joining, over every year: the row's own trend,
    which the trend-robust counterfactual adds to its donors'. The gap around it then averages to the
    step after joining (the post-years' residuals sum to zero, the step being one of the regressors)."""
    coef, _, used = _line_fit(gap, pre, post)
    t_all = np.arange(gap.shape[1], dtype=float) - np.flatnonzero(used).mean()
    return coef[0][:, None] + coef[1][:, None] * t_all[None]


def _line_fit(gap: np.ndarray, pre: np.ndarray, post: np.ndarray) -> tuple[np.ndarray, ...]:
    # Intercept, slope per year (centred on the years used) and the step at joining, by least squares.
    used = pre | post
    t = np.flatnonzero(used).astype(float)
    design = np.column_stack([np.ones_like(t), t - t.mean(), post[used].astype(float)])
    coef, *_ = np.linalg.lstsq(design, gap[:, used].T, rcond=None)
    return coef, design, used


def trend_robust(
    y: np.ndarray, x: np.ndarray, pre: np.ndarray, post: np.ndarray, exclude: np.ndarray, method: Callable
) -> tuple[np.ndarray, ...]:
    """Every row's effect allowing a linear trend of its own, and that trend: donor weights fitted on
    detrended series (so they cannot mimic the member's trend), then trend_line through the raw gap;
    last, the counterfactual it compares with: the donors' mix plus the row's own line."""
    weights = method(detrend(y, pre), detrend(x, pre), pre, post, exclude).weights
    synth = weights @ x
    return (*trend_line(y - synth, pre, post), synth + own_line(y - synth, pre, post))


def detrend(series: np.ndarray, pre: np.ndarray) -> np.ndarray:
    """Each row minus its own pre-period least-squares line, extended over every year."""
    t_all = np.arange(series.shape[1], dtype=float)
    t_c = t_all - t_all[pre].mean()
    slope = gap_slope(series, pre)
    return series - slope[:, None] * t_c[None]
