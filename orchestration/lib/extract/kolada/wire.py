"""Kolada v3 wire format: pages of {count, next_url, previous_url, values} and the objects in them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from orchestration.lib.extract.http import Fetched, WireFormatError, load_json_object

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
    return Page(fetched.url, values, _count(document.get("count")), next_url or None)


def _count(value: Any) -> int | None:
    """The total a request matches: an integer, or integer text; anything else means unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def require(url: str, item: Any, field: str, where: str) -> Any:
    if not isinstance(item, dict) or field not in item or item[field] is None:
        raise WireFormatError(url, f"{where}.{field}", "obligatoriskt fält saknas")
    return item[field]


def flag(value: Any) -> bool | None:
    """A yes/no field sent as a JSON boolean, 0/1 or text ("true", "1", "false", "0"); None if unknown."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1", "ja", "yes"):
        return True
    if text in ("false", "0", "nej", "no", ""):
        return False
    return None


def kpi_rows(page: Page) -> list[tuple[Any, ...]]:
    """KPI metadata rows in KPI_COLUMNS order plus `extra`: every field the table has no column for."""
    rows = []
    for i, item in enumerate(page.values):
        for field in KPI_REQUIRED:
            require(page.url, item, field, f"values[{i}]")
        known = [item.get(c) for c in KPI_COLUMNS]
        # Seen as 0/1 and as true/false (docs/wire-formats.md): read either, and "false" as false.
        divided, has_ou = flag(known[4]), flag(known[10])
        known[4] = None if divided is None else int(divided)
        known[10] = has_ou
        known[7:10] = [None if v is None else str(v) for v in known[7:10]]
        extra = {k: v for k, v in item.items() if k not in KPI_COLUMNS}
        rows.append((*known, json.dumps(extra, ensure_ascii=False, sort_keys=True)))
    return rows


def municipality_rows(page: Page) -> list[tuple[Any, ...]]:
    """(id, title, type) per municipality, region or Riket."""
    rows = []
    for i, item in enumerate(page.values):
        where = f"values[{i}]"
        rows.append(tuple(require(page.url, item, f, where) for f in ("id", "title", "type")))
    return rows


def group_rows(page: Page) -> list[tuple[Any, ...]]:
    """(group_id, group_title, municipality_id) per membership.

    Kolada v3 sends members as {"member_id", "member_title"} (docs/wire-formats.md); the v2 shape
    {"id", "title"} and bare id strings are read too, so a format change does not stop a run.
    """
    rows = []
    for i, item in enumerate(page.values):
        where = f"values[{i}]"
        group_id, title = require(page.url, item, "id", where), require(page.url, item, "title", where)
        members = require(page.url, item, "members", where)
        if not isinstance(members, list):
            raise WireFormatError(page.url, f"{where}.members", "members är inte en lista")
        for j, member in enumerate(members):
            rows.append((group_id, title, member_id(page.url, member, f"{where}.members[{j}]")))
    return rows


MEMBER_ID_FIELDS = ("member_id", "id")


def member_id(url: str, member: Any, where: str) -> str:
    """A group member's id from {"member_id"} (v3), {"id"} (v2) or a bare id string."""
    if isinstance(member, str | int) and not isinstance(member, bool):
        return str(member)
    if isinstance(member, dict):
        for field in MEMBER_ID_FIELDS:
            if member.get(field) is not None:
                return str(member[field])
    raise WireFormatError(url, f"{where}.member_id", "obligatoriskt fält saknas (member_id eller id)")
