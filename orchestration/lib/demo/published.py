"""How Kolada publishes the values: gender rows, preliminary latest year, gaps, a deleted value, and the
dates values last changed (what `from_date` filters on)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from orchestration.lib.demo.cast import stable_hash
from orchestration.lib.demo.meta import AS_OF, publication
from orchestration.lib.demo.specs import GENDER_OFFSETS, LAST_YEAR, WOMEN_SHARE

PRELIMINARY_STATUS = "Preliminär"
N_MISSING = 12
REVISED_SHARE = 0.03
# Values the traps rely on stay whole: joint figures, the förbund KPI, population.
NEVER_MISSING = frozenset({"N01951", "U37009", "N17304"})
VALUE_COLUMNS = ["kpi", "municipality", "year", "gender", "value", "count", "status", "isdeleted", "updated"]


def _gender_rows(values: pd.DataFrame, kpi: str, seed: int) -> pd.DataFrame:
    total = values[values["kpi"] == kpi]
    rng = np.random.default_rng([seed, stable_hash("gender", kpi)])
    if kpi == "N01951":
        women = np.round(total["value"] * (WOMEN_SHARE + rng.normal(0, 0.006, len(total))))
        men = total["value"] - women
    else:
        off_k, off_m = GENDER_OFFSETS.get(kpi, (1.0, -1.0))
        women = np.clip(np.round(total["value"] + off_k + rng.normal(0, 1.0, len(total)), 1), 0, 100)
        men = np.clip(np.round(total["value"] + off_m + rng.normal(0, 1.0, len(total)), 1), 0, 100)
    return pd.concat([total.assign(gender="K", value=women), total.assign(gender="M", value=men)])


def add_gender(values: pd.DataFrame, divided: list[str], seed: int) -> pd.DataFrame:
    """Women's (K) and men's (M) rows for KPIs divided by gender; population splits exactly."""
    extra = [_gender_rows(values, kpi, seed) for kpi in divided if kpi in set(values["kpi"])]
    return pd.concat([values, *extra], ignore_index=True) if extra else values


def _updated(kpi: str, years: pd.Series) -> pd.Series:
    prel, final = publication(kpi)
    latest = prel or min(final, AS_OF)
    dates = [latest if y == LAST_YEAR else min(date(y + 1, final.month, final.day), AS_OF) for y in years]
    return pd.Series(dates, index=years.index)


def add_publication(values: pd.DataFrame, seed: int) -> pd.DataFrame:
    """count, status, isdeleted and updated; the latest year preliminary; a few later revisions."""
    out = values.assign(count=1, status="", isdeleted=False)
    out["updated"] = pd.concat([_updated(k, g["year"]) for k, g in out.groupby("kpi")]).sort_index()
    out.loc[out["year"] == LAST_YEAR, "status"] = PRELIMINARY_STATUS
    rng = np.random.default_rng([seed, stable_hash("revised")])
    revised = (rng.random(len(out)) < REVISED_SHARE) & (out["year"] <= LAST_YEAR - 2).to_numpy()
    lags = rng.integers(2, 5, revised.sum())  # some revisions are recent enough for an incremental load
    later = [
        date(min(y + lag, AS_OF.year), 3, 15) for y, lag in zip(out.loc[revised, "year"], lags, strict=True)
    ]
    out.loc[revised, "updated"] = pd.Series(later, index=out.index[revised], dtype=object)
    return out


def add_gaps(
    values: pd.DataFrame, pool: tuple[str, ...], seed: int, whole: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """A few values missing (null) and one value marked deleted, as Kolada's data has them; KPIs in
    `whole` (the signature KPIs, whose gaps the world sets itself) keep every value."""
    out = values.copy()
    kept = NEVER_MISSING | whole
    rng = np.random.default_rng([seed, stable_hash("gaps")])
    eligible = out.index[
        (out["gender"] == "T") & ~out["kpi"].isin(kept) & (out["year"] < LAST_YEAR)
    ].to_numpy()
    gaps = rng.choice(eligible, N_MISSING, replace=False)
    out.loc[gaps, ["value", "count"]] = [np.nan, 0]  # Kolada sends count 0 with a missing value
    candidates = out.index[
        out["municipality"].isin(pool)
        & ~out["kpi"].isin(kept)
        & out["value"].notna()
        & (out["gender"] == "T")
        & (out["year"] == 2016)
    ]
    out.loc[candidates[rng.integers(len(candidates))], "isdeleted"] = True
    return out


def publish(
    values: pd.DataFrame, divided: list[str], pool: tuple[str, ...], seed: int, whole: list[str] | None = None
) -> pd.DataFrame:
    """The published Kolada values in DemoWorld.kolada_values' columns, sorted."""
    out = add_publication(add_gender(values, divided, seed), seed)
    out = add_gaps(out, pool, seed, frozenset(whole or ()))
    out = out.sort_values(["kpi", "municipality", "year", "gender"], ignore_index=True)
    return out[VALUE_COLUMNS]
