"""Synthetic control with an intercept, fitted for a treated series and its placebos in one pass."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

# Weight of the extra row that makes the NNLS weights sum to one; large next to the unit-scaled data.
_SUM_PENALTY = 1e3


@dataclass(frozen=True)
class Fit:
    """Per row of the batch: the effect (mean post gap), pre-period RMSPE and the counterfactual."""

    effect: np.ndarray  # (p,)
    pre_rmspe: np.ndarray  # (p,)
    counterfactual: np.ndarray  # (p, T)
    weights: np.ndarray  # (p, n)


def simplex_weights(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Weights w ≥ 0 with sum 1 minimising ||target - donors @ w|| (donors: years × units)."""
    a, b = _augment(donors[None], target[None])
    return _solve(a[0], b[0])


def _augment(donors: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Unit scale first, so the one extra row of weight _SUM_PENALTY pins sum(w) to 1 for any KPI.
    scale = float(np.abs(donors).max()) or 1.0
    a = np.concatenate([donors / scale, np.full((*donors.shape[:-2], 1, donors.shape[-1]), _SUM_PENALTY)], -2)
    b = np.concatenate([targets / scale, np.full((*targets.shape[:-1], 1), _SUM_PENALTY)], -1)
    return a, b


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    w, _ = nnls(a, b, maxiter=50 * a.shape[1])
    total = w.sum()
    return w / total if total > 0 else np.full(a.shape[1], 1.0 / a.shape[1])


def synthetic_control(
    treated: np.ndarray, pool: np.ndarray, pre: np.ndarray, post: np.ndarray, exclude: np.ndarray
) -> Fit:
    """Fit each row of `treated` (p × T) on the pool (n × T) minus the units `exclude` (p × n) marks.

    The series are demeaned over the pre-period first (Doudchenko & Imbens 2016; Ferman & Pinto 2021):
    kommuner differ a lot in level, and a convex mix of donors need only follow the treated unit's
    movements, not its level. One augmented donor matrix serves the treated unit and every placebo.
    """
    y_mean = treated[:, pre].mean(axis=1)
    x_mean = pool[:, pre].mean(axis=1)
    y_dm = treated - y_mean[:, None]
    x_dm = pool - x_mean[:, None]
    a, b = _augment(x_dm[:, pre].T[None], y_dm[:, pre])
    weights = np.zeros((treated.shape[0], pool.shape[0]))
    for r, keep in enumerate(~exclude):
        cols = np.flatnonzero(keep)
        weights[r, cols] = _solve(a[0][:, cols], b[r])
    counterfactual = y_mean[:, None] + weights @ x_dm
    gap = treated - counterfactual
    return Fit(
        effect=gap[:, post].mean(axis=1),
        pre_rmspe=np.sqrt((gap[:, pre] ** 2).mean(axis=1)),
        counterfactual=counterfactual,
        weights=weights,
    )
