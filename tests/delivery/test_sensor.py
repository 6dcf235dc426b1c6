"""The sensor on Kolada's publication dates, evaluated against a real warehouse and Dagster instance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.report import delivery
from orchestration.defs.report.delivery import kolada_publication_sensor
from orchestration.lib.ops.resources import resources
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.validate.publications import due_dates


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The sensor's "today", read when the test starts and held for it (a test may run across midnight)."""
    day = delivery._today()
    monkeypatch.setattr(delivery, "_today", lambda: day)
    return day


def _warehouse(path: Path, kpis: list[tuple[str, object, object]], followed: list[str]) -> None:
    with connect(path) as con:
        con.execute("create schema if not exists raw")
        con.execute(
            "create or replace table raw.kolada_kpis (id varchar, title varchar, "
            "prel_publication_date varchar, publication_date varchar, response_id varchar)"
        )
        con.execute("create or replace table raw.registry_area_kpis (area varchar, kpi varchar)")
        con.executemany("insert into raw.kolada_kpis values (?, 'titel', ?, ?, 'r1')", kpis)
        con.executemany("insert into raw.registry_area_kpis values ('it', ?)", [(k,) for k in followed])


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


def _evaluate(instance: dg.DagsterInstance, cursor: str | None = None) -> tuple[object, str | None]:
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources())
    result = kolada_publication_sensor(context)
    return result, context.cursor


def _succeed_pipeline_run(instance: dg.DagsterInstance) -> None:
    # A successful run of the pipeline job, recorded now: the sensor reads it from the instance.
    @dg.op
    def noop() -> None:
        return None

    @dg.job(name="uppsikt_pipeline")
    def pipeline() -> None:
        noop()

    assert pipeline.execute_in_process(instance=instance).success


def test_the_sensor_targets_the_pipeline_job() -> None:
    assert kolada_publication_sensor.job_name == "uppsikt_pipeline"


def test_a_passed_publication_date_requests_one_run(today: date, warehouse_path: Path, instance) -> None:
    yesterday = today - timedelta(days=1)
    _warehouse(warehouse_path, [("N00001", None, yesterday.isoformat())], ["N00001"])

    result, cursor = _evaluate(instance)

    assert isinstance(result, dg.RunRequest)
    assert result.run_key == f"kolada-publicering-{yesterday.isoformat()}"
    assert cursor == yesterday.isoformat()
    again, _ = _evaluate(instance, cursor)
    assert isinstance(again, dg.SkipReason)


def test_no_run_for_a_date_not_yet_passed_or_an_unfollowed_kpi(
    today: date, warehouse_path: Path, instance
) -> None:
    later = (today + timedelta(days=3)).isoformat()
    passed = (today - timedelta(days=3)).isoformat()
    _warehouse(warehouse_path, [("N00001", today.isoformat(), later), ("U99999", None, passed)], ["N00001"])

    result, cursor = _evaluate(instance)

    assert isinstance(result, dg.SkipReason) and cursor is None


def test_dates_before_the_last_successful_run_request_nothing(
    today: date, warehouse_path: Path, instance, monkeypatch
) -> None:
    _succeed_pipeline_run(instance)
    old = (today - timedelta(days=10)).isoformat()
    upcoming = (today + timedelta(days=10)).isoformat()
    _warehouse(warehouse_path, [("N00001", old, upcoming)], ["N00001"])

    result, _ = _evaluate(instance)
    assert isinstance(result, dg.SkipReason)

    # Eleven days on, the preliminary publication has passed since that run: a run is due.
    monkeypatch.setattr(delivery, "_today", lambda: today + timedelta(days=11))
    result, cursor = _evaluate(instance)
    assert isinstance(result, dg.RunRequest)
    assert result.tags["uppsikt/publication_date"] == upcoming == cursor


def test_dates_stored_as_timestamps_are_read_too(today: date, warehouse_path: Path, instance) -> None:
    yesterday = today - timedelta(days=1)
    _warehouse(warehouse_path, [("N00001", None, f"{yesterday.isoformat()}T00:00:00")], ["N00001"])
    result, _ = _evaluate(instance)
    assert isinstance(result, dg.RunRequest)


def test_no_warehouse_skips(warehouse_path: Path, instance) -> None:
    result, _ = _evaluate(instance)
    assert isinstance(result, dg.SkipReason) and "Inget lager" in result.skip_message


def test_a_warehouse_without_kolada_tables_skips(warehouse_path: Path, instance) -> None:
    with connect(warehouse_path) as con:
        con.execute("create table t (x int)")
    result, _ = _evaluate(instance)
    assert isinstance(result, dg.SkipReason) and "kolada_kpis" in result.skip_message


def test_due_dates_rules() -> None:
    day = date(2026, 3, 5)
    assert due_dates([day], None, None, day) == []  # publication day itself has not passed
    assert due_dates([day], None, None, day + timedelta(1)) == [day]
    assert due_dates([day], day, None, day + timedelta(1)) == [day]  # that run may have preceded it
    assert due_dates([day], day + timedelta(1), None, day + timedelta(2)) == []
    assert due_dates([day], None, day, day + timedelta(2)) == []  # already requested
