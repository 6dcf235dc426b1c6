"""Calibration of the effect models on simulated panels that are hard for them, for tests and the benchmark.

Each scenario is run without an effect (any directional verdict, `levererar_delvis` included, is an
error) and with an effect of 10 % of the level in one KPI (interval coverage of the true effect, and
power: that dimension judged better). Where that KPI's dimension has a declared primary KPI, the effect
goes in the primary, and power is also measured with the effect only in a secondary KPI of the
dimension: by design the secondary cannot decide, and the figure shows what that costs. A harmful
effect (the same size, in the bad direction) checks that bad news needs the same evidence as good: its
power is the dimension judged worse, and samlat is counted as saying the effect's direction both ways.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from ruamel.yaml import YAML

from orchestration.lib.demo.calibration.world import SimAgreement, SimKpi, calibration_world
from orchestration.lib.transform.effects.config import DIMENSIONS, EffectsConfig
from orchestration.lib.transform.effects.model import run_models
from orchestration.lib.transform.effects.overall import is_directional
from orchestration.lib.transform.effects.units import GROUPS, TOTAL

EFFECT_SHARE = 0.10
BASE_KPIS = (
    SimKpi("K1", dimension="kostnad", better="lower", base=1000.0),
    SimKpi("Q1", dimension="kvalitet", better="higher", base=70.0, noise=0.04),
    SimKpi("P1", dimension="personal", better="higher", base=30.0, noise=0.05),
)
TWO_PURPOSES = ("kostnad", "kvalitet")
_BASES = {"kr/inv": 1000.0, "%": 70.0, "min": 12.0, "dagar": 30.0, "index": 70.0}


def _ar1(kpi: SimKpi, rho: float, spread_of: float) -> SimKpi:
    """`kpi` with AR(1) coefficient `rho` and its shocks scaled so that the noise spreads as `kpi`'s shocks
    would with coefficient `spread_of` (the stationary sd is the shock sd / sqrt(1 - ρ²))."""
    return replace(kpi, rho=rho, noise=kpi.noise * math.sqrt((1 - rho**2) / (1 - spread_of**2)))


@dataclass(frozen=True)
class Scenario:
    name: str
    agreement: dict = field(default_factory=dict)  # SimAgreement fields
    kpi: dict = field(default_factory=dict)  # SimKpi fields for every KPI
    n_kommuner: int = 120
    first_year: int = 2010
    kpis: tuple[SimKpi, ...] = BASE_KPIS
    drift_share: float = 0.0  # members' own trend, share of the base per year, in every KPI
    harmful: bool = False  # the effect in the bad direction (no worlds without one: its twin's serve)
    purpose: tuple[str, ...] = DIMENSIONS  # the cooperation's stated purpose
    # The effect also in the deciding KPI of every other purpose dimension (each 10 % of its level):
    # what samlat with several purposes needs to say levererar (or, harmful, levererar inte).
    effect_in_purposes: bool = False


SCENARIOS = (
    Scenario("bas"),
    Scenario("skadlig_effekt", harmful=True),
    # One purpose, the effect's dimension: samlat needs no correction over several purposes there.
    Scenario("ett_syfte", purpose=("kostnad",)),
    Scenario("ett_syfte_skadlig_effekt", purpose=("kostnad",), harmful=True),
    # Two and three purposes with the effect in each: samlat's joint test over the purposes (joint.py).
    Scenario("tva_syften_effekt_i_bada", purpose=TWO_PURPOSES, effect_in_purposes=True),
    Scenario("tva_syften_skadlig_i_bada", purpose=TWO_PURPOSES, effect_in_purposes=True, harmful=True),
    Scenario("tre_syften_effekt_i_alla", effect_in_purposes=True),
    Scenario("tre_syften_skadlig_i_alla", effect_in_purposes=True, harmful=True),
    Scenario("utanfor_givarna", agreement={"level_factor": 1.8}),
    Scenario("drift_1pct", drift_share=0.01),
    Scenario("ar1_0_8", kpi={"rho": 0.8}),
    # ar1_0_8 keeps the yearly shocks, so its noise also spreads 1.5 times as wide as the base's. These two
    # tell the persistence from the wider spread: ρ = 0.8 at the base's spread, and the base's ρ at
    # ar1_0_8's spread.
    Scenario("ar1_0_8_samma_spridning", kpis=tuple(_ar1(k, 0.8, spread_of=k.rho) for k in BASE_KPIS)),
    Scenario("spridning_som_ar1_0_8", kpis=tuple(_ar1(k, k.rho, spread_of=0.8) for k in BASE_KPIS)),
    Scenario("daligt_ar_fore", agreement={"bad_year": 0.08}),
    Scenario("kontaminerade_givare", agreement={"contaminate": 0.3}),
    # How power falls with the share of unregistered, unrevealed kommuner that get the same effect.
    Scenario("kontaminerade_givare_10pct", agreement={"contaminate": 0.1}),
    Scenario("kontaminerade_givare_20pct", agreement={"contaminate": 0.2}),
    # The same, with half or all of those kommuner revealed by their data (as int_area_excluded_controls
    # finds joint organisations) and so left out of the donors, as the pipeline does.
    Scenario("kontaminerade_givare_halva_kanda", agreement={"contaminate": 0.3, "contaminate_known": 0.5}),
    Scenario("kontaminerade_givare_kanda", agreement={"contaminate": 0.3, "contaminate_known": 1.0}),
    Scenario("stegvis_intrade", agreement={"stagger": 2}),
    Scenario("fa_givare", n_kommuner=28),
    Scenario("tre_forar", first_year=2014),
)


@dataclass
class Tally:
    covered_members: list[bool] = field(default_factory=list)
    covered_totals: list[bool] = field(default_factory=list)
    false: dict[str, list[bool]] = field(default_factory=dict)
    judged: list[bool] = field(default_factory=list)
    judged_secondary: list[bool] = field(default_factory=list)  # effect only in a secondary KPI
    overall: list[bool] = field(default_factory=list)  # samlat says the effect's direction

    def rates(self) -> dict[str, float]:
        out = {"coverage_members": _mean(self.covered_members), "coverage_totals": _mean(self.covered_totals),
               "power": _mean(self.judged), "power_secondary": _mean(self.judged_secondary),
               "overall": _mean(self.overall)}  # fmt: skip
        out |= {f"false_{d}": _mean(v) for d, v in self.false.items()}
        return out


def _mean(values: list[bool]) -> float:
    return float(np.mean(values)) if values else math.nan


def area_scenarios(areas_yaml: Path) -> list[Scenario]:
    """One scenario per area of areas.yaml with its real KPI set (dimensions, directions, cautions)."""
    data = YAML(typ="safe").load(areas_yaml.read_text(encoding="utf-8"))
    out = []
    for key, area in (data.get("areas") or {}).items():
        kpis = tuple(_sim_kpi(k) for k in area.get("kpis") or [])
        if any(k.better != "none" and k.caution is None for k in kpis):
            out.append(Scenario(f"omrade_{key}", kpis=kpis))
    return out


def _sim_kpi(item: dict) -> SimKpi:
    unit = str(item.get("unit", ""))
    return SimKpi(str(item["id"]), dimension=str(item["dimension"]), better=str(item["better"]),
                  base=_BASES.get(unit, 100.0), cost_basis=item.get("cost_basis"),
                  caution=item.get("caution"), primary=bool(item.get("primary", False)))  # fmt: skip


def _usable(s: Scenario) -> list[SimKpi]:
    usable = [
        k for k in s.kpis if k.better != "none" and k.caution is None and k.cost_basis != "nettokostnad"
    ]
    return sorted(usable, key=lambda k: DIMENSIONS.index(k.dimension))


def target_kpi(s: Scenario) -> SimKpi:
    """The KPI that gets the effect: the first one that can give a verdict, cost first; within that
    dimension its declared primary KPI, if it has one."""
    return _deciding(s, _usable(s)[0].dimension)  # type: ignore[return-value]


def _deciding(s: Scenario, dimension: str) -> SimKpi | None:
    # A dimension's declared primary KPI, else its first that can give a verdict.
    mine = [k for k in _usable(s) if k.dimension == dimension]
    return next((k for k in mine if k.primary), mine[0] if mine else None)


def effect_kpis(s: Scenario, target: SimKpi) -> list[SimKpi]:
    """The KPIs with an effect: the target, and with effect_in_purposes each other purpose dimension's."""
    if not s.effect_in_purposes:
        return [target]
    others = [_deciding(s, d) for d in s.purpose if d != target.dimension]
    return [target, *(k for k in others if k is not None)]


