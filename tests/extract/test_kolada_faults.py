"""Each fault the stand-in can inject, against the real client: retried to success, or a clear error."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import pytest

from orchestration.lib.demo.standin.faults import Fault
from orchestration.lib.extract.http import FetchError, WireFormatError
from orchestration.lib.extract.kolada.extract import KoladaScope, run_kolada
from orchestration.lib.ops.warehouse import connect
from tests.extract.conftest import FAST, KPIS, contents, value_rows

PAGE_3 = "page=3"  # a page in the middle of a chain: the run has loaded pages before it fails


def loaded(warehouse) -> int:
    with connect(warehouse) as con:
        return con.execute("select count(*) from raw.kolada_values").fetchall()[0][0]


@pytest.mark.parametrize(
    "fault",
    [
        Fault("429", times=3, match="/data/", retry_after=0.3),
        Fault("500", times=3, match="/data/"),
        Fault("stall", times=2, match=PAGE_3, seconds=3.0),
        Fault("truncate", times=2, match="/data/"),
        Fault("drop", times=2, match="/kpi?"),
    ],
    ids=lambda f: f.kind,
)
def test_transient_faults_are_retried_until_the_pull_is_complete(
    standin, access, scope, warehouse, world, fault
):
    standin.app.faults.add(fault)
    run_kolada(warehouse, access, scope, **FAST)
    served = standin.app.faults.served
    faulted = [s for s in served if s.fault == fault.kind]
    assert len(faulted) == (3 if fault.kind in ("429", "500") else 2)
    retried = [s for s in served if s.target == faulted[-1].target and s.fault is None]
    assert retried and retried[-1].status == 200  # the same URL asked again, and answered
    assert loaded(warehouse) == value_rows(world)


def test_retry_after_holds_every_request(standin, access, scope, warehouse):
    standin.app.faults.add(Fault("429", times=1, match="/kpi?", retry_after=0.8))
    started = time.monotonic()
    run_kolada(warehouse, access, scope, **FAST)
    assert time.monotonic() - started >= 0.8  # the 429 asked for 0.8 s; no backoff is that long here
    assert [s.status for s in standin.app.faults.served if "/kpi?" in s.target] == [429, 200]


def test_after_the_last_retry_the_error_names_the_url(standin, access, scope, warehouse):
    standin.app.faults.add(Fault("500", times=100, match=PAGE_3))
    with pytest.raises(FetchError) as failure:
        run_kolada(warehouse, access, scope, **FAST)
    assert PAGE_3 in failure.value.url and failure.value.url in str(failure.value)
    assert "4 försök" in str(failure.value) and "HTTP 500" in str(failure.value)
    assert len([s for s in standin.app.faults.served if s.fault == "500"]) == 4


def test_a_run_that_dies_mid_pull_leaves_the_warehouse_exactly_as_before(standin, access, warehouse):
    run_kolada(warehouse, access, KoladaScope(KPIS[:4]), **FAST)
    before = contents(warehouse)
    # Now a bigger pull (four new KPIs in full) that fails after some of its pages were loaded.
    standin.app.faults.add(Fault("500", times=100, match=PAGE_3))
    with pytest.raises(FetchError):
        run_kolada(warehouse, access, KoladaScope(KPIS), **FAST)
    assert [s for s in standin.app.faults.served if s.status == 200 and "/data/" in s.target][-1]
    assert contents(warehouse) == before


def test_a_first_run_that_dies_leaves_no_tables(standin, access, scope, warehouse):
    standin.app.faults.add(Fault("500", times=100, match=PAGE_3))
    with pytest.raises(FetchError):
        run_kolada(warehouse, access, scope, **FAST)
    assert "raw.kolada_values" not in contents(warehouse)
    assert contents(warehouse) == {}


def test_malformed_json_is_a_clear_error_and_not_retried(standin, access, scope, warehouse):
    standin.app.faults.add(Fault("malformed", times=1, match=PAGE_3))
    with pytest.raises(WireFormatError) as failure:
        run_kolada(warehouse, access, scope, **FAST)
    message = str(failure.value)
    assert PAGE_3 in failure.value.url and failure.value.url in message and "ogiltig JSON" in message
    parts = urlsplit(failure.value.url)
    assert [s.target for s in standin.app.faults.served].count(f"{parts.path}?{parts.query}") == 1
    assert contents(warehouse) == {}


@pytest.mark.parametrize("field", ["period", "kpi", "values"])
def test_a_missing_required_field_names_the_url_and_field(standin, access, scope, warehouse, field):
    standin.app.faults.add(Fault("missing_field", times=1, match=PAGE_3, field=field))
    with pytest.raises(WireFormatError) as failure:
        run_kolada(warehouse, access, scope, **FAST)
    assert failure.value.field == f"values[0].{field}"
    assert PAGE_3 in str(failure.value) and f"values[0].{field}" in str(failure.value)


def test_a_kpi_kolada_no_longer_knows_is_reported_by_id(standin, access, warehouse, caplog):
    scope = KoladaScope(KPIS, ("0110", "9999"))
    run_kolada(warehouse, access, scope, **FAST)
    standin.app.remove_kpi(KPIS[2])
    with caplog.at_level(logging.WARNING):
        report = run_kolada(warehouse, access, scope, **FAST)
    assert report.unknown_kpis == [KPIS[2]] and report.unknown_municipalities == ["9999"]
    assert KPIS[2] in caplog.text and "9999" in caplog.text
    with connect(warehouse) as con:  # what was stored for it is kept, not silently dropped
        kept = con.execute("select count(*) from raw.kolada_values where kpi = ?", [KPIS[2]]).fetchall()
    assert kept[0][0] > 0


def test_a_retry_after_of_an_outage_fails_at_once(standin, access, scope, warehouse):
    standin.app.faults.add(Fault("429", times=1, match="/municipality?", retry_after=3600))
    started = time.monotonic()
    with pytest.raises(FetchError, match="Retry-After") as failure:
        run_kolada(warehouse, access, scope, **FAST)
    assert "/municipality?" in failure.value.url and time.monotonic() - started < 5
    assert contents(warehouse) == {}
