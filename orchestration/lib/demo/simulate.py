"""The simulated world behind the demo snapshot, and the ground truth of the effects injected into it.

simulate_world(registry, seed) -> World: every kommun and Riket, the followed KPIs' metadata, Kolada's
cooperation groups and simulated comparison groups, Kolada values 2010–2025 and SCB TAB4199 2011–2024 for
the registry's members and a comparison pool. Same registry and seed, same world.
"""

from __future__ import annotations

import pandas as pd

from orchestration.lib.demo import derive, meta, published
from orchestration.lib.demo.cast import comparison_groups, cooperation_groups
from orchestration.lib.demo.facts import DIVIDED_BY_GENDER, RIKET_SCB, SCB_VERKSAMHET_LABELS
from orchestration.lib.demo.signatures import SignatureGroup, signature_groups, signature_values
from orchestration.lib.demo.simulation import DEFAULT_SEED, Simulation, run_simulation
from orchestration.lib.demo.truth import effects_table
from orchestration.lib.demo.world import World
from orchestration.lib.extract.registry.model import Registry


def simulate_world(registry: Registry, seed: int = DEFAULT_SEED) -> World:
    """The world the demo snapshot records (see the module docstring)."""
    sim = run_simulation(registry, seed)
    final = sim.panels[-1]
    values = derive.kolada_frame(sim.arrays(len(sim.agreements)), sim.cast)
    values = signature_values(values, registry, _signature_groups(registry, sim), seed)
    divided = sorted(DIVIDED_BY_GENDER & set(sim.kpis))
    groups = pd.concat(
        [cooperation_groups(registry), comparison_groups(registry, sim.cast)], ignore_index=True
    )
    return World(
        municipalities=meta.municipalities(registry),
        kpis=meta.kpis(registry),
        groups=groups,
        kolada_values=published.publish(values, divided, sim.cast.pool, seed, registry.signature_kpi_ids()),
        scb_values=derive.scb_frame(final, sim.cast, sim.codes),
        scb_verksamhet_labels={c: SCB_VERKSAMHET_LABELS.get(c, f"Verksamhet {c}") for c in sim.codes},
        scb_region_labels={RIKET_SCB: "Riket"} | {k: registry.kommuner[k] for k in sim.cast.ids},
    )


def true_effects(registry: Registry, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Ground truth: one row per agreement × member × KPI of its area, with the effect injected."""
    return effects_table(run_simulation(registry, seed), registry)


def _signature_groups(registry: Registry, sim: Simulation) -> list[SignatureGroup]:
    return signature_groups(registry, [tuple(sim.cast.ids[r] for r in f.rows) for f in sim.forbunds])


def true_signatures(registry: Registry, seed: int = DEFAULT_SEED) -> list[SignatureGroup]:
    """Ground truth for discovery: every joint organisation whose figures the world's members report."""
    return _signature_groups(registry, run_simulation(registry, seed))
