"""Kolada v3 as the stand-in serves it: metadata and data pages in the wire format, from a DemoWorld."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from orchestration.lib.demo.world import DemoWorld

MAX_IDS = 25
MAX_PER_PAGE = 5000
GENDER_ORDER = {"T": 0, "K": 1, "M": 2}


class BadRequest(ValueError):
    """What Kolada answers 400 to (e.g. more than 25 ids in a segment)."""


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, date):
        return value.isoformat()
    return value


def data_objects(frame: pd.DataFrame) -> Iterable[tuple[str, str, int, dict[str, Any]]]:
    """One object per KPI × municipality × year, genders in Kolada's order T, K, M."""
    frame = frame.assign(_g=frame["gender"].map(GENDER_ORDER).fillna(9))
    frame = frame.sort_values(["kpi", "municipality", "year", "_g"], kind="stable")
    columns = ("kpi", "municipality", "year", "gender", "count", "status", "value", "isdeleted")
    current: dict[str, Any] | None = None
    for kpi, municipality, year, gender, count, status, value, deleted in zip(
        *(frame[c].tolist() for c in columns), strict=True
    ):
        key = (kpi, municipality, int(year))
        if current is None or key != (current["kpi"], current["municipality"], current["period"]):
            if current is not None:
                yield current["kpi"], current["municipality"], current["period"], current
            current = {"kpi": kpi, "municipality": municipality, "period": int(year), "values": []}
        entry = {"gender": gender, "count": _clean(count), "status": _clean(status) or ""}
        entry |= {"value": _clean(value), "isdeleted": bool(deleted)}
        current["values"].append(entry)
    if current is not None:
        yield current["kpi"], current["municipality"], current["period"], current


