"""Calibration worlds: simulated kommun panels with known effects, for the tests and benchmark of the
effect models (the demo world the snapshot records is lib/demo/simulation.py).

Each KPI follows a kommun level, a common trend, two common factors with kommun loadings and AR(1)
noise that is larger for small kommuner; cooperations get a known shift after joining, or a trend
of their own, or values reported jointly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from orchestration.lib.demo.world import kommun_ids
from orchestration.lib.transform.effects.model import EffectInputs

POPULATION_KPI = "N01951"


@dataclass(frozen=True)
class SimKpi:
    kpi_id: str
    dimension: str = "kostnad"
    better: str = "lower"
    base: float = 1000.0
    noise: float = 0.03  # sd of the AR(1) noise's yearly shocks, share of the base, kommun of median size
    rho: float = 0.4  # AR(1) coefficient of the noise
    cost_basis: str | None = None
    reported_jointly: bool = False
    method_break: int | None = None
    caution: str | None = None
    primary: bool = False  # the dimension's declared primary KPI (areas.yaml)


@dataclass(frozen=True)
class SimAgreement:
    agreement_id: str
    area: str
    n_members: int
    join_year: int
    purpose: tuple[str, ...] = ("kostnad",)
    effects: dict[str, float] = field(default_factory=dict)  # kpi -> shift in KPI units after joining
    pretrend: dict[str, float] = field(default_factory=dict)  # kpi -> extra slope per year (all years)
    joint: dict[str, str] = field(default_factory=dict)  # kpi -> "always" | "post"
    host_index: int | None = 0
    stagger: int = 0  # member i joins stagger·i years after the first
    level_factor: float = 1.0  # members' level × this: above 1.5 they lie outside the donors' range
    bad_year: float = 0.0  # a shock to the members in the year before joining, as a share of the base
    contaminate: float = 0.0  # share of other kommuner (donors) that get the same effect, unregistered
    # Share of those that the data reveals (a joint organisation's identical values, as dbt's
    # int_area_excluded_controls finds them): left out of the donors and comparisons, as in the pipeline.
    contaminate_known: float = 0.0

    def joins(self) -> list[int]:
        return [self.join_year + self.stagger * i for i in range(self.n_members)]


@dataclass(frozen=True)
class CalibrationWorld:
    """The estimators' inputs for a simulated panel, and which kommuner each agreement was placed on."""

    inputs: EffectInputs
    members: dict[str, list[str]]  # agreement -> its kommuner, host first


def calibration_world(
    seed: int,
    kpis: dict[str, list[SimKpi]],
    agreements: list[SimAgreement],
    n_kommuner: int = 120,
    years: range = range(2010, 2026),
    kolada_groups: bool = False,
) -> CalibrationWorld:
    """kpis maps each area to its KPIs; agreements are placed on distinct kommuner within an area."""
    rng = np.random.default_rng(seed)
    ids = kommun_ids(n_kommuner)
    yrs = np.array(list(years))
    pop = _population(rng, n_kommuner, yrs)
    chosen = _place(rng, ids, agreements)
    frames = [_frame(POPULATION_KPI, ids, yrs, pop)]
    all_kpis = {k.kpi_id: k for ks in kpis.values() for k in ks}
    taken = {m for ms in chosen.values() for m in ms}
    others = [i for i, m in enumerate(ids) if m not in taken]
    known: list[dict[str, str]] = []
    for kpi in all_kpis.values():
        y = _kpi_values(rng, kpi, pop, yrs)
        for agr in agreements:
            y = _treat(y, kpi, agr, [ids.index(m) for m in chosen[agr.agreement_id]], pop, yrs)
            y, hit = _contaminate(rng, y, kpi, agr, others, yrs)
            shown = hit[: round(agr.contaminate_known * len(hit))]
            known += [{"area": agr.area, "municipality_id": ids[i]} for i in shown]
        frames.append(_frame(kpi.kpi_id, ids, yrs, y))
    inputs = EffectInputs(
        values=pd.concat(frames, ignore_index=True),
        agreements=_agreements(agreements, chosen),
        members=_members(agreements, chosen),
        area_kpis=_area_kpis(kpis),
        peers=_peers(ids, pop, chosen, agreements) if kolada_groups else _no_peers(),
        excluded=pd.DataFrame(known, columns=["area", "municipality_id"]).drop_duplicates(),
    )
    return CalibrationWorld(inputs, chosen)


def _population(rng: np.random.Generator, n: int, yrs: np.ndarray) -> np.ndarray:
    base = np.exp(rng.normal(np.log(16000), 0.9, n)).clip(2500, 900000)
    growth = rng.normal(0.003, 0.006, n)
    return base[:, None] * (1 + growth[:, None]) ** (yrs - yrs[0])[None]


def _place(rng: np.random.Generator, ids: list[str], agreements: list[SimAgreement]) -> dict[str, list[str]]:
    used: dict[str, set[str]] = {}
    out = {}
    for agr in agreements:
        taken = used.setdefault(agr.area, set())
        free = [m for m in ids if m not in taken]
        pick = [str(m) for m in rng.choice(free, size=agr.n_members, replace=False)]
        taken.update(pick)
        out[agr.agreement_id] = pick
    return out


