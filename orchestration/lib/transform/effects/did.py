"""Difference-in-differences against a comparison group, with the pre-period trend of the gap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DidFit:
    """Per row: the DiD effect, the RMSE of the pre-period gap around its mean, the pre-trend slope."""

    effect: np.ndarray
    pre_rmspe: np.ndarray
    slope: np.ndarray
    counterfactual: np.ndarray


def diff_in_diff(
    treated: np.ndarray, comparison: np.ndarray, years: np.ndarray, pre: np.ndarray, post: np.ndarray
) -> DidFit:
    """treated and comparison (the group mean) are p × T; the gap's change from pre to post is the effect."""
    gap = treated - comparison
    pre_gap = gap[:, pre].mean(axis=1)
    resid = gap[:, pre] - pre_gap[:, None]
    t = years[pre] - years[pre].mean()
    slope = resid @ t / float(t @ t) if len(t) > 1 else np.zeros(len(gap))
    return DidFit(
        effect=gap[:, post].mean(axis=1) - pre_gap,
        pre_rmspe=np.sqrt((resid**2).mean(axis=1)),
        slope=slope,
        counterfactual=comparison + pre_gap[:, None],
    )


def standardise(features: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Scale each feature column by its spread in the reference rows, so distances weigh them equally."""
    spread = reference.std(axis=0)
    return features / np.where(spread > 0, spread, 1.0)


def nearest(
    target: np.ndarray, candidates: np.ndarray, k: int, exclude: np.ndarray | None = None
) -> np.ndarray:
    """Indices of the k candidate rows closest to each target row (targets p × f, candidates n × f)."""
    dist = ((target[:, None, :] - candidates[None, :, :]) ** 2).sum(axis=2)
    if exclude is not None:
        dist = np.where(exclude, np.inf, dist)
    k = min(k, candidates.shape[0])
    idx = np.argpartition(dist, k - 1, axis=1)[:, :k]
    return idx


def neighbour_means(series: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """Unweighted mean series of each row's neighbours: the typical similar kommun, as Kolada's groups."""
    return series[neighbours].mean(axis=1)
