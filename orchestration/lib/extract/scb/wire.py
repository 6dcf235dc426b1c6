"""JSON-stat2 as PxWebApi v2 sends it: id, size, dimension.<Dim>.category.index, a flat row-major value."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from orchestration.lib.extract.http import Fetched, WireFormatError, load_json_object
from orchestration.lib.extract.landing import object_array
from orchestration.lib.extract.parse_errors import ParseProblem

DIMENSIONS = ("Region", "Verksomrkom", "ContentsCode", "Tid")
COLUMNS = {"Region": "region", "Verksomrkom": "verksamhet", "ContentsCode": "contents_code", "Tid": "year"}


@dataclass(frozen=True)
class Dataset:
    url: str
    updated: str | None
    codes: dict[str, list[str]]  # dimension -> codes in index order
    labels: dict[str, dict[str, str]]
    value: list[Any] | None


def _codes(url: str, name: str, dimension: Any) -> tuple[list[str], dict[str, str]]:
    category = dimension.get("category") if isinstance(dimension, dict) else None
    index = category.get("index") if isinstance(category, dict) else None
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [str(c) for c, _ in sorted(index.items(), key=lambda item: item[1])]
    else:
        raise WireFormatError(url, f"dimension.{name}.category.index", "obligatoriskt fält saknas")
    labels = category.get("label") or {}
    return codes, {c: str(labels.get(c, c)) for c in codes}


def read_dataset(fetched: Fetched, *, with_values: bool) -> Dataset:
    """The dataset's dimensions in `id` order; with_values demands a value array of the right length."""
    doc = load_json_object(fetched)
    ids, sizes, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    for field, item in (("id", ids), ("size", sizes), ("dimension", dims)):
        if not item:
            raise WireFormatError(fetched.url, field, "obligatoriskt fält saknas")
    assert isinstance(ids, list) and isinstance(dims, dict) and isinstance(sizes, list)
    missing = [d for d in DIMENSIONS if d not in ids]
    if missing:
        raise WireFormatError(fetched.url, f"dimension.{missing[0]}", "dimensionen saknas i svaret")
    codes, labels = {}, {}
    for name in ids:
        codes[name], labels[name] = _codes(fetched.url, name, dims.get(name))
    value = doc.get("value") if with_values else None
    if with_values:
        expected = math.prod(len(codes[n]) for n in ids)
        sizes_match = list(sizes) == [len(codes[n]) for n in ids]
        if not isinstance(value, list) or len(value) != expected or not sizes_match:
            raise WireFormatError(fetched.url, "value", f"väntade {expected} värden enligt size")
    return Dataset(fetched.url, doc.get("updated"), {n: codes[n] for n in ids}, labels, value)


def value_columns(dataset: Dataset) -> tuple[dict[str, np.ndarray], list[ParseProblem]]:
    """One row per cell (the last dimension of `id` varies fastest), and the cells that are not numbers."""
    names = list(dataset.codes)
    sizes = [len(dataset.codes[n]) for n in names]
    grid = np.indices(sizes).reshape(len(sizes), -1)
    columns: dict[str, np.ndarray] = {}
    for axis, name in enumerate(names):
        if name in COLUMNS:
            codes = object_array(dataset.codes[name])
            columns[COLUMNS[name]] = codes[grid[axis]]
    try:
        columns["year"] = columns["year"].astype(np.int32)
    except ValueError:
        raise WireFormatError(dataset.url, "dimension.Tid", "Tid är inte år") from None
    columns["value_tkr"], problems = _cells(dataset, columns)
    return columns, problems


def _cells(dataset: Dataset, columns: dict[str, np.ndarray]) -> tuple[np.ndarray, list[ParseProblem]]:
    """Cells as numbers: null (SCB's '..' cells) is missing, a number sent as text is read; anything
    else is missing too, and a problem to quarantine."""
    values = np.full(len(dataset.value or []), np.nan)
    problems = []
    for i, raw in enumerate(dataset.value or []):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            values[i] = raw
        elif raw is not None:
            try:
                values[i] = float(str(raw).strip().replace(",", "."))
            except ValueError:
                key = {c: _plain(columns[c][i]) for c in ("region", "verksamhet", "contents_code", "year")}
                problems.append(ParseProblem(dataset.url, f"value[{i}]", key, raw))
    return values, problems


def _plain(cell: Any) -> Any:
    return cell.item() if hasattr(cell, "item") else cell
