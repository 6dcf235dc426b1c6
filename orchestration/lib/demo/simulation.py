"""Running the simulation: the counterfactual panel, then each agreement's effects in order of start."""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.lib.demo import derive, meta
from orchestration.lib.demo.cast import Cast, choose_cast
from orchestration.lib.demo.effects import apply_agreement
from orchestration.lib.demo.facts import TOTAL_VERKSAMHET
from orchestration.lib.demo.panel import Panel, simulate_panel
from orchestration.lib.demo.specs import (
    FORBUND_KPI,
    FORBUND_SOURCE_KPI,
    KPI,
    KpiSpec,
    fallback_spec,
    kpi_for_verksamhet,
)
from orchestration.lib.extract.registry.model import Agreement, Registry

DEFAULT_SEED = 2026
HELPER_KPIS = {FORBUND_KPI: FORBUND_SOURCE_KPI, "U37009": "U37002"}  # series another is computed from


@dataclass(frozen=True)
class Simulation:
    """Everything simulate_world and true_effects share: the panel after each agreement's effects."""

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
