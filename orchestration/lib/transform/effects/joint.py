"""Samlat's test over several purpose dimensions: Westfall–Young single-step min-p on shared placebos.

With 50 placebos the smallest placebo p-value is 1/51 ≈ 0.020, so Bonferroni over three purposes (0.017)
could never be met, and over two (0.025) only by the most extreme of all 51. Instead each placebo unit
(the same donor kommun, or the same group of donors, in every KPI whose pool it is in) is run through the
same tests as the cooperation: its p-value per KPI, ranked among the cooperation and all shared placebos,
makes its dimension's p as the cooperation's is made (the smallest over the dimension's tested KPIs, times
their number: Holm's first step, or the primary KPI's alone). A dimension's adjusted p is the share of the
cooperation and its placebos whose smallest dimension p over the purposes is at least as small as the
dimension's own. Under no effect anywhere the cooperation is one more placebo, so a directional samlat
comes out at most at rate alpha, however many purposes there are; the placebos' own correlation across
KPIs is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.lib.transform.effects.inference import TIE


@dataclass(frozen=True)
class PlaceboStats:
    """One unit and KPI under the primary method: the statistics its p-value is taken from, treated
    first, then each placebo (ids); a row's p is the largest over the arrays (trend.tested)."""

    ids: tuple[str, ...]
    stats: tuple[np.ndarray, ...]


def rank_p(values: np.ndarray) -> np.ndarray:
    """Each row's permutation p-value among all rows: the share whose |value| is at least its own."""
    a = np.abs(values)
    return (a[None, :] >= a[:, None] - TIE).sum(axis=1) / len(a)


def adjusted_p(
    tested: dict[str, list[PlaceboStats | None]], own: dict[str, float], alpha: float
) -> dict[str, float]:
    """Each purpose dimension's p-value adjusted for the purposes tested together.

    tested: per purpose dimension with a test, its tested KPIs' placebo statistics; own: the same
    dimensions' own p-values. Westfall–Young where every KPI has its placebos and enough of them are
    shared for the test to reach alpha at all; otherwise Bonferroni over the dimensions tested.
    """
    if len(tested) <= 1:
        return dict(own)
    shared = _shared(tested)
    if shared is None or (len(shared) + 1) * alpha < 1:
        return {d: min(1.0, p * len(own)) for d, p in own.items()}
    per_dim = {d: _dimension_p(stats, shared) for d, stats in tested.items()}  # type: ignore[arg-type]
    smallest = np.min(np.vstack(list(per_dim.values())), axis=0)
    n = len(shared)
    return {d: (1 + int((smallest[1:] <= q[0] + TIE).sum())) / (n + 1) for d, q in per_dim.items()}


def _shared(tested: dict[str, list[PlaceboStats | None]]) -> list[str] | None:
    # The placebo units every tested KPI has, with a finite statistic, in the first KPI's order.
    all_stats = [s for stats in tested.values() for s in stats]
    if not all_stats or any(s is None for s in all_stats):
        return None
    usable = [set(_finite_ids(s)) for s in all_stats]  # type: ignore[arg-type]
    common = set.intersection(*usable)
    return [i for i in all_stats[0].ids if i in common]  # type: ignore[union-attr]


def _finite_ids(s: PlaceboStats) -> list[str]:
    ok = np.logical_and.reduce([np.isfinite(a[1:]) for a in s.stats])
    return [i for i, good in zip(s.ids, ok, strict=True) if good]


def _dimension_p(stats: list[PlaceboStats], shared: list[str]) -> np.ndarray:
    # Per row (the cooperation, then the shared placebos): the dimension's p as its verdict takes it.
    per_kpi = [_kpi_p(s, shared) for s in stats]
    return np.minimum(1.0, len(stats) * np.min(np.vstack(per_kpi), axis=0))


def _kpi_p(s: PlaceboStats, shared: list[str]) -> np.ndarray:
    # A treated row without a trend-robust value ranks 0 there, so it keeps its plain p, as it reports.
    where = {i: k for k, i in enumerate(s.ids)}
    rows = np.array([0] + [1 + where[i] for i in shared])
    return np.max(np.vstack([rank_p(a[rows]) for a in s.stats]), axis=0)
