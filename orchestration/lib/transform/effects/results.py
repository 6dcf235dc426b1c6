"""One unit's rows of analysis.effect_estimates, effect_series, donor_weights and effect_bands (blocks.py
runs them all)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from orchestration.lib.transform.effects import aggregate as agg
from orchestration.lib.transform.effects import estimate as est
from orchestration.lib.transform.effects import trend
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.inference import permutation_p, permutation_p_upper
from orchestration.lib.transform.effects.joint import PlaceboStats
from orchestration.lib.transform.effects.panel import PanelSet
from orchestration.lib.transform.effects.units import OTHERS, Unit, mechanical

ESTIMATE_COLUMNS = [
    "agreement_id", "municipality_id", "is_host", "kpi_id", "dimension", "better", "method",
    "effect", "effect_pct", "ci_low", "ci_high", "p_value", "mde", "mde_pct", "pre_level", "pre_rmspe",
    "pre_years", "post_years", "join_year", "n_donors", "n_placebos", "pretrend_violated", "pre_fit_p",
    "in_time_p", "flags",
]  # fmt: skip
SERIES_COLUMNS = ["agreement_id", "municipality_id", "kpi_id", "method", "year", "period", "observed",
                  "counterfactual"]  # fmt: skip
WEIGHT_COLUMNS = ["agreement_id", "municipality_id", "kpi_id", "method", "donor_id", "weight"]
METHOD_NAMES = {"sdid": "synthetic_did", "sc": "synthetic_control", "did": "diff_in_diff"}


def stats_key(unit: Unit, municipality_id: str) -> tuple[str, str, str]:
    """The key of a unit's (or its group's) placebo statistics: agreement, kommun or group, KPI."""
    return unit.agreement_id, municipality_id, unit.kpi.kpi_id


@dataclass(frozen=True)
class Fitted:
    """A unit's fits as estimated (what its cooperation's total is built from) and as its chart draws
    them in the unit's trend case."""

    fit: agg.MemberFit
    charted: agg.MemberFit
    stats: PlaceboStats  # the primary method's, for samlat's joint test (joint.py)


def estimate_one(
    unit: Unit, panels: PanelSet, donors: np.ndarray, cfg: EffectsConfig
) -> tuple[list[dict], list[dict], list[dict], Fitted | None]:
    if unit.kpi.kpi_id not in panels.kpis:
        return _blank(unit, None, ("data_saknas",)), [], [], None
    t = est.treated_series(unit, panels, cfg)
    if set(t.flags) & {"data_saknas", "kort_forperiod", "kort_efterperiod"}:
        return _blank(unit, t, ()), [], [], None
    pool = est.donor_pool(unit, t, panels, donors, cfg)
    if pool is None or len(pool.series) - len(t.shares) < cfg.estimation.min_donors:
        return _blank(unit, t, ("fa_givare",)), [], [], None
    plc = est.placebos(unit, t, pool, cfg)
    fits = {
        "sdid": est.fit_sdid(t, pool, plc),
        "sc": est.fit_synthetic(t, pool, plc),
        "did": est.fit_did(t, pool, plc, panels.years, cfg),
    }
    primary = fits[_primary_key(cfg)]
    case = trend.regime(primary, int(t.pre.sum()), cfg)
    rows = [_row(unit, _summary(unit, t, fit), (*t.flags,), key, fit, case, cfg) for key, fit in fits.items()]
    fitted = agg.MemberFit(unit.municipality_id, bool(unit.is_host), t, fits, plc.ids)
    shown = drawn([fitted], case)[0]
    series = [s for key, fit in shown.fits.items() for s in _series(unit, t, key, fit, panels.years)]
    stats = PlaceboStats(plc.ids, trend.tested(primary, case))
    return rows, series, _weights(unit, pool, fits), Fitted(fitted, shown, stats)


def drawn(members: list[agg.MemberFit], case: str) -> list[agg.MemberFit]:
    """The members' fits as the chart of the unit they make up draws them (trend.charted) in that
    unit's trend case (trend.regime, decided once per unit on its primary fit, as its rows are)."""
    return [replace(m, fits={k: trend.charted(f, case) for k, f in m.fits.items()}) for m in members]


