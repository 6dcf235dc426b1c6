"""Kolada's real wire format (docs/wire-formats.md), pulled through the stand-in on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import json
from datetime import UTC, datetime

import pytest

from orchestration.lib.extract.http import Fetched, FetchError, WireFormatError
from orchestration.lib.extract.kolada import wire
from orchestration.lib.extract.kolada.extract import run_kolada
from orchestration.lib.extract.kolada.values import number, value_columns
from orchestration.lib.ops.warehouse import connect
from tests.extract.conftest import FAST


def page(document: dict) -> wire.Page:
    body = json.dumps(document).encode()
    return wire.read_page(Fetched("http://127.0.0.1/kolada/v3/x", 200, body, datetime.now(UTC), "0"))


def test_a_live_pull_reads_group_members_in_kolada_v3_s_shape(standin, access, scope, warehouse, world):
    run_kolada(warehouse, access, scope, **FAST)
    with connect(warehouse) as con:
        body = con.execute(
            "select body_gz from raw.responses where url like '%/municipality_groups%'"
        ).fetchall()[0][0]
        loaded = con.execute(
            "select group_id, group_title, municipality_id from raw.kolada_municipality_groups order by all"
        ).fetchall()
    served = json.loads(gzip.decompress(body))["values"][0]["members"][0]
    assert set(served) == {"member_id", "member_title"}  # what the server really sent
    expected = sorted(world.groups[["group_id", "group_title", "municipality_id"]].itertuples(index=False))
    assert loaded == [tuple(r) for r in expected]


@pytest.mark.parametrize(
    "members",
    [
        [{"member_id": "0180", "member_title": "Stockholm"}],
        [{"id": "0180", "title": "Stockholm"}],  # the older v2 documentation's shape
        ["0180"],
    ],
)
def test_group_members_are_read_in_every_known_shape(members):
    rows = wire.group_rows(page({"values": [{"id": "G1", "title": "Grupp", "members": members}]}))
    assert rows == [("G1", "Grupp", "0180")]


def test_a_member_without_any_id_names_the_field():
    members = [{"member_title": "Stockholm"}]
    with pytest.raises(WireFormatError, match=r"values\[0\]\.members\[0\]\.member_id"):
        wire.group_rows(page({"values": [{"id": "G1", "title": "Grupp", "members": members}]}))


def test_kpi_flags_are_read_as_booleans_numbers_or_text():
    kpis = [
        {"id": "N1", "title": "a", "is_divided_by_gender": True, "has_ou_data": False},
        {"id": "N2", "title": "b", "is_divided_by_gender": 1, "has_ou_data": 0},
        {"id": "N3", "title": "c", "is_divided_by_gender": "false", "has_ou_data": "true"},
    ]
    rows = wire.kpi_rows(page({"values": kpis}))
    got = [(r[4], r[10]) for r in rows]
    assert got == [(1, False), (1, False), (0, True)]


@pytest.mark.parametrize(("count", "expected"), [(12, 12), ("12", 12), (None, None), ("många", None)])
def test_count_is_an_integer_or_integer_text_or_unknown(count, expected):
    assert page({"count": count, "values": [], "next_url": ""}).count == expected


def test_values_read_numbers_numeric_text_and_null_and_set_aside_the_rest():
    entries = [
        {"gender": "T", "value": 1.5, "status": "", "isdeleted": False},
        {"gender": "K", "value": "12,5"},
        {"gender": "M", "value": None, "count": "3"},
        {"gender": "X", "value": "inte ett tal"},
    ]
    parsed = value_columns(
        page({"values": [{"kpi": "N1", "municipality": "0180", "period": "2020", "values": entries}]})
    )
    assert list(parsed.columns["gender"]) == ["T", "K", "M"]
    assert list(parsed.columns["value"][:2]) == [1.5, 12.5]
    assert list(parsed.columns["value_text"]) == [None, "12,5", None]
    assert list(parsed.columns["count"]) == [-1, -1, 3]
    [problem] = parsed.problems
    assert problem.field == "values[0].values[3].value" and problem.raw == "inte ett tal"


@pytest.mark.parametrize("raw", [True, [1], {"v": 1}, "1e999", float("inf")])
def test_anything_but_a_finite_number_is_not_a_value(raw):
    assert number(raw) == (False, None)


def test_a_400_fails_at_once_naming_the_url_and_the_start_of_the_body(standin, access):
    # Kolada's 400 body is not known (docs/wire-formats.md, K5): whatever it is, its start is shown.
    ids = ",".join(f"N{i:05d}" for i in range(26))
    url = f"{access.kolada_base_url}/data/kpi/{ids}/year/2012?per_page=5000"

    async def get() -> None:
        async with access.fetcher(**FAST) as fetcher:
            await fetcher.get(url)

    with pytest.raises(FetchError) as failure:
        asyncio.run(get())
    assert (
        failure.value.url == url
        and "HTTP 400" in str(failure.value)
        and "at most 25 ids" in str(failure.value)
    )
    assert "efter 1 försök" in str(failure.value) and len(standin.app.faults.served) == 1
