"""The uncertainty band around each counterfactual: the placebos' spread year by year.

In every year the band is the counterfactual ± the critical value of the placebos' gaps in that year,
found exactly as the effect's interval is (inference.critical_value, at inference.confidence): an
observed value outside the band is a gap the permutation test would reject in that year alone. Before
joining the placebos' gaps are their pre-period misfit, so the band there shows how closely a
counterfactual of this kind follows a kommun that did not join anything.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from orchestration.lib.transform.effects import aggregate as agg
from orchestration.lib.transform.effects.inference import critical_value
from orchestration.lib.transform.effects.units import Unit

BAND_COLUMNS = ["agreement_id", "municipality_id", "kpi_id", "method", "year", "period", "counterfactual",
                "band_low", "band_high", "confidence", "n_placebos"]  # fmt: skip


def empty_bands() -> pd.DataFrame:
    """No bands: the table's columns, no rows."""
    return pd.DataFrame(columns=BAND_COLUMNS)


def member_bands(unit: Unit, fitted: agg.MemberFit, years: np.ndarray, confidence: float) -> list[dict]:
    """One unit's band rows, for every method whose placebo gaps are known, over its compared years."""
    t = fitted.t
    rows = []
    for key, fit in fitted.fits.items():
        if fit.placebo_gaps is None:
            continue
        for i in np.flatnonzero(t.pre | t.post):
            period = "pre" if t.pre[i] else "post"
            cf = float(fit.counterfactual[i])
            rows.append(_row(unit, key, int(years[i]), period, cf, fit.placebo_gaps[:, i], confidence))
    return rows


def total_bands(unit: Unit, members: list[agg.MemberFit], years: np.ndarray, confidence: float) -> list[dict]:
    """A group's band rows: its members' placebo gaps combined per year as the placebo totals are."""
    w = agg.shares(members)
    all_pre = np.logical_and.reduce([m.t.pre for m in members])
    all_post = np.logical_and.reduce([m.t.post for m in members])
    rows = []
    for key in members[0].fits:
        fits = [m.fits[key] for m in members]
        if any(f.placebo_gaps is None for f in fits):
            continue
        cf = sum(w[j] * f.counterfactual for j, f in enumerate(fits))
        for i in np.flatnonzero(all_pre | all_post):
            # combine() takes the treated value first; its placebo combinations are what matters here.
            gaps = agg.combine([np.concatenate([[0.0], f.placebo_gaps[:, i]]) for f in fits], w)[1:]  # type: ignore[index]
            period = "pre" if all_pre[i] else "post"
            rows.append(_row(unit, key, int(years[i]), period, float(cf[i]), gaps, confidence))
    return rows


def _row(
    unit: Unit, key: str, year: int, period: str, cf: float, gaps: np.ndarray, confidence: float
) -> dict:
    crit = critical_value(gaps, confidence)
    known = math.isfinite(crit) and math.isfinite(cf)
    return {
        "agreement_id": unit.agreement_id,
        "municipality_id": unit.municipality_id,
        "kpi_id": unit.kpi.kpi_id,
        "method": key,  # the fit's key; results.py names it as in every other table
        "year": year,
        "period": period,
        "counterfactual": cf,
        "band_low": cf - crit if known else math.nan,
        "band_high": cf + crit if known else math.nan,
        "confidence": confidence,
        "n_placebos": int(np.isfinite(gaps).sum()),
    }
