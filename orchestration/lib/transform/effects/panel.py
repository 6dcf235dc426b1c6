"""KPI values as one dense cube (KPI × kommun × year), population weights, and pre/post windows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.lib.transform.effects.config import Estimation

# Kolada's ids for Riket and the regions start with "00"; only kommuner are units or donors.
_NON_KOMMUN_PREFIX = "00"
JOINT_RTOL = 1e-6


@dataclass(frozen=True)
class PanelSet:
    """Every KPI's values: cube[k, i, t] for KPI kpis[k], kommun ids[i], year years[t]; NaN where missing."""

    ids: np.ndarray
    years: np.ndarray
    kpis: dict[str, int]
    cube: np.ndarray
    population: np.ndarray  # (n, T) gaps filled from the nearest year; NaN where never known
    row: dict[str, int]

    def series(self, kpi_id: str) -> np.ndarray:
        return self.cube[self.kpis[kpi_id]]

    def latest_year(self, kpi_id: str) -> int:
        has = ~np.isnan(self.series(kpi_id)).all(axis=0)
        return int(self.years[has].max()) if has.any() else int(self.years.max())


def build_panels(values: pd.DataFrame, population_kpi: str) -> PanelSet:
    """values: kpi_id, municipality_id, year, value (one row per key; gender T already chosen)."""
    frame = values.dropna(subset=["value"])
    frame = frame[~frame["municipality_id"].astype(str).str.startswith(_NON_KOMMUN_PREFIX)]
    ids = np.array(sorted(frame["municipality_id"].astype(str).unique()), dtype=object)
    years = np.array(sorted(frame["year"].astype(int).unique()), dtype=int)
    kpi_ids = sorted(frame["kpi_id"].astype(str).unique())
    cube = np.full((len(kpi_ids), len(ids), len(years)), np.nan)
    k = pd.Categorical(frame["kpi_id"].astype(str), categories=kpi_ids).codes
    i = pd.Categorical(frame["municipality_id"].astype(str), categories=ids).codes
    t = np.searchsorted(years, frame["year"].astype(int).to_numpy())
    cube[k, i, t] = frame["value"].to_numpy(dtype=float)
    kpis = {kpi: n for n, kpi in enumerate(kpi_ids)}
    pop = cube[kpis[population_kpi]] if population_kpi in kpis else np.full(cube.shape[1:], np.nan)
    row = {str(m): n for n, m in enumerate(ids)}
    return PanelSet(ids, years, kpis, cube, _fill_nearest(pop), row)


def _fill_nearest(matrix: np.ndarray) -> np.ndarray:
    # Population moves slowly: a missing year borrows the nearest known year of the same kommun.
    frame = pd.DataFrame(matrix.T)
    return frame.ffill().bfill().to_numpy().T


# A KPI with more negative values than this among the kommuner is a deviation around zero (a
# nettokostnadsavvikelse: 40-47 % negative in real Kolada values), not a level that zero means none of;
# a percentage of it means nothing (N17001 read +269 % nationally, −582 % for one member). Levels have at
# most a few negatives (Kostnad for a host that sells more than it costs: under 1 %).
MAX_NEGATIVE_SHARE_FOR_PCT = 0.2


def has_a_zero(values: np.ndarray) -> bool:
    """Whether a KPI's values (any shape, NaN where missing) are a level with a true zero (few negative
    values), so that a percentage of its level holds."""
    finite = values[np.isfinite(values)]
    return finite.size == 0 or float((finite < 0).mean()) <= MAX_NEGATIVE_SHARE_FOR_PCT


def weighted_series(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Population-weighted mean over rows, per year; NaN in a year where any row is missing."""
    w = np.where(np.isnan(weights), 1.0, weights)
    total = (values * w).sum(axis=0) / w.sum(axis=0)
    return np.where(np.isnan(values).any(axis=0), np.nan, total)


@dataclass(frozen=True)
class Window:
    pre: np.ndarray  # boolean over years
    post: np.ndarray
    flags: tuple[str, ...]
    cut_by_break: bool


def calendar_window(
    years: np.ndarray,
    join_year: int,
    end_year: int | None,
    method_break: int | None,
    latest_year: int,
    cfg: Estimation,
    pre_from: int | None = None,
    observed: np.ndarray | None = None,
) -> Window:
    """Pre: years before joining (from pre_from on); post: years after it (joining year left out); both
    only years `observed` (the unit has a value), so that the year before joining is left out only while
    enough years with values remain (the panel's years are every KPI's, most of them not this one's)."""
    has = np.ones(len(years), dtype=bool) if observed is None else observed
    pre = (years < join_year) & has
    if pre_from is not None:
        pre &= years >= pre_from
    if cfg.max_pre_years is not None:
        pre &= years >= join_year - cfg.max_pre_years
    post = (years > join_year) & has
    if end_year is not None:
        post &= years < end_year
    flags: list[str] = []
    cut = False
    if method_break is not None:
        pre, post, cut = _respect_break(years, join_year, method_break, pre, post)
        if cut:
            flags.append("metodbrott_fonster_kortat")
    pre = _anticipation(years, join_year, pre, cfg)
    post, prel_flags = _preliminary(years, post, latest_year, cfg.preliminary_latest_year)
    return Window(pre, post, (*flags, *prel_flags), cut)


def _anticipation(years: np.ndarray, join_year: int, pre: np.ndarray, cfg: Estimation) -> np.ndarray:
    # The year before joining is when the decision, the preparations and a transition's costs fall
    # (and when a bad year prompts the decision): it is left out while enough pre-years remain.
    if not cfg.anticipation_years:
        return pre
    trimmed = pre & (years < join_year - cfg.anticipation_years)
    return trimmed if int(trimmed.sum()) >= cfg.min_pre_years else pre


def _respect_break(
    years: np.ndarray, join_year: int, brk: int, pre: np.ndarray, post: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool]:
    # The break year is the first year of the new method: compare only within one side of it.
    if join_year >= brk:
        new_pre = pre & (years >= brk)
        return new_pre, post, bool((pre & ~new_pre).any())
    new_post = post & (years < brk)
    return pre, new_post, bool((post & ~new_post).any())


def _preliminary(years: np.ndarray, post: np.ndarray, latest: int, mode: str) -> tuple[np.ndarray, list[str]]:
    is_latest = years == latest
    if mode == "off" or not (post & is_latest).any():
        return post, []
    if mode == "exclude":
        return post & ~is_latest, ["preliminart_ar_utelamnat"]
    return post, ["preliminart_ar"]


def joint_reporting(values: np.ndarray, years: np.ndarray, join_year: int) -> str | None:
    """'always' if members report one identical value in every year, 'post' if only from joining on."""
    if values.shape[0] < 2:
        return None
    present = ~np.isnan(values).any(axis=0)
    if not present.any():
        return None
    same = _identical(values[:, present])
    if same.all():
        return "always"
    after = years[present] >= join_year
    if after.any() and same[after].all() and not same[~after].all():
        return "post"
    return None


def _identical(values: np.ndarray) -> np.ndarray:
    spread = values.max(axis=0) - values.min(axis=0)
    return spread <= JOINT_RTOL * np.maximum(np.abs(values).max(axis=0), 1.0)


def donor_rows(panels: PanelSet, excluded: set[str]) -> np.ndarray:
    """Row indices of kommuner that may serve as donors: in no cooperation of the area."""
    return np.array([n for n, m in enumerate(panels.ids) if m not in excluded], dtype=int)
