"""Simulated staggered panels with known effects, for the national estimator's tests and benchmark.

Kommun levels, year effects, a common factor with kommun loadings and AR(1) noise; cooperations of 2–6
members start in staggered years (a wave in 2019 like the överförmyndare) and get their own effect
δ_c ~ N(mean, sd²) that grows over event time to its full size (ramp years), optionally with a planted
pre-trend. The truth is kept per kommun and year, so every estimand can be computed exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.lib.transform.effects.national import NEVER, StaggeredPanel


@dataclass(frozen=True)
class SimSpec:
    n_kommuner: int = 290
    years: range = range(2010, 2026)
    n_cooperations: int = 30
    start_years: tuple[int, int] = (2012, 2023)  # inclusive range of staggered starts
    wave_share: float = 0.4  # share of cooperations starting in the wave year
    wave_year: int = 2019
    effect_mean: float = -50.0
    effect_sd: float = 20.0  # between-cooperation spread of the full effect
    ramp_years: int = 4  # the effect reaches its full size after so many years (1: at once)
    pretrend: float = 0.0  # extra slope per year for members, before and after joining
    base: float = 1000.0
    noise: float = 40.0


@dataclass(frozen=True)
class SimPanel:
    panel: StaggeredPanel
    truth: np.ndarray  # (n, T) the effect in every kommun-year (0 untreated)
    coop_effect: np.ndarray  # (C,) the full effect δ_c


def simulate_staggered(seed: int, spec: SimSpec = SimSpec()) -> SimPanel:
    rng = np.random.default_rng(seed)
    years = np.array(list(spec.years))
    n = spec.n_kommuner
    cohort, cluster = _assign(rng, spec, n)
    delta = rng.normal(spec.effect_mean, spec.effect_sd, spec.n_cooperations)
    event = years[None, :] - cohort[:, None]
    treated = (cohort != NEVER)[:, None]
    ramp = np.clip(event / spec.ramp_years, 0, 1) * (event >= 1)
    truth = np.where(treated, delta[np.maximum(cluster, 0)][:, None] * ramp, 0.0)
    y = _outcome(rng, spec, n, years) + truth
    y += np.where(treated, spec.pretrend * event, 0.0)
    return SimPanel(StaggeredPanel(y, years, cohort, cluster), truth, delta)


def _assign(rng: np.random.Generator, spec: SimSpec, n: int) -> tuple[np.ndarray, np.ndarray]:
    cohort = np.full(n, NEVER)
    cluster = np.full(n, -1)
    order = rng.permutation(n)
    lo, hi = spec.start_years
    pos = 0
    for c in range(spec.n_cooperations):
        size = int(rng.integers(2, 7))
        start = spec.wave_year if rng.random() < spec.wave_share else int(rng.integers(lo, hi + 1))
        rows = order[pos : pos + size]
        cohort[rows], cluster[rows] = start, c
        pos += size
    return cohort, cluster


def _outcome(rng: np.random.Generator, spec: SimSpec, n: int, years: np.ndarray) -> np.ndarray:
    t = len(years)
    level = spec.base * np.exp(rng.normal(0, 0.15, n))
    year_effect = np.cumsum(rng.normal(0.015 * spec.base, 0.01 * spec.base, t))
    factor = np.cumsum(rng.normal(0, 0.01 * spec.base, t))
    loading = rng.normal(1, 0.5, n)
    scale = spec.noise * np.exp(rng.normal(0, 0.3, n))
    noise = np.zeros((n, t))
    shocks = rng.normal(0, 1, (n, t)) * scale[:, None]
    for j in range(t):
        noise[:, j] = (0.4 * noise[:, j - 1] if j else 0) + shocks[:, j]
    return level[:, None] + year_effect[None] + loading[:, None] * factor[None] + noise


def true_overall(sim: SimPanel) -> float:
    """The overall estimand: the mean effect over members' full years after joining (e ≥ 1) that have a
    base year in the data, the same cells the estimator averages."""
    p = sim.panel
    event = p.years[None, :] - p.cohort[:, None]
    has_base = np.isin(p.cohort - 1, p.years)[:, None]
    cells = (p.cohort != NEVER)[:, None] & (event >= 1) & has_base
    return float(sim.truth[cells].mean())


def true_by_event(sim: SimPanel, e: int) -> float:
    p = sim.panel
    event = p.years[None, :] - p.cohort[:, None]
    cells = (p.cohort != NEVER)[:, None] & (event == e) & np.isin(p.cohort - 1, p.years)[:, None]
    return float(sim.truth[cells].mean()) if cells.any() else float("nan")


def true_per_cooperation(sim: SimPanel) -> np.ndarray:
    """Each cooperation's mean effect over its members' full years after joining."""
    p = sim.panel
    event = p.years[None, :] - p.cohort[:, None]
    out = []
    for c in range(len(sim.coop_effect)):
        cells = (p.cluster == c)[:, None] & (event >= 1)
        out.append(sim.truth[cells].mean() if cells.any() else np.nan)
    return np.array(out)


def twfe(panel: StaggeredPanel) -> float:
    """Plain two-way fixed effects (kommun and year), treated from the year after joining. Only to show
    its bias in the benchmark; never used for an estimate."""
    y = panel.y
    d = ((panel.cohort != NEVER)[:, None] & (panel.years[None, :] > panel.cohort[:, None])).astype(float)

    def within(m: np.ndarray) -> np.ndarray:
        return m - m.mean(axis=1, keepdims=True) - m.mean(axis=0, keepdims=True) + m.mean()

    dd = within(d)
    return float((within(y) * dd).sum() / (dd**2).sum())
