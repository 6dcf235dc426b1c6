"""The demo world: Kolada and SCB data held in memory, what the stand-in serves and the snapshot records."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class DemoWorld:
    """Tables in the shape of the sources' own records.

    municipalities: id, title, type (K kommun, L region)
    kpis: id, title, description, is_divided_by_gender, municipality_type, auspice, operating_area,
          perspective, prel_publication_date, publication_date, publ_period, has_ou_data
    groups: group_id, group_title, municipality_id
    kolada_values: kpi, municipality, year, gender, value (float or NaN), count, status, isdeleted,
                   updated (date: when the value last changed, for `from_date`)
    scb_values: region ('00' Riket or kommunkod), verksamhet, contents_code, year, value_tkr
    scb_verksamhet_labels / scb_region_labels: code -> label, for the JSON-stat2 metadata
    """

    municipalities: pd.DataFrame
    kpis: pd.DataFrame
    groups: pd.DataFrame
    kolada_values: pd.DataFrame
    scb_values: pd.DataFrame
    scb_verksamhet_labels: dict[str, str]
    scb_region_labels: dict[str, str]


def kommun_ids(count: int) -> list[str]:
    """Four-digit ids in the kommunkod style (län prefix, two digits), for simulated worlds of any size."""
    return [f"{1 + i // 15:02d}{10 + (i % 15) * 5:02d}" for i in range(count)]
