"""From the panel to what the sources publish: Kolada KPI values and SCB räkenskapssammandrag in tkr.

Kolada's cost KPIs are computed from the same tkr figures SCB publishes (kr/inv = tkr × 1000 / inhabitants),
so the two sources agree the way the real ones do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.lib.demo.cast import Cast, stable_hash
from orchestration.lib.demo.effects import member_years
from orchestration.lib.demo.panel import Panel
from orchestration.lib.demo.specs import (
    FORBUND_KPI,
    FORBUND_NOISE_SD,
    FORBUND_OFFSET,
    FORBUND_SOURCE_KPI,
    SCB_FIRST_YEAR,
    SCB_LAST_YEAR,
    YEARS,
    kpi_for_verksamhet,
)
from orchestration.lib.extract.registry.model import Registry

CONTENTS = {"brutto": "0000005Z", "intakt": "0000005Y", "netto": "0000005X", "egna": "00000060"}
FORBUND_SIZE = 3


@dataclass(frozen=True)
class Forbund:
    """A gymnasium förbund: its members (cast rows), the years each is in it, the förbund's own noise."""

    rows: tuple[int, ...]
    active: np.ndarray  # members × years
    noise: np.ndarray  # years


def _noise(seed: int, name: str) -> np.ndarray:
    return np.random.default_rng([seed, stable_hash("forbund", name)]).normal(0, FORBUND_NOISE_SD, len(YEARS))


def forbunds(registry: Registry, cast: Cast, seed: int) -> list[Forbund]:
    """The registry's gymnasium förbund, and the pool grouped by län in threes (many small kommuner
    run their gymnasium in a förbund), so the förbund KPI has comparison values."""
    out = []
    for a in registry.agreements:
        if a.area == "gymnasieskola" and a.form == "kommunalforbund":
            members = [m for m in a.members if m.kommun in cast.ids]
            active = np.vstack([member_years(a, m) for m in members])
            out.append(Forbund(tuple(cast.index(m.kommun) for m in members), active, _noise(seed, a.id)))
    pool = sorted(cast.pool)
    chunks = [pool[i : i + FORBUND_SIZE] for i in range(0, len(pool), FORBUND_SIZE)]
    if len(chunks) > 1 and len(chunks[-1]) < 2:
        chunks[-2] += chunks.pop()
    for chunk in chunks:
        active = np.ones((len(chunk), len(YEARS)), dtype=bool)
        out.append(Forbund(tuple(cast.index(k) for k in chunk), active, _noise(seed, "+".join(chunk))))
    return out


def forbund_values(panel: Panel, groups: list[Forbund]) -> np.ndarray:
    """Every member of a förbund reports the förbund's figure; kommuner outside one report nothing."""
    source = panel[FORBUND_SOURCE_KPI]
    out = np.full_like(source, np.nan)
    for f in groups:
        rows = list(f.rows)
        weights = panel["N01951"][rows] * f.active
        joint = (weights * source[rows]).sum(axis=0) / np.maximum(weights.sum(axis=0), 1e-9)
        joint = np.clip(joint + FORBUND_OFFSET + f.noise, 0, 100)
        out[rows] = np.where(f.active, joint[None, :], np.nan)
    return out


def cost_tkr(panel: Panel, code: str) -> dict[str, np.ndarray]:
    """One verksamhet in whole tkr, as SCB publishes it: Nettokostnad = Bruttokostnad − Bruttointäkt."""
    pop = panel["N01951"]
    own = np.round(panel[f"own:{code}"] * pop / 1000)
    sales = np.round(panel[f"sales:{code}"] * pop / 1000)
    income = np.round(own * panel[f"inc:{code}"]) + sales
    brutto = own + sales
    return {"brutto": brutto, "intakt": income, "netto": brutto - income, "egna": own}


def kolada_arrays(panel: Panel, kpis: list[str], groups: list[Forbund], digits: dict[str, int]) -> Panel:
    """Total (T) values per KPI, kommun × year, rounded as published; NaN where nothing is reported."""
    cost_map = kpi_for_verksamhet()
    out: Panel = {}
    for kpi in kpis:
        if kpi in cost_map:
            code, measure = cost_map[kpi]
            out[kpi] = np.round(cost_tkr(panel, code)[measure] * 1000 / panel["N01951"])
        elif kpi == FORBUND_KPI:
            out[kpi] = np.round(forbund_values(panel, groups), 1)
        else:
            out[kpi] = np.round(panel[kpi], digits.get(kpi, 1))
    return out


def _long(array: np.ndarray, cast: Cast, years: tuple[int, ...], name: str) -> pd.DataFrame:
    n_k, n_y = array.shape
    return pd.DataFrame(
        {
            "municipality": np.repeat(np.array(cast.ids, dtype=object), n_y),
            "year": np.tile(np.array(years), n_k),
            name: array.ravel(),
        }
    )


def scb_frame(panel: Panel, cast: Cast, codes: list[str]) -> pd.DataFrame:
    """TAB4199 rows for the kommuner with values, 2011–2024, and Riket as their sum (see demo/README.md)."""
    first, last = YEARS.index(SCB_FIRST_YEAR), YEARS.index(SCB_LAST_YEAR) + 1
    frames = []
    for code in codes:
        for measure, figures in cost_tkr(panel, code).items():
            frame = _long(figures[:, first:last], cast, YEARS[first:last], "value_tkr")
            frames.append(frame.assign(verksamhet=code, contents_code=CONTENTS[measure]))
    kommuner = pd.concat(frames, ignore_index=True).rename(columns={"municipality": "region"})
    riket = kommuner.groupby(["verksamhet", "contents_code", "year"], as_index=False)["value_tkr"].sum()
    riket["region"] = "00"
    out = pd.concat([kommuner, riket], ignore_index=True)
    return out[["region", "verksamhet", "contents_code", "year", "value_tkr"]]


def kolada_frame(arrays: Panel, cast: Cast) -> pd.DataFrame:
    """Long rows (kpi, municipality, year, gender T, value) for every reported cell."""
    frames = [_long(values, cast, YEARS, "value").assign(kpi=kpi) for kpi, values in arrays.items()]
    out = pd.concat(frames, ignore_index=True)
    out = out[out["value"].notna()].assign(gender="T")
    return out[["kpi", "municipality", "year", "gender", "value"]].reset_index(drop=True)