def _kpi_values(rng: np.random.Generator, kpi: SimKpi, pop: np.ndarray, yrs: np.ndarray) -> np.ndarray:
    n, t = pop.shape
    size = np.log(pop[:, 0] / 16000)
    level = kpi.base * np.exp(0.15 * rng.normal(size=n) - 0.05 * size)
    trend = 1 + 0.015 * (yrs - yrs[0])
    factors = np.cumsum(rng.normal(0, 1, (2, t)), axis=1)
    loads = rng.normal(1.0, 0.5, (n, 2))
    common = 0.02 * kpi.base * (loads @ factors)
    sd = kpi.noise * kpi.base * np.exp(-0.25 * size)
    noise = np.zeros((n, t))
    shocks = rng.normal(0, 1, (n, t)) * sd[:, None]
    for j in range(t):
        noise[:, j] = (kpi.rho * noise[:, j - 1] if j else 0) + shocks[:, j]
    return level[:, None] * trend[None] + common + noise


def _treat(
    y: np.ndarray, kpi: SimKpi, agr: SimAgreement, rows: list[int], pop: np.ndarray, yrs: np.ndarray
) -> np.ndarray:
    y = y.copy()
    y[rows] += agr.pretrend.get(kpi.kpi_id, 0.0) * (yrs - agr.join_year)[None]
    y[rows] += (agr.level_factor - 1.0) * kpi.base * (1 + 0.015 * (yrs - yrs[0]))[None]
    for row, join in zip(rows, agr.joins(), strict=True):
        y[row, yrs > join] += agr.effects.get(kpi.kpi_id, 0.0)
        y[row, yrs == join - 1] += agr.bad_year * kpi.base
    mode = agr.joint.get(kpi.kpi_id)
    if mode:
        shared = (y[rows] * pop[rows]).sum(axis=0) / pop[rows].sum(axis=0)
        cols = np.arange(len(yrs)) if mode == "always" else np.flatnonzero(yrs >= agr.join_year)
        y[np.ix_(rows, cols)] = shared[cols]
    return y


def _contaminate(
    rng: np.random.Generator,
    y: np.ndarray,
    kpi: SimKpi,
    agr: SimAgreement,
    others: list[int],
    yrs: np.ndarray,
) -> tuple[np.ndarray, list[int]]:
    # Kommuner outside the registry that started cooperating in the same wave: donors with the effect.
    # Where some are discovered, they are drawn in the worlds without an effect too: they cooperate
    # all the same, and leaving them out of the donors must be part of the null calibration.
    effect = agr.effects.get(kpi.kpi_id, 0.0)
    if not agr.contaminate or not (effect or (agr.contaminate_known and kpi.kpi_id in agr.effects)):
        return y, []
    hit = rng.choice(others, size=int(agr.contaminate * len(others)), replace=False)
    y = y.copy()
    y[np.ix_(hit, np.flatnonzero(yrs > agr.join_year))] += effect
    return y, [int(i) for i in hit]


def _frame(kpi_id: str, ids: list[str], yrs: np.ndarray, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kpi_id": kpi_id,
            "municipality_id": np.repeat(ids, len(yrs)),
            "year": np.tile(yrs, len(ids)),
            "value": values.ravel(),
        }
    )


def _agreements(agreements: list[SimAgreement], chosen: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "agreement_id": a.agreement_id,
                "area": a.area,
                "purpose": list(a.purpose),
                "host_municipality_id": None
                if a.host_index is None
                else chosen[a.agreement_id][a.host_index],
                "end_year": None,
            }
            for a in agreements
        ]
    )


def _members(agreements: list[SimAgreement], chosen: dict[str, list[str]]) -> pd.DataFrame:
    rows = [
        {"agreement_id": a.agreement_id, "municipality_id": m, "joined_year": join, "left_year": None}
        for a in agreements
        for m, join in zip(chosen[a.agreement_id], a.joins(), strict=True)
    ]
    return pd.DataFrame(rows)


def _area_kpis(kpis: dict[str, list[SimKpi]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "area": area,
                "kpi_id": k.kpi_id,
                "title": f"Nyckeltal {k.kpi_id}",
                "dimension": k.dimension,
                "better": k.better,
                "unit": "kr/inv",
                "cost_basis": k.cost_basis,
                "reported_jointly": k.reported_jointly,
                "method_break": k.method_break,
                "caution": k.caution,
                "is_primary": k.primary,
            }
            for area, ks in kpis.items()
            for k in ks
        ]
    )


def _peers(
    ids: list[str], pop: np.ndarray, chosen: dict[str, list[str]], agreements: list[SimAgreement]
) -> pd.DataFrame:
    # Kolada-like comparison groups: the ten kommuner nearest in population, the kommun itself left out.
    size = np.log(pop[:, 0])
    rows = []
    for agr in agreements:
        for m in chosen[agr.agreement_id]:
            i = ids.index(m)
            near = [j for j in np.argsort(np.abs(size - size[i])) if j != i][:10]
            rows += [{"area": agr.area, "municipality_id": m, "peer_id": ids[j]} for j in near]
    return pd.DataFrame(rows, columns=["area", "municipality_id", "peer_id"])


def _no_peers() -> pd.DataFrame:
    return pd.DataFrame(columns=["area", "municipality_id", "peer_id"])
