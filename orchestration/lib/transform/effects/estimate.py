"""Estimate one unit: its treated series, donor pool, placebos, synthetic control and diff-in-diff."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.lib.transform.effects import did as dd
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.inference import paired
from orchestration.lib.transform.effects.panel import PanelSet, calendar_window, weighted_series
from orchestration.lib.transform.effects.sdid import (
    SdidFit,
    in_time_window,
    own_line,
    synthetic_did,
    trend_line,
    trend_robust,
)
from orchestration.lib.transform.effects.synth import Fit as SyntheticFit
from orchestration.lib.transform.effects.synth import synthetic_control
from orchestration.lib.transform.effects.units import Unit


@dataclass(frozen=True)
class Treated:
    y: np.ndarray  # (T,)
    size: float  # log of the members' mean population over the pre-period
    shares: np.ndarray  # each member's share of the population over the pre-period (weights sum to 1)
    pre: np.ndarray
    post: np.ndarray
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Pool:
    series: np.ndarray  # (n, T): the N donors nearest the treated unit in size
    pop: np.ndarray  # (n, T)
    features: np.ndarray  # (n, 1), standardised log population
    treated_features: np.ndarray  # (1,)
    peers: np.ndarray | None  # (m, T): Kolada's comparison group, if enough of it is usable
    ids: np.ndarray  # (n,) the donors' kommun ids, in the order of series


@dataclass(frozen=True)
class Placebos:
    series: np.ndarray  # (p, T)
    exclude: np.ndarray  # (p, n): the pool units each placebo is made of
    features: np.ndarray  # (p, 2)
    # Who each placebo is (its donor's id, or its donors' ids joined by "+"): the same kommuner make the
    # same placebo in every KPI whose pool they share, which the joint test over purposes needs.
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class MethodFit:
    effects: np.ndarray  # treated first, then placebos
    pre_rmspe: np.ndarray
    counterfactual: np.ndarray  # the treated unit's
    n_units: int  # donors in the pool, or kommuner in the comparison group
    slopes: np.ndarray | None
    flags: tuple[str, ...]
    weights: np.ndarray | None = None  # the treated unit's donor weights, in the pool's order
    in_time: np.ndarray | None = None  # effects at a pretend joining inside the pre-period
    # With a linear trend of the row's own allowed for (trend.py): the estimate minus the trend-robust
    # one, the row's own slope per year against donors that cannot mimic it, the pre-years' fit.
    trend_shift: np.ndarray | None = None
    trend_slope: np.ndarray | None = None
    trend_pre_rmspe: np.ndarray | None = None
    # The counterfactual the trend-robust estimate compares with (its own trend added, trend.charted)
    # and each placebo's gap from its own such counterfactual.
    trend_counterfactual: np.ndarray | None = None
    trend_placebo_gaps: np.ndarray | None = None
    # Each placebo's gap (observed − its counterfactual) per year, in the treated unit's KPI units: the
    # spread the chart's uncertainty band is drawn from (bands.py).
    placebo_gaps: np.ndarray | None = None


def treated_series(unit: Unit, panels: PanelSet, cfg: EffectsConfig) -> Treated:
    """The members' population-weighted series and the years it is compared over."""
    rows = [panels.row[m] for m in unit.members if m in panels.row]
    cube = panels.series(unit.kpi.kpi_id)[rows]
    keep = ~np.isnan(cube).all(axis=1)
    flags: list[str] = ["medlem_utan_data"] if len(rows) < len(unit.members) or not keep.all() else []
    pop = panels.population[rows][keep]
    y = weighted_series(cube[keep], pop) if keep.any() else np.full(len(panels.years), np.nan)
    window = calendar_window(
        panels.years,
        unit.join_year,
        unit.end_year,
        unit.kpi.method_break,
        panels.latest_year(unit.kpi.kpi_id),
        cfg.estimation,
        unit.pre_from,
        observed=~np.isnan(y),
    )
    pre, post = window.pre, window.post
    flags += window.flags
    flags += _length_flags(int(pre.sum()), int(post.sum()), window.cut_by_break, cfg)
    pre_pop = pop[:, pre].mean(axis=1) if pre.any() and len(pop) else np.array([np.nan])
    return Treated(
        y,
        float(np.log(np.nanmean(pre_pop))) if np.isfinite(pre_pop).any() else np.nan,
        _shares(pre_pop),
        pre,
        post,
        tuple(flags),
    )


def _shares(pre_pop: np.ndarray) -> np.ndarray:
    if not np.isfinite(pre_pop).all() or pre_pop.sum() <= 0:
        return np.full(len(pre_pop), 1.0 / len(pre_pop))
    return pre_pop / pre_pop.sum()


