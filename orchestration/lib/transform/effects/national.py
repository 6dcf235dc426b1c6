"""Staggered difference-in-differences over many cooperations of one kind (Callaway–Sant'Anna).

Each kommun that joins a cooperation of the kind in year g is compared, for every year t, with the
kommuner not (yet) in one: ATT(g, t) = mean over the cohort of (Y_t − Y_{g−1}) minus the same mean over
never- and not-yet-cooperating kommuner. The group-time effects are averaged to event time e = t − g
(weights: the cohort's size) and overall over the full years after joining (e ≥ 1; the joining year is
only partly treated). Plain two-way fixed effects is never used: with staggered starts and effects that
grow over time it compares late joiners with early joiners and is biased. Intervals come from a cluster
bootstrap that resamples whole cooperations (and control kommuner), with a t quantile on the number of
cooperations; the pre-trend test is a joint Wald test of the pre-period event-time effects (e ≤ −2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

NEVER = 0  # cohort of a kommun in no cooperation of the kind
REFERENCE_EVENT = -1  # the last year before joining: the base of every comparison
# The bootstrap resamples whole cooperations: with fewer there is no interval (one or two cannot show how
# much cooperations vary), and the pre-trend test uses at most n_cooperations − 3 pre-period years, since
# its covariance is estimated from so few clusters (with more years it rejects far too often).
MIN_COOPERATIONS = 3
PRETREND_SPARE = 3


@dataclass(frozen=True)
class StaggeredPanel:
    """y[i, t]: kommun i in years[t] (NaN where missing); cohort: joining year or NEVER; cluster: the
    cooperation's index for a member, -1 for a control kommun."""

    y: np.ndarray
    years: np.ndarray
    cohort: np.ndarray
    cluster: np.ndarray


@dataclass(frozen=True)
class Cells:
    """Every estimable group-time cell (g, t): the long differences and who is treated or control."""

    event: np.ndarray  # (P,) t − g
    diff: np.ndarray  # (n, P) Y_t − Y_{g−1}, 0 where unused
    level: np.ndarray  # (n, P) Y_t, 0 where unused
    treated: np.ndarray  # (n, P) float 0/1
    control: np.ndarray  # (n, P) float 0/1


@dataclass(frozen=True)
class NationalResult:
    events: np.ndarray  # event times with an estimate, the reference year included
    estimate: np.ndarray  # per event; the overall estimate separately
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    level: np.ndarray  # the counterfactual level the percentages divide by
    n_treated: np.ndarray  # kommuner per event
    n_clusters_event: np.ndarray  # cooperations per event
    overall: float
    overall_se: float
    overall_ci: tuple[float, float]
    overall_level: float
    n_clusters: int
    n_municipalities: int
    pretrend_p: float
    pretrend_events: int


def build_cells(panel: StaggeredPanel, min_controls: int = 5) -> Cells:
    """All cells (g, t) with a base year g−1 in the data, ≥1 treated and ≥ min_controls controls."""
    years, y, cohort = panel.years, panel.y, panel.cohort
    col = {int(yr): k for k, yr in enumerate(years)}
    parts: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for g in np.unique(cohort[cohort != NEVER]):
        if int(g) - 1 not in col:
            continue  # joined in or before the data's first year: no base year (censored start)
        base = y[:, col[int(g) - 1]]
        for t in years:
            if t == g - 1:
                continue
            diff = y[:, col[int(t)]] - base
            ok = np.isfinite(diff)
            treated = ok & (cohort == g)
            later = (cohort > max(t, g - 1)) & (cohort != g)
            control = ok & ((cohort == NEVER) | later)
            if treated.any() and control.sum() >= min_controls:
                parts.append(
                    (int(t - g), np.nan_to_num(diff), np.nan_to_num(y[:, col[int(t)]]), treated, control)
                )
    return _stack(parts, y.shape[0])


def _stack(parts: list, n: int) -> Cells:
    if not parts:
        empty = np.zeros((n, 0))
        return Cells(np.zeros(0, dtype=int), empty, empty, empty, empty)
    event, diff, level, treated, control = zip(*parts, strict=True)
    return Cells(
        np.array(event),
        np.column_stack(diff),
        np.column_stack(level),
        np.column_stack(treated).astype(float),
        np.column_stack(control).astype(float),
    )


