"""The counterfactual panel: every series for every kommun with values, before any cooperation effect.

Each series is kommun × year (rows aligned with Cast.ids, columns with YEARS). Draws come from a generator
per (seed, series, kommun), so a kommun's series does not depend on which other kommuner are simulated.
"""

from __future__ import annotations

import numpy as np

from orchestration.lib.demo.cast import Cast, stable_hash
from orchestration.lib.demo.specs import (
    BASE_YEAR,
    DEFAULT_INFLATION,
    INFLATION,
    METHOD_BREAKS,
    PANDEMIC,
    YEARS,
    KpiSpec,
    verksamhet_spec,
)

Panel = dict[str, np.ndarray]
T = np.array(YEARS, dtype=float) - BASE_YEAR


def price_index() -> np.ndarray:
    """Nominal price level per year, 1.0 in the base year."""
    growth = np.array([INFLATION.get(y, DEFAULT_INFLATION) for y in YEARS])
    level = np.cumprod(1 + growth)
    return level / level[YEARS.index(BASE_YEAR)]


def _rng(seed: int, *parts: str) -> np.random.Generator:
    return np.random.default_rng([seed, stable_hash(*parts)])


def _ar1(rng: np.random.Generator, sd: float, rho: float) -> np.ndarray:
    shocks = rng.normal(0.0, sd * np.sqrt(1 - rho**2), len(YEARS))
    out = np.empty(len(YEARS))
    out[0] = rng.normal(0.0, sd)
    for t in range(1, len(YEARS)):
        out[t] = rho * out[t - 1] + shocks[t]
    return out


def _kommun_terms(spec: KpiSpec, seed: int, name: str, kommun: str) -> np.ndarray:
    """Fixed effect, own drift and AR(1) noise of one kommun's series."""
    rng = _rng(seed, name, kommun)
    fe = rng.normal(0.0, spec.fe_sd)
    slope = rng.normal(0.0, spec.slope_sd) * (1.0 if spec.log else spec.level)
    return fe + slope * T + _ar1(rng, spec.noise_sd, spec.rho)


def simulate_series(spec: KpiSpec, cast: Cast, seed: int, name: str) -> np.ndarray:
    """One series for every kommun in the cast, in the KPI's unit."""
    size = np.log(cast.pop2024 / 10000.0)[:, None]
    common = spec.trend * T + _rng(seed, name, "year").normal(0.0, spec.year_sd, len(YEARS))
    own = np.vstack([_kommun_terms(spec, seed, name, k) for k in cast.ids])
    x = common[None, :] + spec.size_elast * size + spec.north * cast.north[:, None] + own
    values = spec.level * np.exp(x) if spec.log else spec.level + x
    if spec.nominal:
        values = values * price_index()[None, :]
    return np.clip(values, spec.lo, spec.hi) if spec.lo is not None or spec.hi is not None else values


def simulate_population(cast: Cast, seed: int) -> np.ndarray:
    """Inhabitants: the kommun's approximate size, a slow own trend (most small kommuner shrink), noise."""
    rows = []
    for k, size in zip(cast.ids, cast.pop2024, strict=True):
        rng = _rng(seed, "N01951", k)
        drift = rng.normal(-0.003, 0.006)
        rows.append(size * np.exp(drift * T + _ar1(rng, 0.003, 0.8)))
    return np.round(np.vstack(rows))


def _income_share(spec_share: float, sd: float, cast: Cast, seed: int, code: str) -> np.ndarray:
    rows = []
    for k in cast.ids:
        rng = _rng(seed, "income", code, k)
        rows.append(spec_share + rng.normal(0.0, sd) + rng.normal(0.0, sd / 3, len(YEARS)))
    return np.clip(np.vstack(rows), 0.0, 1.3)


def _add_shared_events(panel: Panel, cast: Cast, seed: int) -> None:
    """Events every kommun shares: the pandemic's sick leave, the 2019 method break."""
    for kpi, bumps in PANDEMIC.items():
        if kpi in panel:
            panel[kpi] = panel[kpi] + np.array([bumps.get(y, 0.0) for y in YEARS])[None, :]
    for kpi, (year, common, sd) in METHOD_BREAKS.items():
        if kpi in panel:
            shift = common + np.array([_rng(seed, "break", kpi, k).normal(0.0, sd) for k in cast.ids])
            panel[kpi] = panel[kpi] + np.outer(shift, np.array(YEARS) >= year)


def simulate_panel(cast: Cast, seed: int, kpis: dict[str, KpiSpec], codes: list[str]) -> Panel:
    """The counterfactual world: population, own gross cost and income share per verksamhet, other KPIs."""
    panel: Panel = {"N01951": simulate_population(cast, seed)}
    for code in codes:
        spec = verksamhet_spec(code)
        panel[f"own:{code}"] = simulate_series(spec.cost, cast, seed, f"own:{code}")
        panel[f"inc:{code}"] = _income_share(spec.income_share, spec.income_sd, cast, seed, code)
        panel[f"sales:{code}"] = np.zeros_like(panel[f"own:{code}"])
    for kpi, spec in sorted(kpis.items()):
        panel[kpi] = simulate_series(spec, cast, seed, kpi)
    _add_shared_events(panel, cast, seed)
    return panel
