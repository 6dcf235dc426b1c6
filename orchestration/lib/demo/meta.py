"""Kolada v3 metadata for the simulated world: municipalities and KPIs."""

from __future__ import annotations

from datetime import date

import pandas as pd

from orchestration.lib.demo.facts import (
    BOTH_TYPES,
    DIVIDED_BY_GENDER,
    OPERATING_AREA_BY_AREA,
    OPERATING_AREA_BY_KPI,
    RIKET_KOLADA,
)
from orchestration.lib.demo.specs import LAST_YEAR, kpi_for_verksamhet
from orchestration.lib.extract.registry.model import AreaKpi, Registry

AS_OF = date(2026, 6, 1)  # the day the simulated world describes
RS_PRELIMINARY = date(2026, 3, 31)  # räkenskapssammandraget's preliminary figures
RS_FINAL = date(2026, 8, 28)
OTHER_PUBLICATION = date(2026, 4, 24)
POPULATION_PUBLICATION = date(2026, 2, 20)
PERSPECTIVE = {"kostnad": "Resurser", "kvalitet": "Kvalitet och resultat", "personal": "Resurser"}
KPI_COLUMNS = [
    "id",
    "title",
    "description",
    "is_divided_by_gender",
    "municipality_type",
    "auspice",
    "operating_area",
    "perspective",
    "prel_publication_date",
    "publication_date",
    "publ_period",
    "has_ou_data",
]


def municipalities(registry: Registry) -> pd.DataFrame:
    """Every kommun (type K) and Riket (type L)."""
    rows = [(k, name, "K") for k, name in sorted(registry.kommuner.items())]
    rows.append((RIKET_KOLADA, "Riket", "L"))
    return pd.DataFrame(rows, columns=["id", "title", "type"])


def followed_kpis(registry: Registry) -> dict[str, tuple[str, AreaKpi]]:
    """KPI id -> (area key or '_context', its definition), for every KPI the registry follows."""
    wanted = set(registry.kpi_ids())
    out: dict[str, tuple[str, AreaKpi]] = {}
    for key, area in sorted(registry.areas.items()):
        out |= {k.id: (key, k) for k in area.kpis if k.id in wanted and k.id not in out}
    out |= {k.id: ("_context", k) for k in registry.context_kpis}
    # a KPI named only as a target: no area describes it, so give it a neutral description
    missing = wanted - set(out)
    out |= {k: ("_target", AreaKpi(k, f"Nyckeltal {k}", "kvalitet", "none", "")) for k in missing}
    return out


def publication(kpi: str) -> tuple[date | None, date]:
    """(preliminary, final) publication dates of the latest period."""
    if kpi in kpi_for_verksamhet():
        return RS_PRELIMINARY, RS_FINAL
    return None, POPULATION_PUBLICATION if kpi == "N01951" else OTHER_PUBLICATION


def _row(kpi: str, area: str, spec: AreaKpi) -> dict[str, object]:
    prel, final = publication(kpi)
    volume = spec.better == "none"
    return {
        "id": kpi,
        "title": spec.title,
        "description": f"{spec.title}. Demodata: simulerade värden, inte verklig statistik.",
        "is_divided_by_gender": int(kpi in DIVIDED_BY_GENDER),
        "municipality_type": "A" if kpi in BOTH_TYPES else "K",
        "auspice": "X",
        "operating_area": OPERATING_AREA_BY_KPI.get(kpi, OPERATING_AREA_BY_AREA.get(area, "Övrigt")),
        "perspective": "Volymer" if volume else PERSPECTIVE.get(spec.dimension, "Övrigt"),
        "prel_publication_date": prel.isoformat() if prel else None,
        "publication_date": final.isoformat(),
        "publ_period": str(LAST_YEAR),
        "has_ou_data": False,
    }


def signature_kpis(registry: Registry) -> dict[str, tuple[str, AreaKpi]]:
    """The signature KPIs not followed otherwise, described like area KPIs without a direction."""
    followed = followed_kpis(registry)
    return {
        s.id: (s.area, AreaKpi(s.id, s.title, "kvalitet", "none", ""))
        for s in registry.signatures
        if s.id not in followed
    }


def kpis(registry: Registry) -> pd.DataFrame:
    """Metadata for every KPI in registry.kpi_ids() and every signature KPI."""
    described = followed_kpis(registry) | signature_kpis(registry)
    rows = [_row(kpi, area, spec) for kpi, (area, spec) in sorted(described.items())]
    return pd.DataFrame(rows, columns=KPI_COLUMNS)