def _summary(unit: Unit, t: est.Treated, fit: est.MethodFit) -> agg.Summary:
    cf_post = float(fit.counterfactual[t.post].mean())
    return agg.Summary(float(t.y[t.pre].mean()), cf_post, int(t.pre.sum()), int(t.post.sum()), unit.join_year)


def aggregated(
    unit: Unit, members: list[agg.MemberFit], municipality_id: str, years: np.ndarray, cfg: EffectsConfig
) -> tuple[list[dict], list[dict], list[agg.MemberFit], PlaceboStats]:
    """A group of members' rows and series, from their own fits in event time, the members' fits
    as the group's chart draws them, and the group's placebo statistics."""
    group = replace(unit, municipality_id=municipality_id)
    flags = tuple(dict.fromkeys(f for m in members for f in m.t.flags))
    fits = {key: agg.aggregate_fit(members, key) for key in METHOD_NAMES}
    # The primary method's fit, and its summary's pre_years: the fewest of any member's.
    primary, primary_summary = fits[_primary_key(cfg)]
    case = trend.regime(primary, primary_summary.pre_years, cfg)
    charted = drawn(members, case)
    rows, series = [], []
    for key, (fit, summary) in fits.items():
        rows.append(_row(group, replace(summary, join_year=unit.join_year), flags, key, fit, case, cfg))
        series += [
            _series_row(group, key, year, period, obs, cf)
            for year, period, obs, cf in agg.event_series(charted, key, years)
        ]
    stats = PlaceboStats(agg.combined_ids(members), trend.tested(primary, case))
    return rows, series, charted, stats


def others(
    unit: Unit, members: list[agg.MemberFit], years: np.ndarray, cfg: EffectsConfig
) -> tuple[list[dict], dict[tuple[str, str, str], PlaceboStats]]:
    rest = [m for m in members if not m.is_host]
    if len(rest) < 2 or len(rest) == len(members):
        return [], {}
    # Without the host, its net cost (sales to the others not netted out) is not in the group.
    flags = tuple(f for f in unit.flags if f != "nettokostnad_vardkommun")
    if mechanical(unit.kpi, whole=False) and "mekanisk_effekt" not in flags:
        flags += ("mekanisk_effekt",)
    rows, _, _, stats = aggregated(replace(unit, is_host=False, flags=flags), rest, OTHERS, years, cfg)
    return rows, {stats_key(unit, OTHERS): stats}


def _weights(unit: Unit, pool: est.Pool, fits: dict[str, est.MethodFit]) -> list[dict]:
    out = []
    for key, fit in fits.items():
        if fit.weights is None:
            continue
        for donor, w in zip(pool.ids, fit.weights, strict=True):
            if w > 1e-4:
                keys = {k: v for k, v in _base(unit, METHOD_NAMES[key]).items() if k in WEIGHT_COLUMNS}
                out.append({**keys, "donor_id": str(donor), "weight": float(w)})
    return out


def _base(unit: Unit, method: str) -> dict:
    return {
        "agreement_id": unit.agreement_id,
        "municipality_id": unit.municipality_id,
        "is_host": unit.is_host,
        "kpi_id": unit.kpi.kpi_id,
        "dimension": unit.kpi.dimension,
        "better": unit.kpi.better,
        "method": method,
        "join_year": unit.join_year,
    }


def _blank(unit: Unit, t: est.Treated | None, extra: tuple[str, ...]) -> list[dict]:
    flags = _flag_text((*unit.flags, *(t.flags if t else ()), *extra))
    counts = {"pre_years": int(t.pre.sum()), "post_years": int(t.post.sum())} if t else {}
    return [
        {**_base(unit, m), "flags": flags, "pretrend_violated": None, **counts} for m in METHOD_NAMES.values()
    ]


