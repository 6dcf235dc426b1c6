"""Kolada data objects {kpi, municipality, period, values[]} as columns, one row per gender.

A value that is not a number is a row-level data error: the row is left out and reported as a
ParseProblem (the loader quarantines it with the URL and field), and the pull goes on. A number sent
as text ("12.5") is read but keeps its original text in `value_text`, so it can be told apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from orchestration.lib.extract.http import WireFormatError
from orchestration.lib.extract.kolada.wire import Page, flag, require
from orchestration.lib.extract.landing import object_array
from orchestration.lib.extract.parse_errors import ParseProblem

VALUE_FIELDS = (
    "kpi",
    "municipality",
    "year",
    "gender",
    "value",
    "count",
    "status",
    "is_deleted",
    "value_text",
)


@dataclass(frozen=True)
class ValuePage:
    columns: dict[str, np.ndarray]
    problems: list[ParseProblem]


def value_columns(page: Page) -> ValuePage:
    """Flatten a page's data objects; unreadable values go to `problems` instead of the columns."""
    cols: dict[str, list[Any]] = {k: [] for k in VALUE_FIELDS}
    problems: list[ParseProblem] = []
    for i, item in enumerate(page.values):
        _flatten(page.url, item, f"values[{i}]", cols, problems)
    return ValuePage(_arrays(cols), problems)


def _year(url: str, period: Any, where: str) -> int:
    try:
        return int(str(period).strip())
    except (TypeError, ValueError):
        raise WireFormatError(url, f"{where}.period", f"perioden {period!r} är inte ett år") from None


def _flatten(
    url: str, item: Any, where: str, cols: dict[str, list[Any]], problems: list[ParseProblem]
) -> None:
    kpi, municipality = require(url, item, "kpi", where), require(url, item, "municipality", where)
    year = _year(url, require(url, item, "period", where), where)
    entries = require(url, item, "values", where)
    for j, entry in enumerate(entries if isinstance(entries, list) else [None]):
        inner = f"{where}.values[{j}]"
        gender = require(url, entry, "gender", inner)
        if "value" not in entry:
            raise WireFormatError(url, f"{inner}.value", "obligatoriskt fält saknas")
        value, text = number(entry["value"])
        if value is False:
            key = {"kpi": kpi, "municipality": municipality, "year": year, "gender": gender}
            problems.append(ParseProblem(url, f"{inner}.value", key, entry["value"]))
            continue
        deleted = bool(flag(entry.get("isdeleted")))
        row = (kpi, municipality, year, gender, value, _integer(entry.get("count")))
        row += (entry.get("status") or None, deleted, text)
        for field, cell in zip(VALUE_FIELDS, row, strict=True):
            cols[field].append(cell)


def number(raw: Any) -> tuple[float | bool | None, str | None]:
    """(value, original text): a JSON number as is, null as None, numeric text read (with its text kept);
    (False, None) when it is not a finite number."""
    if raw is None:
        return None, None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return (float(raw), None) if math.isfinite(raw) else (False, None)
    if isinstance(raw, str):
        try:
            # A decimal comma is how a Swedish source would write a number as text.
            parsed = float(raw.strip().replace(",", ".").replace("\u2212", "-"))
        except ValueError:
            return False, None
        return (parsed, raw) if math.isfinite(parsed) else (False, None)
    return False, None


def _integer(raw: Any) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


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
        "value_text": object_array(cols["value_text"]),
    }