def _length_flags(n_pre: int, n_post: int, cut: bool, cfg: EffectsConfig) -> list[str]:
    if n_pre == 0 and n_post == 0:
        return ["data_saknas"]
    flags = []
    if n_pre < cfg.estimation.min_pre_years:
        flags.append("kort_forperiod")
    if n_post < cfg.estimation.min_post_years:
        flags.append("kort_efterperiod")
    return [*flags, "metodbrott"] if flags and cut else flags


def donor_pool(
    unit: Unit, t: Treated, panels: PanelSet, donors: np.ndarray, cfg: EffectsConfig
) -> Pool | None:
    """The donors nearest the treated unit in population, with complete series.

    Not matched on the KPI's own pre-period level: for a noisy KPI that picks donors whose noise
    happened to match, and they drift back to their mean afterwards (regression to the mean); the
    estimators' intercepts take care of level differences instead.
    """
    used = t.pre | t.post
    series = panels.series(unit.kpi.kpi_id)[donors]
    ok = ~np.isnan(series[:, used]).any(axis=1)
    rows, series = donors[ok], series[ok]
    if len(rows) < cfg.estimation.min_donors:
        return None
    pop = panels.population[rows]
    raw = _features(pop, t.pre)
    mine = np.array([t.size])
    raw, mine = _fill_features(raw, mine)
    scaled = dd.standardise(np.vstack([mine, raw]), raw)
    pick = np.sort(dd.nearest(scaled[:1], scaled[1:], cfg.estimation.donor_pool_size)[0])
    peers = _peers(unit, panels, used, set(panels.ids[rows]), cfg)
    return Pool(series[pick], pop[pick], scaled[1:][pick], scaled[0], peers, panels.ids[rows][pick])


