"""Run every unit and shape the results as the rows of analysis.effect_estimates and effect_series."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.lib.effects import estimate as est
from orchestration.lib.effects.config import EffectsConfig
from orchestration.lib.effects.inference import infer, permutation_p
from orchestration.lib.effects.panel import PanelSet
from orchestration.lib.effects.units import Unit

ESTIMATE_COLUMNS = [
    "agreement_id", "municipality_id", "is_host", "kpi_id", "dimension", "better", "method",
    "effect", "effect_pct", "ci_low", "ci_high", "p_value", "mde", "mde_pct", "pre_level", "pre_rmspe",
    "pre_years", "post_years", "join_year", "n_donors", "n_placebos", "pretrend_violated", "flags",
]  # fmt: skip
SERIES_COLUMNS = ["agreement_id", "municipality_id", "kpi_id", "method", "year", "period", "observed",
                  "counterfactual"]  # fmt: skip
METHOD_NAMES = {"sc": "synthetic_control", "did": "diff_in_diff"}


@dataclass(frozen=True)
class Results:
    estimates: pd.DataFrame
    series: pd.DataFrame


def estimate_units(
    units: list[Unit], panels: PanelSet, donors: dict[str, np.ndarray], cfg: EffectsConfig
) -> Results:
    """Both methods for every unit; donors maps each area to the panel rows allowed as donors."""
    rows: list[dict] = []
    series: list[dict] = []
    for unit in units:
        r, s = estimate_one(unit, panels, donors.get(unit.area, np.array([], dtype=int)), cfg)
        rows += r
        series += s
    return Results(pd.DataFrame(rows, columns=ESTIMATE_COLUMNS), pd.DataFrame(series, columns=SERIES_COLUMNS))


def estimate_one(
    unit: Unit, panels: PanelSet, donors: np.ndarray, cfg: EffectsConfig
) -> tuple[list[dict], list[dict]]:
    if unit.kpi.kpi_id not in panels.kpis:
        return _blank(unit, None, ("data_saknas",)), []
    t = est.treated_series(unit, panels, cfg)
    if set(t.flags) & {"data_saknas", "kort_forperiod", "kort_efterperiod"}:
        return _blank(unit, t, ()), []
    pool = est.donor_pool(unit, t, panels, donors, cfg)
    if pool is None or len(pool.series) - len(t.shares) < cfg.estimation.min_donors:
        return _blank(unit, t, ("fa_givare",)), []
    plc = est.placebos(unit, t, pool, cfg)
    fits = {"sc": est.fit_synthetic(t, pool, plc), "did": est.fit_did(t, pool, plc, panels.years, cfg)}
    rows = [_row(unit, t, key, fit, cfg) for key, fit in fits.items()]
    return rows, [s for key, fit in fits.items() for s in _series(unit, t, key, fit, panels.years)]


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


def _row(unit: Unit, t: est.Treated, key: str, fit: est.MethodFit, cfg: EffectsConfig) -> dict:
    inf = infer(float(fit.effects[0]), fit.effects[1:], cfg.inference.confidence, cfg.inference.power)
    level = float(t.y[t.pre].mean())
    cf_post = float(fit.counterfactual[t.post].mean())
    pretrend = None
    flags = [*unit.flags, *t.flags, *fit.flags]
    if fit.slopes is not None:
        pretrend = permutation_p(float(fit.slopes[0]), fit.slopes[1:]) <= cfg.inference.pretrend_alpha
        flags += ["fortrend_bruten"] if pretrend else []
    row = {
        **_base(unit, METHOD_NAMES[key]),
        "effect": float(fit.effects[0]),
        "effect_pct": _pct(float(fit.effects[0]), cf_post, level),
        "ci_low": inf.ci_low,
        "ci_high": inf.ci_high,
        "p_value": inf.p_value,
        "mde": inf.mde,
        "mde_pct": _pct(inf.mde, cf_post, level),
        "pre_level": level,
        "pre_rmspe": float(fit.pre_rmspe[0]),
        "pre_years": int(t.pre.sum()),
        "post_years": int(t.post.sum()),
        "n_donors": fit.n_units,
        "n_placebos": inf.n_placebos,
        "pretrend_violated": pretrend,
    }
    row["flags"] = _flag_text(flags + _judgement_flags(row, cfg))
    return row


def _pct(value: float, reference: float, level: float) -> float:
    # A percentage of a level near zero or of another sign than before (e.g. a deviation in %) means
    # nothing: leave it out rather than print a huge number.
    if not math.isfinite(value) or abs(reference) < 1e-9 or reference * level <= 0:
        return math.nan
    return 100.0 * value / abs(reference)


def _judgement_flags(row: dict, cfg: EffectsConfig) -> list[str]:
    v = cfg.verdicts
    flags = []
    if not math.isfinite(row["ci_low"]):
        flags.append("for_fa_placebo")
    elif v.max_mde_pct is not None and math.isfinite(row["mde_pct"]) and row["mde_pct"] > v.max_mde_pct:
        flags.append("svagt_test")
    level = abs(row["pre_level"])
    if (
        v.max_pre_rmspe_pct is not None
        and level > 1e-9
        and 100 * row["pre_rmspe"] / level > v.max_pre_rmspe_pct
    ):
        flags.append("dalig_anpassning")
    return flags


def _flag_text(flags: tuple[str, ...] | list[str]) -> str:
    return ",".join(dict.fromkeys(flags))


def _series(unit: Unit, t: est.Treated, key: str, fit: est.MethodFit, years: np.ndarray) -> list[dict]:
    used = np.flatnonzero(t.pre | t.post)
    return [
        {
            "agreement_id": unit.agreement_id,
            "municipality_id": unit.municipality_id,
            "kpi_id": unit.kpi.kpi_id,
            "method": METHOD_NAMES[key],
            "year": int(years[i]),
            "period": "pre" if t.pre[i] else "post",
            "observed": float(t.y[i]),
            "counterfactual": float(fit.counterfactual[i]),
        }
        for i in used
    ]