def secondary_kpi(s: Scenario) -> SimKpi | None:
    """A secondary KPI of the target's dimension (one that can give a verdict), where it has a primary."""
    target = target_kpi(s)
    if not target.primary:
        return None
    rest = [k for k in _usable(s) if k.dimension == target.dimension and not k.primary]
    return rest[0] if rest else None


def run_once(
    s: Scenario, seed: int, with_effect: bool, cfg: EffectsConfig, target: SimKpi | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """One simulated world of the scenario: estimates, verdicts and the true effect (KPI units) in
    target (by default target_kpi)."""
    target = target or target_kpi(s)
    effects = {k.kpi_id: _shift(s, k) if with_effect else 0.0 for k in effect_kpis(s, target)}
    kpis = [replace(k, **s.kpi) for k in s.kpis]
    drift = {k.kpi_id: s.drift_share * k.base for k in kpis} if s.drift_share else {}
    agreement = SimAgreement("a", "omr", 3, 2017, purpose=s.purpose, effects=effects,
                             pretrend=drift, **s.agreement)  # fmt: skip
    world = calibration_world(seed, {"omr": kpis}, [agreement], n_kommuner=s.n_kommuner,
                     years=range(s.first_year, 2026), kolada_groups=seed % 2 == 0)  # fmt: skip
    tables = run_models(world.inputs, cfg)
    return tables.estimates, tables.verdicts, effects[target.kpi_id]


def _shift(s: Scenario, k: SimKpi) -> float:
    # 10 % of the KPI's level at joining, in its good direction (its bad one where harmful).
    level = k.base * s.agreement.get("level_factor", 1.0) * (1 + 0.015 * 8)
    return (-1 if k.better == "lower" else 1) * (-1 if s.harmful else 1) * EFFECT_SHARE * level


def tally(s: Scenario, seeds: range, cfg: EffectsConfig) -> Tally:
    """Coverage and power from the worlds with an effect, false verdicts from those without."""
    t = Tally(false={d: [] for d in (*DIMENSIONS, "samlat")})
    target = target_kpi(s).kpi_id
    for seed in seeds:
        est, ver, effect = run_once(s, seed, True, cfg)
        rows = est[(est["kpi_id"] == target) & (est["method"] == cfg.estimation.primary_method)]
        rows = rows[rows["ci_low"].notna()]
        hit = (rows["ci_low"] <= effect) & (rows["ci_high"] >= effect)
        t.covered_totals += list(hit[rows["municipality_id"] == TOTAL])
        t.covered_members += list(hit[~rows["municipality_id"].isin(GROUPS)])
        t.judged.append(_judged(ver, target_kpi(s).dimension, s.harmful))
        t.overall.append(_judged(ver, "samlat", s.harmful, overall=True))
        secondary = secondary_kpi(s)
        if secondary is not None:
            _, ver2, _ = run_once(s, seed, True, cfg, secondary)
            t.judged_secondary.append(_judged(ver2, secondary.dimension, s.harmful))
        if s.harmful:
            continue  # its worlds without an effect are those of its twin with good news
        _, null, _ = run_once(s, seed, False, cfg)
        for r in null.itertuples(index=False):
            t.false[r.dimension].append(is_directional(r.verdict, r.rule))
    return t


def _judged(verdicts: pd.DataFrame, dimension: str, harmful: bool, overall: bool = False) -> bool:
    """The dimension judged in the effect's direction: better (partly, for a dimension), or worse.
    samlat counts only its full verdict: levererar for good news, levererar_inte for bad."""
    row = verdicts.set_index("dimension").loc[dimension]
    if harmful:
        return row["verdict"] == "levererar_inte" and is_directional(row["verdict"], row["rule"])
    return row["verdict"] in (("levererar",) if overall else ("levererar", "levererar_delvis"))
