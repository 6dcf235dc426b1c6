"""Totals from members in event time: each member's effect since its own joining, weighted by population.

A member that joined later is compared with its own pre-period, so staggered joining does not dilute
the total with years before a member had joined. The placebo totals combine the members' placebos the
same way: placebo k takes member m's placebo (k + m·n/M) mod n, every placebo once, no seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.lib.transform.effects.estimate import MethodFit, Treated
from orchestration.lib.transform.effects.inference import paired


@dataclass(frozen=True)
class MemberFit:
    municipality_id: str
    is_host: bool
    t: Treated
    fits: dict[str, MethodFit]
    placebo_ids: tuple[str, ...] = ()  # who each placebo is, in the fits' order (estimate.Placebos.ids)


@dataclass(frozen=True)
class Summary:
    """What a row reports about the treated series, whether one series or members in event time."""

    level: float  # pre-period mean
    cf_post: float  # counterfactual's post-period mean
    pre_years: int
    post_years: int
    join_year: int


def shares(members: list[MemberFit]) -> np.ndarray:
    """Population shares over each member's own pre-period."""
    size = np.array([np.exp(m.t.size) if np.isfinite(m.t.size) else np.nan for m in members])
    if not np.isfinite(size).all() or size.sum() <= 0:
        return np.full(len(members), 1.0 / len(members))
    return size / size.sum()


def combine(values: list[np.ndarray], w: np.ndarray) -> np.ndarray:
    """Treated first, then the placebos combined cyclically (see the module docstring)."""
    n = min(len(v) - 1 for v in values)
    m = len(values)
    out = np.zeros(n + 1)
    out[0] = sum(w[j] * v[0] for j, v in enumerate(values))
    for j, v in enumerate(values):
        out[1:] += w[j] * v[1 + paired(n, m, j, len(v) - 1)]
    return out


def combined_ids(members: list[MemberFit]) -> tuple[str, ...]:
    """Who each placebo of the group is, in combine's order (paired)."""
    sizes = [len(m.placebo_ids) for m in members]
    if not sizes or min(sizes) == 0:
        return ()
    n, m = min(sizes), len(members)
    picks = [paired(n, m, j, size) for j, size in enumerate(sizes)]
    return tuple("|".join(f.placebo_ids[p[k]] for f, p in zip(members, picks, strict=True)) for k in range(n))


def aggregate_fit(members: list[MemberFit], key: str) -> tuple[MethodFit, Summary]:
    """One method's fit for a group of members, and the summary its row reports."""
    w = shares(members)
    fits = [m.fits[key] for m in members]
    slopes = None if any(f.slopes is None for f in fits) else combine([f.slopes for f in fits], w)  # type: ignore[misc]
    in_time = None if any(f.in_time is None for f in fits) else combine([f.in_time for f in fits], w)  # type: ignore[misc]
    trend = None if any(f.trend_shift is None for f in fits) else combine([f.trend_shift for f in fits], w)  # type: ignore[misc]
    slope, trend_fit = (_combined(fits, w, name) for name in ("trend_slope", "trend_pre_rmspe"))
    fit = MethodFit(
        effects=combine([f.effects for f in fits], w),
        pre_rmspe=combine([f.pre_rmspe for f in fits], w),
        counterfactual=sum(w[j] * f.counterfactual for j, f in enumerate(fits)),
        n_units=max(f.n_units for f in fits),
        slopes=slopes,
        flags=tuple(dict.fromkeys(flag for f in fits for flag in f.flags)),
        in_time=in_time,
        trend_shift=trend,
        trend_slope=slope,
        trend_pre_rmspe=trend_fit,
    )
    return fit, _summary(members, fits, w)


def _combined(fits: list[MethodFit], w: np.ndarray, name: str) -> np.ndarray | None:
    values = [getattr(f, name) for f in fits]
    return None if any(v is None for v in values) else combine(values, w)


def _summary(members: list[MemberFit], fits: list[MethodFit], w: np.ndarray) -> Summary:
    level = sum(w[j] * float(m.t.y[m.t.pre].mean()) for j, m in enumerate(members))
    cf_post = sum(
        w[j] * float(f.counterfactual[m.t.post].mean())
        for j, (m, f) in enumerate(zip(members, fits, strict=True))
    )
    return Summary(
        level=float(level),
        cf_post=float(cf_post),
        pre_years=min(int(m.t.pre.sum()) for m in members),
        post_years=min(int(m.t.post.sum()) for m in members),
        join_year=-1,
    )


def event_series(
    members: list[MemberFit], key: str, years: np.ndarray
) -> list[tuple[int, str, float, float]]:
    """(year, period, observed, counterfactual) in calendar years where every member is on one side."""
    w = shares(members)
    all_pre = np.logical_and.reduce([m.t.pre for m in members])
    all_post = np.logical_and.reduce([m.t.post for m in members])
    observed = sum(w[j] * m.t.y for j, m in enumerate(members))
    cf = sum(w[j] * m.fits[key].counterfactual for j, m in enumerate(members))
    return [
        (int(years[i]), "pre" if all_pre[i] else "post", float(observed[i]), float(cf[i]))
        for i in np.flatnonzero(all_pre | all_post)
    ]
