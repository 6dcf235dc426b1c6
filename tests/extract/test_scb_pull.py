"""The SCB TAB4199 client against the stand-in: JSON-stat2, chunking, skipping unchanged tables, faults."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest

from orchestration.lib.demo.standin.app import StandinApp
from orchestration.lib.demo.standin.faults import Fault
from orchestration.lib.demo.standin.server import serve
from orchestration.lib.demo.standin.synthetic import synthetic_world
from orchestration.lib.demo.world import kommun_ids
from orchestration.lib.extract.http import Fetched, FetchError, SourceAccess, WireFormatError
from orchestration.lib.extract.scb import wire
from orchestration.lib.extract.scb.extract import ScbScope, run_scb
from orchestration.lib.ops.warehouse import connect
from tests.extract.conftest import AS_OF, FAST, KOMMUNER, VERKSAMHETER, YEARS, contents

SCOPE = ScbScope((*VERKSAMHETER, "999"))


def fetched(document: dict) -> Fetched:
    body = json.dumps(document).encode()
    return Fetched(
        "https://scb/tables/TAB4199/data", 200, body, datetime.now(UTC), hashlib.sha256(body).hexdigest()
    )


def dimension(codes: list[str]) -> dict:
    return {"category": {"index": {c: i for i, c in enumerate(codes)}, "label": {c: c for c in codes}}}


def test_json_stat2_values_are_read_row_major():
    ids = {"Region": ["00", "0114"], "Verksomrkom": ["270"], "ContentsCode": ["0000005X", "0000005Y"]}
    ids["Tid"] = ["2020", "2021", "2022"]
    document = {
        "id": list(ids),
        "size": [2, 1, 2, 3],
        "dimension": {d: dimension(c) for d, c in ids.items()},
        "value": [float(i) for i in range(11)] + [None],
    }
    columns, _ = wire.value_columns(wire.read_dataset(fetched(document), with_values=True))
    rows = list(zip(*(columns[c] for c in ("region", "contents_code", "year", "value_tkr")), strict=True))
    assert rows[0] == ("00", "0000005X", 2020, 0.0)
    assert rows[4] == ("00", "0000005Y", 2021, 4.0)  # Tid varies fastest, then ContentsCode
    assert rows[6][:3] == ("0114", "0000005X", 2020) and rows[6][3] == 6.0
    assert rows[11][:3] == ("0114", "0000005Y", 2022) and rows[11][3] != rows[11][3]  # null is NaN


def test_a_value_array_of_the_wrong_length_is_an_error():
    ids = {"Region": ["00"], "Verksomrkom": ["270"], "ContentsCode": ["0000005X"], "Tid": ["2020", "2021"]}
    document = {"id": list(ids), "size": [1, 1, 1, 2], "dimension": {d: dimension(c) for d, c in ids.items()}}
    with pytest.raises(WireFormatError, match="väntade 2 värden"):
        wire.read_dataset(fetched(document | {"value": [1.0]}), with_values=True)
    with pytest.raises(WireFormatError, match=r"dimension\.Tid"):
        wire.read_dataset(
            fetched(document | {"id": ["Region", "Verksomrkom", "ContentsCode"]}), with_values=True
        )


def test_pull_loads_every_cell_for_kommuner_and_riket(standin, access, warehouse, world):
    report = run_scb(warehouse, access, SCOPE, **FAST)
    with connect(warehouse) as con:
        got = con.execute(
            "select region, verksamhet, contents_code, year, value_tkr from raw.scb_rs_values"
        ).df()
        traced = con.execute(
            "select count(*) from raw.scb_rs_values join raw.responses using (response_id) "
            "where source = 'scb' and http_status = 200"
        ).fetchall()[0][0]
    expected = world.scb_values
    assert len(got) == len(expected) == (len(KOMMUNER) + 1) * len(VERKSAMHETER) * 4 * len(YEARS)
    merged = expected.merge(got, on=["region", "verksamhet", "contents_code", "year"], suffixes=("", "_got"))
    assert (merged["value_tkr"] == merged["value_tkr_got"]).all() and traced == len(got)
    assert report.unknown_verksamheter == ["999"] and report.data_requests == 1


def test_an_unchanged_table_is_not_fetched_again_and_a_new_publication_is(standin, access, warehouse):
    run_scb(warehouse, access, SCOPE, **FAST)
    before = len(standin.app.faults.served)
    again = run_scb(warehouse, access, SCOPE, **FAST)
    assert again.unchanged and again.data_requests == 0
    assert standin.app.faults.targets()[before:] == ["/scb/api/v2/tables/TAB4199/metadata?lang=sv"]
    standin.app.scb.updated = "2026-08-28T06:00:00Z"
    republished = run_scb(warehouse, access, SCOPE, **FAST)
    assert not republished.unchanged and republished.data_requests == 1


def test_national_selection_is_split_under_the_cell_limit(tmp_path):
    world = synthetic_world(
        kpis=["N01951"],
        kommuner=kommun_ids(290),
        years=range(2010, 2026),
        verksamheter=("100", "215", "261", "270", "275", "450", "790", "865", "870"),
    )
    with serve(StandinApp(world)) as running:
        access = SourceAccess(running.kolada_base_url, running.scb_base_url, None, AS_OF, True)
        report = run_scb(tmp_path / "w.duckdb", access, ScbScope(tuple(world.scb_verksamhet_labels)), **FAST)
        statuses = [s.status for s in running.app.faults.served]
    assert report.data_requests == 2 and max(report.cells_per_request) <= 150_000
    assert report.rows == 291 * 9 * 4 * 16 and statuses == [200, 200, 200]


def test_server_errors_are_retried_and_a_failure_changes_nothing(standin, access, warehouse):
    first = run_scb(warehouse, access, SCOPE, **FAST)
    standin.app.scb.updated = "2026-08-28T06:00:00Z"
    standin.app.faults.add(Fault("500", times=2, match="/data?"))
    assert run_scb(warehouse, access, SCOPE, **FAST).rows == first.rows
    standin.app.scb.updated = "2026-09-28T06:00:00Z"
    standin.app.faults.add(Fault("500", times=100, match="/data?"))
    after_retry = contents(warehouse)
    with pytest.raises(FetchError, match="TAB4199/data"):
        run_scb(warehouse, access, SCOPE, **FAST)
    assert contents(warehouse) == after_retry
