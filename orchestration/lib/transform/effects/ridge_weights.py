"""SDID's unit weights for the treated series and every placebo at once, exactly, by the dual problem.

Each row r solves min ||a w - b_r||² + ridge ||w||² + (c_r (1ᵀw - 1))² over w ≥ 0, zero off its kept
donors, as sdid.simplex_ridge does one row at a time (its data scaled to unit size and a sum row of
weight _SUM_PENALTY; here the scale sits on the sum row's weight c_r, which gives the same minimiser).
With the ridge, w = max(0, A'ᵀs / ridge) for the residual s = b' - A'w of the problem's rows (the data
years and the sum row): T + 1 unknowns instead of one per donor. Newton's method on that piecewise
linear equation stops when the donors with positive weight no longer change; the residual then solves
its linear system exactly, so the weights are the same as simplex_ridge's (to about 1e-13, measured),
for every row in a few matrix products. A row that has not settled within MAX_STEPS is left to
simplex_ridge (`settled` False).
"""

from __future__ import annotations

import numpy as np

MAX_STEPS = 30


def ridge_weights(
    a: np.ndarray, targets: np.ndarray, keep: np.ndarray, ridge: float, sum_penalty: float
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (rows × donors, each row summing to 1 over its kept donors) and which rows settled.

    a: years × donors, targets: rows × years, keep: rows × donors.
    """
    years = a.shape[0]
    scale = np.where(keep, np.abs(a).max(axis=0), 0.0).max(axis=1)
    c = sum_penalty * np.where(scale > 0, scale, 1.0)
    pairs = (a[:, None, :] * a[None, :, :]).reshape(years * years, -1)  # each donor's a aᵀ, flattened
    rhs = np.concatenate([targets, c[:, None]], axis=1)
    residual, active = rhs, np.zeros_like(keep)
    for step in range(MAX_STEPS + 1):
        scores = (residual[:, :years] @ a + (c * residual[:, years])[:, None]) / ridge
        positive = (scores > 0) & keep
        settled = (positive == active).all(axis=1) if step else np.zeros(len(keep), dtype=bool)
        if settled.all() or step == MAX_STEPS:
            break
        active = positive
        residual = np.linalg.solve(_jacobian(a, pairs, active, c, ridge), rhs[..., None])[..., 0]
    return _normalised(np.where(active, scores, 0.0), keep), settled


def _jacobian(
    a: np.ndarray, pairs: np.ndarray, active: np.ndarray, c: np.ndarray, ridge: float
) -> np.ndarray:
    # I + A'_S A'_Sᵀ / ridge per row, A' the years' rows and the sum row, S the row's positive donors.
    years, on = a.shape[0], active.astype(float)
    j = np.empty((len(active), years + 1, years + 1))
    j[:, :years, :years] = (on @ pairs.T).reshape(-1, years, years)
    cross = (on @ a.T) * c[:, None]
    j[:, :years, years], j[:, years, :years] = cross, cross
    j[:, years, years] = c**2 * on.sum(axis=1)
    return np.eye(years + 1) + j / ridge


def _normalised(w: np.ndarray, keep: np.ndarray) -> np.ndarray:
    # As simplex_ridge: scaled to sum 1, or equal weights over the kept donors when all are zero.
    total, kept = w.sum(axis=1, keepdims=True), keep.sum(axis=1, keepdims=True)
    equal = np.where(keep, 1.0 / np.maximum(kept, 1), 0.0)
    return np.where(total > 0, w / np.where(total > 0, total, 1.0), equal)
