"""Hostile and broken answers from a real server on 127.0.0.1 (issue 12, rows 1-6): bounded, on-host,
clearly reported; a bad value is set aside and the pull goes on."""

from __future__ import annotations

import json
import time

import pytest

from orchestration.lib.demo.standin.app import StandinApp
from orchestration.lib.demo.standin.faults import Fault
from orchestration.lib.demo.standin.server import serve
from orchestration.lib.extract.http import FetchError
from orchestration.lib.extract.kolada.extract import run_kolada
from orchestration.lib.extract.scb.extract import ScbScope, run_scb
from orchestration.lib.ops.warehouse import connect
from tests.extract.conftest import FAST, VERKSAMHETER, contents, small_world, value_rows


def refused(warehouse, access, scope, **options) -> FetchError:
    with pytest.raises(FetchError) as failure:
        run_kolada(warehouse, access, scope, **{**FAST, **options})
    assert contents(warehouse) == {}  # a first pull that fails leaves nothing behind
    return failure.value


def test_a_next_url_to_another_host_is_not_followed(standin, access, scope, warehouse):
    with serve(StandinApp(small_world())) as other:
        elsewhere = f"{other.kolada_base_url}/data/kpi/N07000/year/2010?page=2"
        standin.app.faults.add(Fault("next_url", match="/data/", url=elsewhere))
        failure = refused(warehouse, access, scope)
        assert other.requests == 0  # not one request, so no User-Agent, reached the other host
    assert failure.url == elsewhere and "utanför källan" in str(failure) and elsewhere in str(failure)


def test_a_next_url_to_another_path_of_the_same_host_is_not_followed(standin, access, scope, warehouse):
    # The SCB stand-in lives on the same host and port, but a Kolada page may not lead there.
    beside = f"{standin.scb_base_url}/tables/TAB4199/metadata?lang=sv"
    standin.app.faults.add(Fault("next_url", match="/kpi?", url=beside))
    failure = refused(warehouse, access, scope)
    assert "utanför källan" in str(failure) and not standin.app.faults.targets("/scb/")


def test_a_next_url_pointing_at_its_own_page_is_a_loop(standin, access, scope, warehouse):
    standin.app.faults.add(Fault("next_url", match="/kpi?", url="self"))
    failure = refused(warehouse, access, scope)
    assert "slinga" in str(failure) and "/kpi?" in failure.url
    assert len(standin.app.faults.targets("/kpi?")) == 1


def test_a_huge_count_is_refused_before_the_pages_are_asked_for(standin, access, scope, warehouse):
    standin.app.faults.add(Fault("count", match="/data/", count=10**8))
    failure = refused(warehouse, access, scope)
    assert "count=100000000" in str(failure) and "/data/" in failure.url
    assert len(standin.app.faults.served) < 30  # nothing like the million pages that count implies


def test_a_chain_longer_than_count_allows_is_cut(standin, access, scope, warehouse):
    # /kpi says count 8 (one page), yet each page links on to another, new page.
    base = f"{standin.kolada_base_url}/kpi?per_page=5000"
    for n in range(6, 1, -1):  # later pages first: the first fault that matches a request is used
        standin.app.faults.add(
            Fault("next_url", match=f"&page={n - 1}" if n > 2 else "/kpi?", url=f"{base}&page={n}")
        )
    failure = refused(warehouse, access, scope)
    assert "fler sidor än de 3 som count och per_page tillåter" in str(failure)
    assert len(standin.app.faults.targets("/kpi?")) == 3  # page 1 and the 2 allowed for growth


def test_a_server_sending_a_byte_at_a_time_meets_the_total_deadline(standin, access, scope, warehouse):
    # Each byte arrives well within the per-read timeout; only a deadline on the whole transfer stops it.
    standin.app.faults.add(Fault("trickle", match="/kpi?", seconds=0.25))
    started = time.monotonic()
    failure = refused(warehouse, access, scope, timeout=1.0, deadline=1.5)
    assert time.monotonic() - started < 6
    assert "tidsgränsen 1.5 s" in str(failure) and "/kpi?" in failure.url


def test_a_huge_response_is_given_up_while_it_streams_in(standin, access, scope, warehouse):
    fault = Fault("oversize", match="/kpi?", size=300 * 1024 * 1024)
    standin.app.faults.add(fault)
    failure = refused(warehouse, access, scope, max_bytes=1024 * 1024)
    assert "större än gränsen 1.0 MB" in str(failure) and "/kpi?" in failure.url
    assert fault.sent < 64 * 1024 * 1024  # the client hung up long before the 300 MB were sent


def quarantine(warehouse) -> list[tuple]:
    with connect(warehouse, read_only=True) as con:
        return con.execute("select reason, table_name, row_key, row_json from quality.quarantine").fetchall()


def test_a_value_that_is_not_a_number_is_quarantined_and_the_pull_goes_on(
    standin, access, scope, warehouse, world
):
    standin.app.faults.add(Fault("value", match="/data/", value="inte ett tal"))
    report = run_kolada(warehouse, access, scope, **FAST)
    [(reason, table, key, row)] = quarantine(warehouse)
    where = json.loads(row)
    assert where["field"] == "values[0].values[0].value" and where["value"] == "inte ett tal"
    assert "/data/" in where["url"] and where["url"] in reason and "inte ett tal" in reason
    assert table == "raw.kolada_values" and set(json.loads(key)) == {"kpi", "municipality", "year", "gender"}
    assert report.quarantined == 1 and report.rows == value_rows(world) - 1
    with connect(warehouse, read_only=True) as con:
        stored = con.execute("select count(*) from raw.kolada_values").fetchall()[0][0]
    assert stored == value_rows(world) - 1


def test_a_number_sent_as_text_is_stored_and_flagged(standin, access, scope, warehouse, world):
    standin.app.faults.add(Fault("value", match="/data/", value="12.5"))
    report = run_kolada(warehouse, access, scope, **FAST)
    with connect(warehouse, read_only=True) as con:
        flagged = con.execute(
            "select value, value_text from raw.kolada_values where value_text is not null"
        ).fetchall()
        total = con.execute("select count(*) from raw.kolada_values").fetchall()[0][0]
    assert flagged == [(12.5, "12.5")] and total == value_rows(world) and report.quarantined == 0


def test_an_scb_cell_that_is_not_a_number_is_quarantined_and_the_pull_goes_on(standin, access, warehouse):
    standin.app.faults.add(Fault("value", match="/data", value="inte ett tal"))
    report = run_scb(warehouse, access, ScbScope(VERKSAMHETER), **FAST)
    [(reason, table, key, row)] = quarantine(warehouse)
    assert table == "raw.scb_rs_values" and json.loads(row)["field"] == "value[0]"
    assert "/tables/TAB4199/data" in json.loads(row)["url"] and "inte ett tal" in reason
    assert set(json.loads(key)) == {"region", "verksamhet", "contents_code", "year"}
    with connect(warehouse, read_only=True) as con:
        cells = con.execute("select count(*) from raw.scb_rs_values").fetchall()[0][0]
    assert cells == report.rows  # every cell kept, the unreadable one as missing