class KoladaApi:
    """Routes under the Kolada prefix; `removed_kpis` are ids Kolada no longer knows."""

    def __init__(self, world: DemoWorld, max_per_page: int = MAX_PER_PAGE) -> None:
        self.world = world
        self.max_per_page = max_per_page
        self.removed_kpis: set[str] = set()
        self.reload()

    def reload(self) -> None:
        """Index the DemoWorld again after it changed (values revised, added or deleted upstream)."""
        values = self.world.kolada_values
        # Dates as numpy days once, so from_date queries stay cheap on a national demo world.
        self._updated = pd.to_datetime(values["updated"]).to_numpy().astype("datetime64[D]")
        groups = values.groupby("kpi", sort=False).indices
        self._rows_by_kpi = {str(k): np.asarray(v) for k, v in groups.items()}
        self._objects: dict[str, list[tuple[str, int, str]]] = {}
        for kpi, municipality, year, obj in data_objects(values[~values["isdeleted"].astype(bool)]):
            self._objects.setdefault(kpi, []).append((municipality, year, json.dumps(obj)))

    def handle(self, path: str, query: list[tuple[str, str]], base: str) -> dict[str, Any]:
        """The page document for path (below the prefix) and query; base is the prefix's absolute URL."""
        parts = [p for p in path.strip("/").split("/") if p]
        if not parts:
            raise LookupError(path)
        head, rest = parts[0], parts[1:]
        if head == "data":
            items = self._data(rest, query)
        elif head in ("kpi", "municipality", "municipality_groups") and len(rest) <= 1:
            items = self._metadata(head, _ids(rest[0]) if rest else None)
        else:
            raise LookupError(path)
        return _page(items, query, f"{base}/{'/'.join(parts)}", self.max_per_page)

    def _metadata(self, entity: str, ids: list[str] | None) -> list[str]:
        if entity == "kpi":
            rows = [_kpi(r) for r in _records(self.world.kpis) if r["id"] not in self.removed_kpis]
        elif entity == "municipality":
            rows = _records(self.world.municipalities)
        else:
            rows = self._groups()
        return [json.dumps(r) for r in rows if ids is None or r["id"] in ids]

    def _groups(self) -> list[dict[str, Any]]:
        titles = dict(zip(self.world.municipalities["id"], self.world.municipalities["title"], strict=True))
        out: dict[str, dict[str, Any]] = {}
        for row in self.world.groups.itertuples(index=False):
            group = out.setdefault(
                row.group_id, {"id": row.group_id, "title": row.group_title, "members": []}
            )
            # Kolada v3's member shape, as rKolada reads it (docs/wire-formats.md)
            member = {"member_id": row.municipality_id, "member_title": titles.get(row.municipality_id)}
            group["members"].append(member)
        return list(out.values())

    def _data(self, rest: list[str], query: list[tuple[str, str]]) -> list[str]:
        segments = dict(zip(rest[0::2], rest[1::2], strict=False))
        for key, name in (("kpi_id", "kpi"), ("municipality_id", "municipality"), ("year", "year")):
            given = [v for k, v in query if k == key]
            if given:
                segments[name] = ",".join(given)
        if len(segments) < 2 or not set(segments) <= {"kpi", "municipality", "year"}:
            raise BadRequest("data needs two of the segments kpi, municipality, year")
        kpis = _ids(segments["kpi"]) if "kpi" in segments else sorted(self._objects)
        kpis = [k for k in kpis if k not in self.removed_kpis]
        munis = set(_ids(segments["municipality"])) if "municipality" in segments else None
        years = {int(y) for y in _ids(segments["year"])} if "year" in segments else None
        since = dict(query).get("from_date")
        if since:
            return self._changed(kpis, munis, years, date.fromisoformat(since))
        return [
            text
            for kpi in kpis
            for municipality, year, text in self._objects.get(kpi, [])
            if (munis is None or municipality in munis) and (years is None or year in years)
        ]

    def _changed(
        self, kpis: list[str], munis: set[str] | None, years: set[int] | None, since: date
    ) -> list[str]:
        frame = self.world.kolada_values
        rows = [self._rows_by_kpi.get(k, np.empty(0, dtype=np.int64)) for k in kpis]
        candidates = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
        candidates = candidates[self._updated[candidates] >= np.datetime64(since, "D")]
        frame = frame.iloc[candidates]
        if munis is not None:
            frame = frame[frame["municipality"].isin(munis)]
        if years is not None:
            frame = frame[frame["year"].isin(years)]
        order = {k: i for i, k in enumerate(kpis)}
        objects = sorted(data_objects(frame), key=lambda o: (order[o[0]], o[1], o[2]))
        return [json.dumps(o[3]) for o in objects]


def _ids(segment: str) -> list[str]:
    ids = [i for i in segment.split(",") if i]
    if len(ids) > MAX_IDS:
        raise BadRequest(f"at most {MAX_IDS} ids per segment, got {len(ids)}")
    return ids


def _kpi(record: dict[str, Any]) -> dict[str, Any]:
    # Kolada v3 sends these two flags as JSON booleans (docs/wire-formats.md, K12).
    for flag in ("is_divided_by_gender", "has_ou_data"):
        if record.get(flag) is not None:
            record[flag] = bool(record[flag])
    return record


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _page(items: list[str], query: list[tuple[str, str]], url: str, max_per_page: int) -> dict[str, Any]:
    """Kolada's page: count is the total, next_url/previous_url the neighbours with page set."""
    params = dict(query)
    per_page = min(max_per_page, max(1, int(params.get("per_page", max_per_page))))
    page = max(1, int(params.get("page", 1)))
    start = (page - 1) * per_page

    def link(number: int) -> str:
        pairs = [(k, v) for k, v in query if k != "page"] + [("page", str(number))]
        return f"{url}?{urlencode(pairs, safe=',')}"

    return {
        "count": len(items),
        "next_url": link(page + 1) if start + per_page < len(items) else None,
        "previous_url": link(page - 1) if page > 1 else None,
        "values": items[start : start + per_page],
    }
