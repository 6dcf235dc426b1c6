"""The effect models end to end on plain frames: estimates, counterfactual series and verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from orchestration.lib.transform.effects.bands import empty_bands
from orchestration.lib.transform.effects.blocks import estimate_units
from orchestration.lib.transform.effects.config import EffectsConfig
from orchestration.lib.transform.effects.panel import PanelSet, build_panels, donor_rows, has_a_zero
from orchestration.lib.transform.effects.reuse import BlockCache, Reuse, estimate_reusing
from orchestration.lib.transform.effects.roles import KPI_ROLE_COLUMNS, kpi_roles
from orchestration.lib.transform.effects.units import Kpi, area_members, kpis_by_area, plan_units
from orchestration.lib.transform.effects.verdicts import judge_all, judge_members


@dataclass(frozen=True)
class EffectInputs:
    """What the models read, already shaped (see store.py for the warehouse side).

    values: kpi_id, municipality_id, year, value (gender T, not deleted; every kommun, incl. population)
    agreements: agreement_id, area, purpose (list of dimensions), host_municipality_id, end_year
    members: agreement_id, municipality_id, joined_year, left_year
        (end_year / left_year: the first calendar year no longer a full year of membership);
        optional credited_elsewhere_year, is_shared: the overlap rule's outcome (int_member_attributions)
    area_kpis: area, kpi_id, title, dimension, better, unit, cost_basis, reported_jointly, method_break,
        caution and is_primary (optional)
    peers: area, municipality_id, peer_id (Kolada's "Liknande kommuner <område>" group of each kommun)
    excluded: area, municipality_id (no clean control: a discovered member of a joint organisation)
    """

    values: pd.DataFrame
    agreements: pd.DataFrame
    members: pd.DataFrame
    area_kpis: pd.DataFrame
    peers: pd.DataFrame
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["area", "municipality_id"]))


@dataclass(frozen=True)
class EffectTables:
    estimates: pd.DataFrame
    series: pd.DataFrame
    verdicts: pd.DataFrame
    member_verdicts: pd.DataFrame
    donor_weights: pd.DataFrame
    # The placebo spread around each counterfactual, year by year (bands.py); empty where not estimated.
    bands: pd.DataFrame = field(default_factory=empty_bands)
    # Each KPI's part in the verdict on each cooperation as a whole (roles.py), as the marts show it.
    kpi_roles: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=KPI_ROLE_COLUMNS))
    # How many units were taken from the cache and how many estimated (reuse.py).
    reuse: Reuse = field(default_factory=lambda: Reuse(0, 0))


def run_models(inputs: EffectInputs, cfg: EffectsConfig, cache: BlockCache | None = None) -> EffectTables:
    """Estimate every cooperation × member (and total) × KPI with every method, then judge. With a cache,
    the units whose inputs are unchanged since it was filled are taken from it (reuse.py); the verdicts
    are always judged anew."""
    panels = build_panels(inputs.values, cfg.estimation.population_kpi)
    kpis = _with_zeros(kpis_by_area(inputs.area_kpis), panels)
    donors = _donors(inputs, panels, kpis)
    peers = {
        (str(area), str(m)): tuple(sorted(g["peer_id"].astype(str)))
        for (area, m), g in inputs.peers.groupby(["area", "municipality_id"])
    }
    units = plan_units(inputs.agreements, inputs.members, kpis, peers, panels)
    if cache is None:
        results, reuse = estimate_units(units, panels, donors, cfg), Reuse(0, len(units))
    else:
        results, reuse = estimate_reusing(units, panels, donors, cfg, cache)
    verdicts = judge_all(results.estimates, inputs.agreements, kpis, cfg, results.placebos)
    members = judge_members(results.estimates, inputs.agreements, kpis, cfg, results.placebos)
    roles = kpi_roles(inputs.agreements, kpis)
    return EffectTables(
        results.estimates, results.series, verdicts, members, results.weights, results.bands, roles, reuse
    )


def _with_zeros(kpis: dict[str, list[Kpi]], panels: PanelSet) -> dict[str, list[Kpi]]:
    """Each KPI told whether its values are a level with a true zero (panel.has_a_zero)."""

    def told(k: Kpi) -> Kpi:
        return replace(k, has_zero=k.kpi_id not in panels.kpis or has_a_zero(panels.series(k.kpi_id)))

    return {area: [told(k) for k in ks] for area, ks in kpis.items()}


def _donors(inputs: EffectInputs, panels: PanelSet, kpis: dict[str, list[Kpi]]) -> dict[str, np.ndarray]:
    """Each area's panel rows allowed as donors: neither in a cooperation of the area nor excluded."""
    excluded = area_members(inputs.agreements, inputs.members)
    for area, group in inputs.excluded.groupby("area"):
        excluded[str(area)] = excluded.get(str(area), set()) | set(group["municipality_id"].astype(str))
    return {area: donor_rows(panels, excluded.get(area, set())) for area in kpis}
