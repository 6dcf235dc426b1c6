"""The demo world the snapshot records, simulated from the registry (the ground truth is in truth.py).

run_simulation: the counterfactual panel, then each agreement's effects in order of start.
simulate_world(registry, seed) -> DemoWorld: every kommun and Riket, the followed KPIs' metadata, Kolada's
cooperation groups and simulated comparison groups, Kolada values 2010–2025 and SCB TAB4199 2011–2024 for
the registry's members and a comparison pool. Same registry and seed, same world.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from orchestration.lib.demo import derive, meta, published
from orchestration.lib.demo.cast import Cast, choose_cast, comparison_groups, cooperation_groups
from orchestration.lib.demo.effects import apply_agreement
from orchestration.lib.demo.facts import (
    DIVIDED_BY_GENDER,
    RIKET_SCB,
    SCB_VERKSAMHET_LABELS,
    TOTAL_VERKSAMHET,
)
from orchestration.lib.demo.panel import Panel, simulate_panel
from orchestration.lib.demo.signatures import SignatureGroup, signature_groups, signature_values
from orchestration.lib.demo.specs import (
    FORBUND_KPI,
    FORBUND_SOURCE_KPI,
    KPI,
    KpiSpec,
    fallback_spec,
    kpi_for_verksamhet,
)
from orchestration.lib.demo.world import DemoWorld
from orchestration.lib.extract.registry.model import Agreement, Registry

DEFAULT_SEED = 2026
HELPER_KPIS = {FORBUND_KPI: FORBUND_SOURCE_KPI, "U37009": "U37002"}  # series another is computed from


@dataclass(frozen=True)
class Simulation:
    """Everything simulate_world and the ground truth share: the panel after each agreement's effects."""

    cast: Cast
    kpis: list[str]
    codes: list[str]
    digits: dict[str, int]
    forbunds: list[derive.Forbund]
    agreements: tuple[Agreement, ...]
    panels: tuple[Panel, ...]  # panels[0] has no effects; panels[k] has the first k agreements'

    def arrays(self, k: int) -> Panel:
        return derive.kolada_arrays(self.panels[k], self.kpis, self.forbunds, self.digits)


def _latent_specs(registry: Registry, kpis: list[str]) -> dict[str, KpiSpec]:
    """The KPIs simulated directly (cost KPIs follow from verksamheter, N17304 from the förbund)."""
    units = {k.id: k.unit for _, k in meta.followed_kpis(registry).values()}
    wanted = set(kpis) | {HELPER_KPIS[k] for k in kpis if k in HELPER_KPIS}
    direct = wanted - set(kpi_for_verksamhet()) - {"N01951", FORBUND_KPI}
    return {k: KPI.get(k) or fallback_spec(units.get(k, "")) for k in sorted(direct)}


def _codes(registry: Registry, kpis: list[str]) -> list[str]:
    codes = {c for area in registry.areas.values() for c in area.scb_verksamhet} | {TOTAL_VERKSAMHET}
    codes |= {code for kpi, (code, _) in kpi_for_verksamhet().items() if kpi in kpis}
    return sorted(codes)


def run_simulation(registry: Registry, seed: int = DEFAULT_SEED) -> Simulation:
    """The counterfactual panel, then each agreement's effects applied in order of start."""
    cast = choose_cast(registry)
    kpis = registry.kpi_ids()
    specs = _latent_specs(registry, kpis)
    codes = _codes(registry, kpis)
    panels = [simulate_panel(cast, seed, specs, codes)]
    agreements = tuple(sorted(registry.agreements, key=lambda a: (a.start, a.id)))
    for agreement in agreements:
        panels.append(apply_agreement(panels[-1], agreement, registry, cast))
    digits = {k: s.digits for k, s in specs.items()} | {"N01951": 0}
    return Simulation(
        cast, kpis, codes, digits, derive.forbunds(registry, cast, seed), agreements, tuple(panels)
    )


def simulate_world(registry: Registry, seed: int = DEFAULT_SEED) -> DemoWorld:
    """The world the demo snapshot records (see the module docstring)."""
    sim = run_simulation(registry, seed)
    final = sim.panels[-1]
    values = derive.kolada_frame(sim.arrays(len(sim.agreements)), sim.cast)
    values = signature_values(values, registry, simulated_signature_groups(registry, sim), seed)
    divided = sorted(DIVIDED_BY_GENDER & set(sim.kpis))
    groups = pd.concat(
        [cooperation_groups(registry), comparison_groups(registry, sim.cast)], ignore_index=True
    )
    return DemoWorld(
        municipalities=meta.municipalities(registry),
        kpis=meta.kpis(registry),
        groups=groups,
        kolada_values=published.publish(values, divided, sim.cast.pool, seed, registry.signature_kpi_ids()),
        scb_values=derive.scb_frame(final, sim.cast, sim.codes),
        scb_verksamhet_labels={c: SCB_VERKSAMHET_LABELS.get(c, f"Verksamhet {c}") for c in sim.codes},
        scb_region_labels={RIKET_SCB: "Riket"} | {k: registry.kommuner[k] for k in sim.cast.ids},
    )


def simulated_signature_groups(registry: Registry, sim: Simulation) -> list[SignatureGroup]:
    """The joint organisations (förbund) of the simulation whose figures their members report."""
    return signature_groups(registry, [tuple(sim.cast.ids[r] for r in f.rows) for f in sim.forbunds])
