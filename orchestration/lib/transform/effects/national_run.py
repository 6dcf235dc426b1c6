"""The national estimates for every area × form × KPI, and each cooperation among its peers, as frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.lib.transform.effects.national import (
    NEVER,
    NationalResult,
    StaggeredPanel,
    build_cells,
    estimate,
)
from orchestration.lib.transform.effects.national_peers import own_estimates, shrink
from orchestration.lib.transform.effects.panel import has_a_zero

DRAWS = 999  # bootstrap draws: the interval ends move by well under a tenth of a standard error
SEED = 20240515
CONFIDENCE = 0.95
MIN_LEVEL_FOR_PCT = 1e-6  # no percentage where the counterfactual level is about zero or negative


@dataclass(frozen=True)
class NationalInputs:
    """values: kpi_id, municipality_id, year, value (gender T). cooperations: cooperation_id, area, form,
    municipality_id, joined_year, source ('registry' | 'discovered'). area_kpis: area, kpi_id."""

    values: pd.DataFrame
    cooperations: pd.DataFrame
    area_kpis: pd.DataFrame


@dataclass(frozen=True)
class NationalTables:
    effects: pd.DataFrame
    peers: pd.DataFrame


def run_national(inputs: NationalInputs, draws: int = DRAWS) -> NationalTables:
    """One staggered DiD per area × form × KPI over every cooperation of that kind."""
    cube = _cube(inputs.values)
    effects, peers = [], []
    coops = inputs.cooperations.dropna(subset=["joined_year"])
    for (area, form), kind in coops.groupby(["area", "form"], sort=True):
        others = set(coops.loc[(coops["area"] == area) & (coops["form"] != form), "municipality_id"])
        kpis = inputs.area_kpis.loc[inputs.area_kpis["area"] == area, "kpi_id"]
        for kpi in sorted(set(kpis) & set(cube)):
            panel, names = _panel(cube[kpi], kind, others)
            result = estimate(panel, draws=draws, seed=SEED, confidence=CONFIDENCE)
            if result is None:
                continue
            key = {"area_id": area, "form": form, "kpi_id": kpi}
            rows, peer = _effect_rows(result, key), _peer_rows(panel, names, result, key)
            if not has_a_zero(cube[kpi].to_numpy(dtype=float)):
                rows, peer = _without_pct(rows), _without_pct(peer)
            effects.append(rows)
            peers.append(peer)
    return NationalTables(_concat(effects, EFFECT_COLUMNS), _concat(peers, PEER_COLUMNS))


def _cube(values: pd.DataFrame) -> dict[str, pd.DataFrame]:
    frame = values.dropna(subset=["value"])
    frame = frame[~frame["municipality_id"].astype(str).str.startswith("00")]  # Riket and regions
    wide = frame.pivot_table(
        index=["kpi_id", "municipality_id"], columns="year", values="value", aggfunc="first"
    )
    return {str(k): g.droplevel(0) for k, g in wide.groupby(level=0)}


def _panel(wide: pd.DataFrame, kind: pd.DataFrame, others: set[str]) -> tuple[StaggeredPanel, list[str]]:
    """Members of the kind are treated from their first joining year, in their first cooperation's
    cluster; members of another form in the area are neither treated nor controls."""
    first = kind.sort_values(["joined_year", "cooperation_id"]).drop_duplicates("municipality_id")
    joined = dict(zip(first["municipality_id"], first["joined_year"].astype(int), strict=True))
    names = sorted(first["cooperation_id"].unique())
    index = {c: n for n, c in enumerate(names)}
    coop = dict(zip(first["municipality_id"], first["cooperation_id"].map(index), strict=True))
    rows = [m for m in wide.index if m in joined or m not in others]
    wide = wide.loc[rows]
    cohort = np.array([joined.get(m, NEVER) for m in rows])
    cluster = np.array([coop.get(m, -1) for m in rows])
    years = wide.columns.to_numpy(dtype=int)
    return StaggeredPanel(wide.to_numpy(dtype=float), years, cohort, cluster), names


def _without_pct(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{c: np.nan for c in frame.columns if c.endswith("_pct")})


def _pct(value: np.ndarray | float, level: np.ndarray | float) -> np.ndarray:
    level = np.asarray(level, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(level > MIN_LEVEL_FOR_PCT, 100 * np.asarray(value, dtype=float) / level, np.nan)


EFFECT_COLUMNS = [
    "area_id", "form", "kpi_id", "event_year", "estimate", "estimate_pct", "se", "ci_low", "ci_high",
    "ci_low_pct", "ci_high_pct", "level", "n_cooperations", "n_municipalities", "pretrend_p",
    "pretrend_events",
]  # fmt: skip
PEER_COLUMNS = [
    "agreement_id", "area_id", "form", "kpi_id", "own_estimate", "own_se", "own_pct", "own_level",
    "national_estimate", "national_pct", "tau", "shrunk_estimate", "shrunk_pct", "shrinkage", "n_peers",
    "n_members",
]  # fmt: skip


def _effect_rows(r: NationalResult, key: dict) -> pd.DataFrame:
    events = pd.DataFrame({
        "event_year": pd.array(r.events, dtype="Int64"), "estimate": r.estimate, "se": r.se,
        "ci_low": r.ci_low, "ci_high": r.ci_high, "level": r.level, "n_cooperations": r.n_clusters_event,
        "n_municipalities": r.n_treated,
    })  # fmt: skip
    overall = pd.DataFrame([{
        "event_year": pd.NA, "estimate": r.overall, "se": r.overall_se, "ci_low": r.overall_ci[0],
        "ci_high": r.overall_ci[1], "level": r.overall_level, "n_cooperations": r.n_clusters,
        "n_municipalities": r.n_municipalities,
    }])  # fmt: skip
    out = pd.concat([events, overall], ignore_index=True).assign(**key)
    for col in ("estimate", "ci_low", "ci_high"):
        out[f"{col}_pct"] = _pct(out[col], out["level"])
    return out.assign(pretrend_p=r.pretrend_p, pretrend_events=r.pretrend_events)


def _peer_rows(panel: StaggeredPanel, names: list[str], r: NationalResult, key: dict) -> pd.DataFrame:
    found = own_estimates(panel, build_cells(panel))
    if not found:
        return pd.DataFrame(columns=PEER_COLUMNS)
    own = np.array([p.own for p in found])
    se = np.array([p.own_se for p in found])
    shrunk = shrink(own, se, r.overall)
    level = np.array([p.level for p in found])
    return pd.DataFrame({
        "agreement_id": [names[p.cluster] for p in found], "own_estimate": own, "own_se": se,
        "own_pct": _pct(own, level), "own_level": level, "national_estimate": r.overall,
        "national_pct": _pct(r.overall, r.overall_level), "tau": np.sqrt(shrunk.tau2),
        "shrunk_estimate": shrunk.estimate, "shrunk_pct": _pct(shrunk.estimate, level),
        "shrinkage": shrunk.shrinkage, "n_peers": len(found) - 1, "n_members": [p.n_members for p in found],
    }).assign(**key)  # fmt: skip


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