def _row(
    unit: Unit,
    s: agg.Summary,
    t_flags: tuple[str, ...],
    key: str,
    fit: est.MethodFit,
    case: str,
    cfg: EffectsConfig,
) -> dict:
    """One method's row of a unit, in the unit's trend case (trend.regime)."""
    shown = trend.reported(fit, case, key == _primary_key(cfg), cfg)
    inf = shown.inferred
    # The counterfactual the reported effect implies (the trend-robust one lies on the member's trend).
    cf_post = s.cf_post + float(fit.effects[0]) - shown.effect
    pretrend, in_time_p = (None, math.nan) if shown.robust else _pretrend(fit, cfg)
    flags = [*unit.flags, *t_flags, *fit.flags, *shown.flags]
    flags += ["fortrend_bruten"] if pretrend else []
    fitted = fit.trend_pre_rmspe if shown.robust and fit.trend_pre_rmspe is not None else fit.pre_rmspe
    pre_fit_p = permutation_p_upper(float(fitted[0]), fitted[1:])
    # No level is far enough from zero for a percentage of a deviation around it (panel.has_a_zero).
    floor = inf.mde if unit.kpi.has_zero else math.inf
    row = {
        **_base(unit, METHOD_NAMES[key]),
        "effect": shown.effect,
        "effect_pct": _pct(shown.effect, cf_post, s.level, floor),
        "ci_low": inf.ci_low,
        "ci_high": inf.ci_high,
        "p_value": inf.p_value,
        "mde": inf.mde,
        "mde_pct": _pct(inf.mde, cf_post, s.level, floor),
        "pre_level": s.level,
        "pre_rmspe": float(fitted[0]),
        "pre_years": s.pre_years,
        "post_years": s.post_years,
        "join_year": s.join_year,
        "n_donors": fit.n_units,
        "n_placebos": inf.n_placebos,
        "pretrend_violated": pretrend,
        "pre_fit_p": pre_fit_p,
        "in_time_p": in_time_p,
    }
    row["flags"] = _flag_text(flags + _judgement_flags(row, cfg))
    return row


def _primary_key(cfg: EffectsConfig) -> str:
    """The fits' key of the configured primary method."""
    return next((k for k, name in METHOD_NAMES.items() if name == cfg.estimation.primary_method), "sdid")


def _pretrend(fit: est.MethodFit, cfg: EffectsConfig) -> tuple[bool | None, float]:
    """The primary method: the in-time placebo (a linear trend of its own is in its interval and
    p-value instead, _either_assumption); the DiD: its pre-trend slope."""
    tests = [t for t in (fit.in_time, fit.slopes) if t is not None]
    if not tests:
        return None, math.nan
    p = min(permutation_p(float(t[0]), t[1:]) for t in tests)
    return p <= cfg.inference.pretrend_alpha, p if fit.in_time is not None else math.nan


def _pct(value: float, reference: float, level: float, floor: float) -> float:
    # A percentage of a level near zero or of another sign than before means nothing: leave it out rather
    # than print a huge number. Near zero is judged against the test's own resolution (the floor: the
    # row's minimum detectable effect), since a level no larger than the smallest effect the test could
    # detect cannot be told from zero.
    floor = floor if not math.isnan(floor) else 1e-9
    if not math.isfinite(value) or abs(reference) <= floor or reference * level <= 0:
        return math.nan
    return 100.0 * value / abs(reference)


def _judgement_flags(row: dict, cfg: EffectsConfig) -> list[str]:
    # The pre-period fit is judged against the placebos' fits, not as a share of the level: a KPI
    # that swings a lot swings for everyone, and a treated unit fitted worse than nearly all
    # placebos is the one whose counterfactual cannot be trusted.
    flags = []
    if not math.isfinite(row["ci_low"]):
        flags.append("for_fa_placebo")
    if row["pre_fit_p"] <= cfg.inference.pre_fit_alpha:
        flags.append("dalig_anpassning")
    return flags


def _flag_text(flags: tuple[str, ...] | list[str]) -> str:
    return ",".join(dict.fromkeys(flags))


def _series(unit: Unit, t: est.Treated, key: str, fit: est.MethodFit, years: np.ndarray) -> list[dict]:
    cf = fit.counterfactual
    return [
        _series_row(unit, key, int(years[i]), "pre" if t.pre[i] else "post", float(t.y[i]), float(cf[i]))
        for i in np.flatnonzero(t.pre | t.post)
    ]


def _series_row(unit: Unit, key: str, year: int, period: str, observed: float, cf: float) -> dict:
    return {
        "agreement_id": unit.agreement_id,
        "municipality_id": unit.municipality_id,
        "kpi_id": unit.kpi.kpi_id,
        "method": METHOD_NAMES[key],
        "year": year,
        "period": period,
        "observed": observed,
        "counterfactual": cf,
    }
