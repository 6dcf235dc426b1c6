"""Each cooperation among its peers: its own staggered-DiD estimate and an empirical-Bayes shrunken one.

The own estimate uses the same cells and controls as the national estimate, with only the cooperation's
members as treated. Its standard error comes from placebo groups: as many never-cooperating kommuner as
the cooperation has members, given the same post years. Shrinkage is normal–normal: the cooperations'
true effects spread around the national estimate with a between-cooperation variance τ² estimated by
DerSimonian–Laird; the shrunken estimate is B·national + (1 − B)·own with B = se² / (se² + τ²).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.lib.transform.effects.national import NEVER, Cells, StaggeredPanel


@dataclass(frozen=True)
class PeerEstimate:
    cluster: int
    own: float
    own_se: float
    level: float  # the cooperation's counterfactual level after joining
    n_members: int


def own_estimates(
    panel: StaggeredPanel, cells: Cells, placebos: int = 200, seed: int = 20241
) -> list[PeerEstimate]:
    """The full-year effect (e ≥ 1) of every cooperation with at least one estimable cell."""
    rng = np.random.default_rng(seed)
    post = cells.event >= 1
    with np.errstate(invalid="ignore", divide="ignore"):
        control_mean = (cells.control * cells.diff).sum(axis=0) / cells.control.sum(axis=0)
    out = []
    for c in np.unique(panel.cluster[panel.cluster >= 0]):
        mine = cells.treated * (panel.cluster == c)[:, None]
        size = mine.sum(axis=0) * post
        if size.sum() == 0:
            continue
        members = int((mine[:, post].sum(axis=1) > 0).sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            gap = (mine * cells.diff).sum(axis=0) / mine.sum(axis=0) - control_mean
            level = (mine * cells.level).sum(axis=0) / mine.sum(axis=0)
        own = float(np.nansum(gap * size) / size.sum())
        own_level = float(np.nansum(level * size) / size.sum()) - own
        se = _placebo_se(panel, cells, size, members, placebos, rng)
        out.append(PeerEstimate(int(c), own, se, own_level, members))
    return out


def _placebo_se(
    panel: StaggeredPanel,
    cells: Cells,
    size: np.ndarray,
    members: int,
    placebos: int,
    rng: np.random.Generator,
) -> float:
    # Never-cooperating kommuner with every one of the cooperation's cells: the spread of the mean of
    # random groups of the cooperation's size is the noise its own estimate carries.
    used = size > 0
    pool = (panel.cohort == NEVER) & (cells.control[:, used] > 0).all(axis=1)
    if pool.sum() < max(2 * members, 5):
        return float("nan")
    unit = (cells.diff[pool][:, used] * size[used]).sum(axis=1) / size[used].sum()
    order = np.argsort(rng.random((placebos, len(unit))), axis=1)[:, :members]
    return float(unit[order].mean(axis=1).std(ddof=1))


@dataclass(frozen=True)
class Shrunk:
    tau2: float  # between-cooperation variance (DerSimonian–Laird)
    shrinkage: np.ndarray  # B per cooperation: the weight on the national estimate
    estimate: np.ndarray


def dersimonian_laird(own: np.ndarray, se: np.ndarray) -> float:
    """Method-of-moments estimate of the between-study variance τ² (0 when the spread is all noise)."""
    w = 1 / se**2
    mean = (w * own).sum() / w.sum()
    q = (w * (own - mean) ** 2).sum()
    denom = w.sum() - (w**2).sum() / w.sum()
    return float(max(0.0, (q - (len(own) - 1)) / denom)) if denom > 0 else 0.0


def shrink(own: np.ndarray, se: np.ndarray, prior_mean: float, min_peers: int = 3) -> Shrunk:
    """Normal–normal empirical Bayes towards prior_mean; no shrinkage with fewer than min_peers or no se."""
    ok = np.isfinite(own) & np.isfinite(se) & (se > 0)
    if ok.sum() < min_peers or not np.isfinite(prior_mean):
        return Shrunk(float("nan"), np.where(ok, 0.0, np.nan), np.where(ok, own, np.nan))
    tau2 = dersimonian_laird(own[ok], se[ok])
    with np.errstate(invalid="ignore", divide="ignore"):
        b = np.where(ok, se**2 / (se**2 + tau2), np.nan)
    return Shrunk(tau2, b, b * prior_mean + (1 - b) * own)
