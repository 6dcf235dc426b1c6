"""A KPI's part in its dimension's verdict: the one rule the verdicts follow and the marts show.

The verdicts (verdicts.py) let only the KPIs whose role decides count, and the same roles are written to
analysis.effect_kpi_roles, which fct_agreement_effect_rows only joins: there is no second derivation to
disagree with this one.
"""

from __future__ import annotations

import pandas as pd

from orchestration.lib.transform.effects.units import Kpi, mechanical

# primart: the declared primary KPI (areas.yaml `primary`), its test alone decides; sekundart: shown,
# never decides; avgor_tillsammans: no primary in the dimension, so all its KPIs that can give a verdict
# decide together under Holm's step-down; ger_ingen_dom: no direction, or changed mechanically by a
# förbund's start for the unit (units.mechanical).
ROLES = ("primart", "sekundart", "avgor_tillsammans", "ger_ingen_dom")
DECIDING = ("primart", "avgor_tillsammans")
KPI_ROLE_COLUMNS = ["agreement_id", "dimension", "kpi_id", "kpi_role"]


def kpi_role(kpi: Kpi, area_kpis: list[Kpi], whole: bool) -> str:
    """The KPI's role for a unit: the cooperation as a whole (whole) or a member or group of members."""
    if _gives_none(kpi, whole):
        return "ger_ingen_dom"
    if kpi.primary:
        return "primart"
    same = [k for k in area_kpis if k.dimension == kpi.dimension and not _gives_none(k, whole)]
    return "sekundart" if any(k.primary for k in same) else "avgor_tillsammans"


def _gives_none(kpi: Kpi, whole: bool) -> bool:
    return not kpi.directed or mechanical(kpi, whole)


def kpi_roles(agreements: pd.DataFrame, kpis: dict[str, list[Kpi]]) -> pd.DataFrame:
    """analysis.effect_kpi_roles: each area KPI's role in the verdict on each cooperation as a whole."""
    rows = []
    for agr in agreements.itertuples(index=False):
        area = kpis.get(str(agr.area), [])
        rows += [[str(agr.agreement_id), k.dimension, k.kpi_id, kpi_role(k, area, whole=True)] for k in area]
    return pd.DataFrame(rows, columns=KPI_ROLE_COLUMNS)
