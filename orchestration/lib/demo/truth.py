"""The ground truth of the demo world, for tests and documentation (never part of the snapshot): the
injected effects, and the joint organisations discovery should find.

An agreement's effect on a member's KPI is what its injection changed in the published values: the values
with the agreement's effects minus the values without them (everything else equal), averaged over the years
the effect applies. For a joint figure this includes the move from the member's own level to the joint one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.lib.demo.effects import EffectSpec, effect_years, lead_kommun, scenario
from orchestration.lib.demo.signatures import SignatureGroup
from orchestration.lib.demo.simulation import (
    DEFAULT_SEED,
    Simulation,
    run_simulation,
    simulated_signature_groups,
)
from orchestration.lib.demo.specs import YEARS, kpi_for_verksamhet
from orchestration.lib.extract.registry.model import Agreement, AreaKpi, Registry

COLUMNS = [
    "agreement_id",
    "municipality_id",
    "role",
    "area",
    "kpi_id",
    "dimension",
    "better",
    "kind",
    "size",
    "first_year",
    "last_year",
    "n_years",
    "baseline",
    "effect",
    "effect_pct",
    "favourable",
]


def _spec_for(agreement: Agreement, kpi: str) -> EffectSpec | None:
    target = kpi_for_verksamhet().get(kpi, (kpi, ""))[0]
    return next((s for s in scenario(agreement) if s.target in {kpi, target}), None)


def _favourable(effect: float, better: str) -> bool | None:
    if better == "none" or not np.isfinite(effect) or abs(effect) < 1e-9:
        return None
    return (effect < 0) == (better == "lower")


def _pct(effect: float, baseline: float) -> float:
    # A member whose cost is already 0 (say, booked in its förbund) and stays 0 changed by 0 %.
    if baseline:
        return 100 * effect / abs(baseline)
    return 0.0 if effect == 0 else float("nan")


def _row(agreement: Agreement, kommun: str, spec: AreaKpi, gap: np.ndarray, base: np.ndarray) -> dict:
    on = ~np.isnan(gap)
    years = np.array(YEARS)[on]
    effect = float(np.mean(gap[on])) if on.any() else float("nan")
    baseline = float(np.nanmean(base[on])) if on.any() else float("nan")
    injected = _spec_for(agreement, spec.id)
    host = kommun == lead_kommun(agreement)
    return {
        "agreement_id": agreement.id,
        "municipality_id": kommun,
        "role": "host" if host else "member",
        "area": agreement.area,
        "kpi_id": spec.id,
        "dimension": spec.dimension,
        "better": spec.better,
        "kind": injected.kind if injected else "none",
        "size": (injected.host if host else injected.member) if injected else 0.0,
        "first_year": int(years.min()) if on.any() else None,
        "last_year": int(years.max()) if on.any() else None,
        "n_years": int(on.sum()),
        "baseline": baseline,
        "effect": effect,
        "effect_pct": _pct(effect, baseline),
        "favourable": _favourable(effect, spec.better),
    }


def effects_table(sim: Simulation, registry: Registry) -> pd.DataFrame:
    """One row per agreement × member (in the simulated world) × KPI of the agreement's area."""
    rows = []
    for k, agreement in enumerate(sim.agreements, start=1):
        before, after = sim.arrays(k - 1), sim.arrays(k)
        kpis = [s for s in registry.areas[agreement.area].kpis if s.id in after]
        for member in agreement.members:
            if member.kommun not in sim.cast.ids:
                continue
            i, on = sim.cast.index(member.kommun), effect_years(agreement, member)
            for spec in kpis:
                gap = np.where(on, after[spec.id][i] - before[spec.id][i], np.nan)
                rows.append(_row(agreement, member.kommun, spec, gap, before[spec.id][i]))
    return pd.DataFrame(rows, columns=COLUMNS)


def true_effects(registry: Registry, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Ground truth: one row per agreement × member × KPI of its area, with the effect injected."""
    return effects_table(run_simulation(registry, seed), registry)


def true_signatures(registry: Registry, seed: int = DEFAULT_SEED) -> list[SignatureGroup]:
    """Ground truth for discovery: every joint organisation whose figures the world's members report."""
    return simulated_signature_groups(registry, run_simulation(registry, seed))