def bootstrap_weights(cluster: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """(1 + draws, n) kommun weights: row 0 the estimate itself, then whole cooperations resampled among
    the cooperations and control kommuner among the controls (a stratified cluster bootstrap)."""
    rng = np.random.default_rng(seed)
    n = len(cluster)
    weights = np.ones((1 + draws, n))
    coops = np.unique(cluster[cluster >= 0])
    if len(coops):
        counts = rng.multinomial(len(coops), np.full(len(coops), 1 / len(coops)), size=draws)
        index = np.searchsorted(coops, cluster[cluster >= 0])
        weights[1:, cluster >= 0] = counts[:, index]
    controls = np.flatnonzero(cluster < 0)
    if len(controls):
        weights[1:, controls] = rng.multinomial(
            len(controls), np.full(len(controls), 1 / len(controls)), size=draws
        )
    return weights


def cell_effects(cells: Cells, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ATT(g, t) per draw and cell, the treated weight of each cell and the treated mean level."""
    with np.errstate(invalid="ignore", divide="ignore"):
        n_treated = weights @ cells.treated
        treated_mean = (weights @ (cells.treated * cells.diff)) / n_treated
        control_mean = (weights @ (cells.control * cells.diff)) / (weights @ cells.control)
        level = (weights @ (cells.treated * cells.level)) / n_treated
    return treated_mean - control_mean, n_treated, level


def aggregate(att: np.ndarray, size: np.ndarray, pick: np.ndarray) -> np.ndarray:
    """Cohort-size weighted mean of the cells in `pick`, per draw (NaN cells left out)."""
    w = np.where(np.isfinite(att[:, pick]), size[:, pick], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (np.nan_to_num(att[:, pick]) * w).sum(axis=1) / w.sum(axis=1)


def estimate(
    panel: StaggeredPanel,
    draws: int = 499,
    seed: int = 20240,
    confidence: float = 0.95,
    max_pre_test: int = 5,
    min_controls: int = 5,
) -> NationalResult | None:
    """The national estimate: event-time and overall effects, bootstrap intervals, pre-trend test."""
    cells = build_cells(panel, min_controls)
    if not (cells.event >= 1).any():
        return None
    att, size, level = cell_effects(cells, bootstrap_weights(panel.cluster, draws, seed))
    clusters = _clusters_in(panel, cells)
    enough = len(clusters) >= MIN_COOPERATIONS
    quantile = stats.t.ppf(0.5 + confidence / 2, len(clusters) - 1) if enough else np.nan
    events = np.array(sorted(set(cells.event.tolist()) | {REFERENCE_EVENT}))
    by_event = np.column_stack(
        [
            aggregate(att, size, cells.event == e) if e != REFERENCE_EVENT else np.zeros(len(att))
            for e in events
        ]
    )
    lev = np.array([aggregate(level, size, cells.event == e)[0] for e in events]) - by_event[0]
    post = cells.event >= 1
    overall = aggregate(att, size, post)
    se, overall_se = _sd(by_event[1:]), float(_sd(overall[1:, None])[0])
    return NationalResult(
        events=events,
        estimate=by_event[0],
        se=se,
        ci_low=by_event[0] - quantile * se,
        ci_high=by_event[0] + quantile * se,
        level=lev,
        n_treated=np.array([_count(cells, _at(cells, e)) for e in events]),
        n_clusters_event=np.array([len(_clusters_in(panel, cells, _at(cells, e))) for e in events]),
        overall=float(overall[0]),
        overall_se=overall_se,
        overall_ci=(float(overall[0] - quantile * overall_se), float(overall[0] + quantile * overall_se)),
        overall_level=float(aggregate(level, size, post)[0] - overall[0]),
        n_clusters=len(clusters),
        n_municipalities=_count(cells, post),
        **_pretrend(events, by_event, len(clusters), min(max_pre_test, len(clusters) - PRETREND_SPARE + 1)),
    )


def _at(cells: Cells, e: int) -> np.ndarray:
    # The reference year has no cells of its own; its kommuner are those compared in the joining year.
    return cells.event == (0 if e == REFERENCE_EVENT else e)


def _sd(draws: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.nanstd(draws, axis=0, ddof=1)


def _count(cells: Cells, pick: np.ndarray) -> int:
    return int((cells.treated[:, pick].sum(axis=1) > 0).sum())


def _clusters_in(panel: StaggeredPanel, cells: Cells, pick: np.ndarray | None = None) -> np.ndarray:
    chosen = cells.treated if pick is None else cells.treated[:, pick]
    return np.unique(panel.cluster[chosen.sum(axis=1) > 0])


def _pretrend(events: np.ndarray, by_event: np.ndarray, n_clusters: int, max_pre: int) -> dict:
    """Joint Wald test that the pre-period effects (−max_pre ≤ e ≤ −2) are all zero, with the bootstrap
    covariance, as Hotelling's F on the number of cooperations."""
    pick = (events <= REFERENCE_EVENT - 1) & (events >= -max_pre)
    point, draws = by_event[0, pick], by_event[1:, pick]
    draws = draws[np.isfinite(draws).all(axis=1)]
    k = int(pick.sum())
    if k == 0 or len(draws) <= k or n_clusters <= k + 1:
        return {"pretrend_p": float("nan"), "pretrend_events": 0}
    wald = float(point @ np.linalg.pinv(np.cov(draws, rowvar=False).reshape(k, k)) @ point)
    f = wald * (n_clusters - k) / (k * (n_clusters - 1))
    return {"pretrend_p": float(stats.f.sf(f, k, n_clusters - k)), "pretrend_events": k}
