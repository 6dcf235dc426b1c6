"""Kolada v3 wire format: pages of {count, next_url, previous_url, values} and the objects in them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from orchestration.lib.http import Fetched, WireFormatError, load_json_object
from orchestration.lib.landing import object_array

KPI_COLUMNS = (
    "id",
    "title",
    "description",
    "municipality_type",
    "is_divided_by_gender",
    "operating_area",
    "perspective",
    "prel_publication_date",
    "publication_date",
    "publ_period",
    "has_ou_data",
)
KPI_REQUIRED = ("id", "title")


@dataclass(frozen=True)
class Page:
    url: str
    values: list[Any]
    count: int | None
    next_url: str | None

    def link(self) -> PageLink:
        """What paging needs of this page, without its values (which may be many megabytes)."""
        return PageLink(self.url, len(self.values), self.count, self.next_url)


@dataclass(frozen=True)
class PageLink:
    url: str
    size: int  # values on this page
    count: int | None  # total the request matches, when the API says so
    next_url: str | None


def read_page(fetched: Fetched) -> Page:
    """One page; `values` must be a list, `next_url` a string or null."""
    document = load_json_object(fetched)
    values = document.get("values")
    if not isinstance(values, list):
        raise WireFormatError(fetched.url, "values", "listan 'values' saknas i svaret")
    next_url = document.get("next_url")
    if next_url is not None and not isinstance(next_url, str):
        raise WireFormatError(fetched.url, "next_url", "next_url är varken en adress eller null")
    count = document.get("count")
    return Page(fetched.url, values, count if isinstance(count, int) else None, next_url or None)


def _require(url: str, item: Any, field: str, where: str) -> Any:
    if not isinstance(item, dict) or field not in item or item[field] is None:
        raise WireFormatError(url, f"{where}.{field}", "obligatoriskt fält saknas")
    return item[field]


def _year(url: str, period: Any, where: str) -> int:
    try:
        return int(period)
    except (TypeError, ValueError):
        raise WireFormatError(url, f"{where}.period", f"perioden {period!r} är inte ett år") from None


def value_columns(page: Page) -> dict[str, np.ndarray]:
    """Flatten data objects {kpi, municipality, period, values[]} to one row per gender."""
    cols: dict[str, list[Any]] = {k: [] for k in VALUE_FIELDS}
    for i, item in enumerate(page.values):
        _flatten(page.url, item, f"values[{i}]", cols)
    return _arrays(cols)


VALUE_FIELDS = ("kpi", "municipality", "year", "gender", "value", "count", "status", "is_deleted")


def _flatten(url: str, item: Any, where: str, cols: dict[str, list[Any]]) -> None:
    kpi, municipality = _require(url, item, "kpi", where), _require(url, item, "municipality", where)
    year = _year(url, _require(url, item, "period", where), where)
    entries = _require(url, item, "values", where)
    for j, entry in enumerate(entries if isinstance(entries, list) else [None]):
        inner = f"{where}.values[{j}]"
        gender = _require(url, entry, "gender", inner)
        if "value" not in entry:
            raise WireFormatError(url, f"{inner}.value", "obligatoriskt fält saknas")
        row = (kpi, municipality, year, gender, entry["value"], entry.get("count"))
        row += (entry.get("status") or None, bool(entry.get("isdeleted", False)))
        for field, value in zip(VALUE_FIELDS, row, strict=True):
            cols[field].append(value)


def _arrays(cols: dict[str, list[Any]]) -> dict[str, np.ndarray]:
    value = np.array([np.nan if v is None else v for v in cols["value"]], dtype=float)
    count = np.array([-1 if c is None else c for c in cols["count"]], dtype=np.int64)
    return {
        "kpi": object_array(cols["kpi"]),
        "municipality": object_array(cols["municipality"]),
        "year": np.array(cols["year"], dtype=np.int32),
        "gender": object_array(cols["gender"]),
        "value": value,
        "count": count,
        "status": object_array(cols["status"]),
        "is_deleted": np.array(cols["is_deleted"], dtype=bool),
    }


def kpi_rows(page: Page) -> list[tuple[Any, ...]]:
    """KPI metadata rows in KPI_COLUMNS order plus `extra`: every field the table has no column for."""
    rows = []
    for i, item in enumerate(page.values):
        for field in KPI_REQUIRED:
            _require(page.url, item, field, f"values[{i}]")
        known = [item.get(c) for c in KPI_COLUMNS]
        known[4] = None if known[4] is None else int(known[4])
        known[10] = None if known[10] is None else bool(known[10])
        known[7:10] = [None if v is None else str(v) for v in known[7:10]]
        extra = {k: v for k, v in item.items() if k not in KPI_COLUMNS}
        rows.append((*known, json.dumps(extra, ensure_ascii=False, sort_keys=True)))
    return rows


def municipality_rows(page: Page) -> list[tuple[Any, ...]]:
    """(id, title, type) per municipality, region or Riket."""
    rows = []
    for i, item in enumerate(page.values):
        where = f"values[{i}]"
        rows.append(tuple(_require(page.url, item, f, where) for f in ("id", "title", "type")))
    return rows


def group_rows(page: Page) -> list[tuple[Any, ...]]:
    """(group_id, group_title, municipality_id) per membership."""
    rows = []
    for i, item in enumerate(page.values):
        where = f"values[{i}]"
        group_id, title = _require(page.url, item, "id", where), _require(page.url, item, "title", where)
        members = _require(page.url, item, "members", where)
        for j, member in enumerate(members):
            rows.append((group_id, title, _require(page.url, member, "id", f"{where}.members[{j}]")))
    return rows