def _features(pop: np.ndarray, pre: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        size = np.log(np.nanmean(pop[:, pre], axis=1)) if pre.any() else np.full(len(pop), np.nan)
    return size[:, None]


def _fill_features(raw: np.ndarray, mine: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # An unknown population must not decide the distance: give it the donors' median.
    if np.isfinite(raw).all() and np.isfinite(mine).all():
        return raw, mine
    med = np.nanmedian(np.where(np.isfinite(raw), raw, np.nan), axis=0)
    med = np.where(np.isfinite(med), med, 0.0)
    return np.where(np.isfinite(raw), raw, med), np.where(np.isfinite(mine), mine, med)


def _peers(
    unit: Unit, panels: PanelSet, used: np.ndarray, allowed: set[str], cfg: EffectsConfig
) -> np.ndarray | None:
    rows = [panels.row[p] for p in unit.peers if p in allowed]
    if len(rows) < cfg.estimation.min_comparison_size:
        return None
    return panels.series(unit.kpi.kpi_id)[rows]


def placebos(unit: Unit, t: Treated, pool: Pool, cfg: EffectsConfig) -> Placebos:
    """Each donor in turn for a kommun; for a group of kommuner, every cyclic shift of the pool.

    Placebo group k takes donor (k + m·n/M) mod n for member m, weighted by the members' population
    shares, so every donor is used and no seed can change the result; the group's mix of large and
    small kommuner, and with it its noise, is like the cooperation's.
    """
    n = len(pool.series)
    if len(t.shares) == 1:
        return Placebos(pool.series, np.eye(n, dtype=bool), pool.features, tuple(map(str, pool.ids)))
    m = len(t.shares)
    picks = np.stack([paired(n, m, j, n) for j in range(m)], axis=1)
    exclude = np.zeros((n, n), dtype=bool)
    np.put_along_axis(exclude, picks, True, axis=1)
    series = np.einsum("m,pmt->pt", t.shares, pool.series[picks])
    features = np.einsum("m,pmf->pf", t.shares, pool.features[picks])
    ids = tuple("+".join(map(str, pool.ids[row])) for row in picks)
    return Placebos(series, exclude, features, ids)


def relative_scales(treated: np.ndarray, pool: np.ndarray, pre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each series' pre-period mean, to compare proportional movements; ones if any level is not positive.

    A member far above every donor also moves more in kr per year (costs grow by a share, not by an
    amount): no weighted mix of donors follows that in levels, but it does in shares of the own level.
    """
    rows, units = treated[:, pre].mean(axis=1), pool[:, pre].mean(axis=1)
    if (rows > 0).all() and (units > 0).all():
        return rows, units
    return np.ones(len(rows)), np.ones(len(units))


def _in_treated_units(fit_effect: np.ndarray, scale: float) -> np.ndarray:
    # Every row's relative effect in the treated unit's KPI units, so the placebos compare like with like.
    return fit_effect * scale


def fit_sdid(t: Treated, pool: Pool, plc: Placebos) -> MethodFit:
    """Synthetic DiD for the treated unit and every placebo, and again at a pretend earlier joining."""
    treated = np.vstack([np.where(np.isnan(t.y), 0.0, t.y), plc.series])
    exclude = np.vstack([np.zeros((1, len(pool.series)), dtype=bool), plc.exclude])
    rows, units = relative_scales(treated, pool.series, t.pre)
    y, x = treated / rows[:, None], pool.series / units[:, None]
    fit = synthetic_did(y, x, t.pre, t.post, exclude)
    fake = in_time_window(t.pre)
    in_time = None if fake is None else _in_treated_units(synthetic_did(y, x, *fake, exclude).effect, rows[0])
    trend = _trend_fields(fit.effect, trend_robust(y, x, t.pre, t.post, exclude, synthetic_did), y, rows[0])
    return _donor_fit(fit, y, rows[0], len(pool.series), in_time, trend)


def _trend_fields(effect: np.ndarray, robust: tuple, relative: np.ndarray, scale: float) -> dict:
    # MethodFit's trend_* fields in the treated unit's units, from every row's plain effect, its
    # trend-robust step, slope, fit and counterfactual (sdid.trend_robust), and its relative series.
    step, slope, pre_fit, cf = robust
    shift, slope, pre_fit = (_in_treated_units(a, scale) for a in (effect - step, slope, pre_fit))
    gaps = _placebo_gaps(relative, cf, scale)
    return {"trend_shift": shift, "trend_slope": slope, "trend_pre_rmspe": pre_fit,
            "trend_counterfactual": cf[0] * scale, "trend_placebo_gaps": gaps}  # fmt: skip


def fit_synthetic(t: Treated, pool: Pool, plc: Placebos) -> MethodFit:
    """Synthetic control for the treated unit and every placebo on the same pool (proportional, as SDID)."""
    treated = np.where(np.isnan(np.vstack([t.y, plc.series])), 0.0, np.vstack([t.y, plc.series]))
    exclude = np.vstack([np.zeros((1, len(pool.series)), dtype=bool), plc.exclude])
    rows, units = relative_scales(treated, pool.series, t.pre)
    y, x = treated / rows[:, None], pool.series / units[:, None]
    fit = synthetic_control(y, x, t.pre, t.post, exclude)
    trend = _trend_fields(
        fit.effect, trend_robust(y, x, t.pre, t.post, exclude, synthetic_control), y, rows[0]
    )
    return _donor_fit(fit, y, rows[0], len(pool.series), None, trend)


def _placebo_gaps(relative: np.ndarray, counterfactual: np.ndarray, scale: float) -> np.ndarray:
    # The placebo rows (all but the first) of a fit on relative series, in the treated unit's units.
    return _in_treated_units(relative[1:] - counterfactual[1:], scale)


def _donor_fit(
    fit: SyntheticFit | SdidFit,
    relative: np.ndarray,
    scale: float,
    n_donors: int,
    in_time: np.ndarray | None = None,
    trend: dict[str, np.ndarray] | None = None,
) -> MethodFit:
    """A donor-weighted fit (SDID or synthetic control) on the `relative` series (treated row first, then
    the placebos), in the treated unit's units, with each placebo's gap for the uncertainty band."""
    return MethodFit(
        _in_treated_units(fit.effect, scale),
        _in_treated_units(fit.pre_rmspe, scale),
        fit.counterfactual[0] * scale,
        n_donors,
        None,
        (),
        fit.weights[0],
        in_time,
        **(trend or {}),
        placebo_gaps=_placebo_gaps(relative, fit.counterfactual, scale),
    )


def fit_did(t: Treated, pool: Pool, plc: Placebos, years: np.ndarray, cfg: EffectsConfig) -> MethodFit:
    """DiD against Kolada's group (or the nearest donors); each placebo against its own nearest donors."""
    k = max(1, min(cfg.estimation.did_neighbours, len(pool.series) - int(plc.exclude.sum(axis=1).max())))
    if pool.peers is not None:
        own, n_units, flag = pool.peers.mean(axis=0), len(pool.peers), "jamforelse_kolada"
    else:
        near = dd.nearest(pool.treated_features[None], pool.features, k)
        own, n_units, flag = dd.neighbour_means(pool.series, near)[0], k, "jamforelse_grannar"
    near = dd.nearest(plc.features, pool.features, k, exclude=plc.exclude)
    comparison = np.vstack([own, dd.neighbour_means(pool.series, near)])
    y = np.vstack([np.where(np.isnan(t.y), 0.0, t.y), plc.series])
    rows, groups = relative_scales(y, comparison, t.pre)
    rel, base = y / rows[:, None], comparison / groups[:, None]
    fit = dd.diff_in_diff(rel, base, years, t.pre, t.post)
    # DiD with the row's own linear trend: the step in a line through its gap before and after.
    line = (*trend_line(rel - base, t.pre, t.post), base + own_line(rel - base, t.pre, t.post))
    return MethodFit(
        *(a * rows[0] for a in (fit.effect, fit.pre_rmspe, fit.counterfactual[0])),
        n_units,
        fit.slope * rows[0],
        (flag,),
        **_trend_fields(fit.effect, line, rel, rows[0]),
        placebo_gaps=_placebo_gaps(rel, fit.counterfactual, rows[0]),
    )
