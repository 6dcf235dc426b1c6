"""Synthetic demo worlds of any size for tests and benchmarks (plain numbers, no claim to realism)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from orchestration.lib.demo.world import DemoWorld

CONTENTS = ("0000005X", "00000060", "0000005Z", "0000005Y")


def synthetic_world(
    *,
    kpis: Sequence[str],
    kommuner: Sequence[str],
    years: Sequence[int],
    gendered: Sequence[str] = (),
    verksamheter: Sequence[str] = ("270", "790"),
    updated: date = date(2025, 6, 1),
    seed: int = 0,
) -> DemoWorld:
    """Every KPI has a value for every kommun and year (and K/M too for `gendered` KPIs)."""
    rng = np.random.default_rng(seed)
    municipalities = pd.DataFrame(
        {"id": ["0000", *kommuner], "title": ["Riket", *(f"Kommun {k}" for k in kommuner)]}
    ).assign(type=lambda f: np.where(f["id"] == "0000", "L", "K"))
    return DemoWorld(
        municipalities=municipalities,
        kpis=_kpi_frame(kpis, gendered, max(years)),
        groups=pd.DataFrame(
            {"group_id": "G1", "group_title": "Grupp 1", "municipality_id": list(kommuner[:5])}
        ),
        kolada_values=_values(kpis, kommuner, years, set(gendered), updated, rng),
        scb_values=_scb(verksamheter, kommuner, years, rng),
        scb_verksamhet_labels={v: f"Verksamhet {v}" for v in verksamheter},
        scb_region_labels={"00": "Riket"} | {k: f"Kommun {k}" for k in kommuner},
    )


def _kpi_frame(kpis: Sequence[str], gendered: Sequence[str], last_year: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": list(kpis),
            "title": [f"Nyckeltal {k}" for k in kpis],
            "description": [f"Beskrivning av {k}" for k in kpis],
            "is_divided_by_gender": [int(k in gendered) for k in kpis],
            "municipality_type": "K",
            "auspice": "E",
            "operating_area": "Område",
            "perspective": "Resurser",
            "prel_publication_date": "2026-04-01",
            "publication_date": "2026-08-28",
            "publ_period": str(last_year),
            "has_ou_data": False,
        }
    )


def _values(
    kpis: Sequence[str],
    kommuner: Sequence[str],
    years: Sequence[int],
    gendered: set[str],
    updated: date,
    rng: np.random.Generator,
) -> pd.DataFrame:
    frames = []
    for kpi in kpis:
        genders = ["T", "K", "M"] if kpi in gendered else ["T"]
        index = pd.MultiIndex.from_product([list(kommuner), list(years), genders])
        frame = index.to_frame(index=False, name=["municipality", "year", "gender"])
        frames.append(frame.assign(kpi=kpi, value=rng.normal(50.0, 8.0, len(frame)).round(3)))
    values = pd.concat(frames, ignore_index=True)
    return values.assign(count=1, status="", isdeleted=False, updated=pd.Timestamp(updated))


def _scb(
    verksamheter: Sequence[str], kommuner: Sequence[str], years: Sequence[int], rng: np.random.Generator
) -> pd.DataFrame:
    index = pd.MultiIndex.from_product([["00", *kommuner], list(verksamheter), list(CONTENTS), list(years)])
    frame = index.to_frame(index=False, name=["region", "verksamhet", "contents_code", "year"])
    return frame.assign(value_tkr=rng.uniform(1_000, 100_000, len(frame)).round(0))
