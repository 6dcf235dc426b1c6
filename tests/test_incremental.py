"""The content hash that lets a run with nothing new stop after the pull (lib/ops/incremental.py)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.ops.incremental import (
    calendar_state,
    code_digest,
    inputs_digest,
    last_digest,
    raw_digest,
    remember,
)
from orchestration.lib.ops.settings import PROJECT_ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's registry and report pages: the kind of files a run builds from."""
    shutil.copytree(PROJECT_ROOT / "registry", tmp_path / "registry")
    shutil.copytree(PROJECT_ROOT / "reports" / "pages", tmp_path / "reports" / "pages")
    return tmp_path


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema raw")
    con.execute("create table raw.kolada_values (kpi varchar, value double, loaded_at timestamptz)")
    con.execute("create table raw.extract_runs (run_id varchar, started_at timestamptz)")
    con.execute("insert into raw.kolada_values values ('N1', 1.5, '2026-01-01'), ('N2', 2.5, '2026-01-01')")
    yield con
    con.close()


def test_one_changed_registry_file_changes_the_code_digest(project: Path) -> None:
    before = code_digest(project)
    assert code_digest(project) == before
    cooperation = sorted((project / "registry" / "cooperations").glob("*.yaml"))[0]
    cooperation.write_text(cooperation.read_text(encoding="utf-8") + "\n# ändrad\n", encoding="utf-8")
    assert code_digest(project) != before


def test_a_changed_report_page_changes_the_code_digest(project: Path) -> None:
    before = code_digest(project)
    page = next((project / "reports" / "pages").rglob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nNy mening.\n", encoding="utf-8")
    assert code_digest(project) != before


def test_a_pull_with_nothing_new_keeps_the_raw_digest(con: duckdb.DuckDBPyConnection) -> None:
    before = raw_digest(con)
    # Pulled again: the same rows, in another order and loaded later, and one more line in the pull log.
    con.execute("create or replace table raw.kolada_values as select kpi, value, now() as loaded_at "
                "from raw.kolada_values order by kpi desc")  # fmt: skip
    con.execute("insert into raw.extract_runs values ('r2', now())")
    assert raw_digest(con) == before


def test_a_changed_value_changes_the_raw_digest(con: duckdb.DuckDBPyConnection) -> None:
    before = raw_digest(con)
    con.execute("update raw.kolada_values set value = 1.6 where kpi = 'N1'")
    assert raw_digest(con) != before


def test_the_last_complete_runs_digest_is_kept_in_the_warehouse(con, project: Path) -> None:
    assert last_digest(con) is None  # before dbt made history.run_inputs
    remember(con, "x", "run-0")  # nothing to keep it in yet: the next run builds everything
    con.execute("create schema history")
    con.execute(
        "create table history.run_inputs (fingerprint varchar, run_id varchar, recorded_at timestamptz)"
    )
    days = (date(2026, 12, 7), date(2026, 12, 7))
    digest = inputs_digest(con, project, "demo", None, days)
    remember(con, digest, "run-1")
    assert last_digest(con) == digest != inputs_digest(con, project, "live", None, days)


def test_a_later_day_changes_the_digest_only_when_a_registry_date_has_passed(
    con: duckdb.DuckDBPyConnection, project: Path
) -> None:
    # dim_agreements and fct_agreement_members compare these dates with dbt's current_date.
    con.execute("create table raw.registry_agreements (id varchar, start_date date, end_date date)")
    con.execute("create table raw.registry_members (id varchar, kommun varchar, joined date, left_on date)")
    con.execute("insert into raw.registry_agreements values ('a', '2019-01-01', '2026-12-31')")
    con.execute("insert into raw.registry_members values ('a', '0604', '2027-02-01', null)")
    publication = date(2026, 12, 7)

    def digest(today: date) -> str:
        return inputs_digest(con, project, "live", None, (today, publication))

    assert digest(date(2026, 12, 8)) == digest(date(2026, 12, 30))  # nothing passed in between
    assert digest(date(2026, 12, 30)) != digest(date(2026, 12, 31))  # the cooperation ends that day
    assert digest(date(2027, 1, 31)) != digest(date(2027, 2, 1))  # the member joins
    assert calendar_state(con, date(2027, 3, 1), publication).startswith("registry 2027-02-01;")


def test_a_later_day_changes_the_digest_when_a_source_is_due(con: duckdb.DuckDBPyConnection) -> None:
    # quality.freshness (the Datakvalitet page) compares publication dates with its day.
    con.execute(
        "create table raw.kolada_kpis (id varchar, prel_publication_date varchar, publication_date varchar)"
    )
    con.execute("insert into raw.kolada_kpis values ('N1', '2027-02-20', '2027-04-23'), ('N2', null, 'x')")
    today = date(2027, 1, 10)
    assert calendar_state(con, today, date(2027, 2, 1)) == calendar_state(con, today, date(2027, 2, 19))
    assert calendar_state(con, today, date(2027, 2, 19)) != calendar_state(con, today, date(2027, 2, 20))
    # SCB's räkenskapssammandrag for the year before is due on 1 September.
    assert calendar_state(con, today, date(2027, 8, 31)) != calendar_state(con, today, date(2027, 9, 1))


def test_uppsikt_run_hashes_the_day_dbt_compares_the_registry_with(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.lib.ops import pipeline

    con.execute("create table raw.registry_agreements (id varchar, start_date date, end_date date)")
    con.execute("insert into raw.registry_agreements values ('a', '2019-01-01', '2026-12-31')")
    monkeypatch.setenv("UPPSIKT_SOURCE", "live")

    def digest_on(day: date) -> str:
        monkeypatch.setattr(pipeline, "date", type("Day", (date,), {"today": classmethod(lambda _: day)}))
        return pipeline._inputs_digest(con)

    assert digest_on(date(2026, 12, 8)) == digest_on(date(2026, 12, 30)) != digest_on(date(2026, 12, 31))
