"""What changed since the previous report: real dbt builds, the report_history asset in real Dagster runs."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.report.evidence import evidence_site
from orchestration.defs.report.history import report_history
from orchestration.lib.ops.resources import resources
from tests.dbt import run_dbt
from tests.transform.built import VERDICT_AGREEMENT, DbtBuilt

AGREEMENT = VERDICT_AGREEMENT  # the cooperation the estimator judged (four verdicts)
REBUILD = ["build", "--select", "dim_report_meta", "fct_agreement_verdicts", "fct_agreement_verdict_changes"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_built: DbtBuilt) -> Path:
    """A copy of the session's `dbt build` of the hand-made raw warehouse, with the estimator's four
    verdicts for AGREEMENT (tests/transform/built.py): the first report, not yet recorded."""
    return dbt_built.copy_to(tmp_path_factory.mktemp("history"))


def _dbt(args: list[str], path: Path, source: str = "demo") -> None:
    result = run_dbt(args, path, path.parent, UPPSIKT_SOURCE=source)
    assert result.returncode == 0, result.stdout[-4000:]


def _changes(path: Path) -> dict[str, tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select dimension, change, previous_verdict, change_text, previous_report_built_at"
            " from marts.fct_agreement_verdict_changes"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def _scalar(path: Path, sql: str) -> object:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def _publish(path: Path, reports: Path) -> int:
    """What Evidence's sources step writes for the report_meta query (reports/sources/uppsikt), from the
    current marts; the real build is in test_history_published.py."""
    folder = reports / "build" / "data" / "uppsikt" / "report_meta" / "q"
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(
            f"copy (select epoch_us(built_at) as report_id from marts.dim_report_meta) "
            f"to '{folder / 'report_meta.parquet'}' (format parquet)"
        )
        return con.execute("select epoch_us(built_at) from marts.dim_report_meta").fetchone()[0]


def _record(path: Path, monkeypatch: pytest.MonkeyPatch, publish: bool = True) -> dg.MaterializeResult:
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(path))
    reports = path.parent / "published"
    monkeypatch.setenv("UPPSIKT_REPORTS", str(reports))
    if publish:
        _publish(path, reports)
    result = dg.materialize([report_history], resources=resources())
    assert result.success
    return result.asset_materializations_for_node("report_history")[0].metadata


def test_reports_compared_run_after_run(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _changes(warehouse)
    assert {row[0] for row in first.values()} == {"forsta_rapporten"}
    first_built = _scalar(warehouse, "select built_at from marts.dim_report_meta")

    metadata = _record(warehouse, monkeypatch)
    assert metadata["verdicts"].value == 4 and metadata["reports_kept"].value == 1
    # The same report recorded twice stays one report.
    assert _record(warehouse, monkeypatch)["reports_kept"].value == 1
    assert _scalar(warehouse, "select count(*) from history.report_verdicts") == 4

    _dbt(REBUILD, warehouse)
    unchanged = _changes(warehouse)
    assert {row[0] for row in unchanged.values()} == {"oforandrad"}
    assert {row[3] for row in unchanged.values()} == {first_built}

    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update analysis.effect_verdicts set verdict = 'levererar_inte' where dimension = ?", ["kostnad"]
        )
    _dbt(REBUILD, warehouse)
    changed = _changes(warehouse)
    assert changed["kostnad"][:3] == ("samre", "levererar", "Sämre, var levererar")
    assert {changed[d][0] for d in ("kvalitet", "personal", "samlat")} == {"oforandrad"}

    _record(warehouse, monkeypatch)
    assert _scalar(warehouse, "select count(distinct report_built_at) from history.report_verdicts") == 2
    # A report built from live data is never compared with the demo reports.
    # The source comes from the warehouse's provenance record, not from a setting.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.warehouse_source set source = 'live'")
    _dbt(REBUILD, warehouse)
    assert {row[0] for row in _changes(warehouse).values()} == {"forsta_rapporten"}


def test_a_report_other_than_the_published_one_is_never_recorded(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _record(warehouse, monkeypatch)
    before = _scalar(warehouse, "select count(*) from history.report_verdicts")
    # Another run rebuilds the marts after this one's site was published: the marts no longer describe it.
    _dbt(REBUILD, warehouse)
    result = dg.materialize([report_history], raise_on_error=False, resources=resources())
    assert not result.success
    error = str(result.failure_data_for_node("report_history").error)
    assert "en annan körning har byggt om lagret medan rapporten byggdes" in error
    assert _scalar(warehouse, "select count(*) from history.report_verdicts") == before
    recorded = _scalar(warehouse, "select max(epoch_us(report_built_at)) from history.report_verdicts")
    assert recorded != _scalar(warehouse, "select epoch_us(built_at) from marts.dim_report_meta")


def test_a_failed_site_build_records_nothing(warehouse: Path, tmp_path: Path, monkeypatch) -> None:
    before = _scalar(warehouse, "select count(*) from history.report_verdicts")
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("UPPSIKT_REPORTS", str(tmp_path / "no-site"))  # no Evidence project: the build fails
    result = dg.materialize([evidence_site, report_history], raise_on_error=False, resources=resources())
    assert not result.success
    assert result.asset_materializations_for_node("report_history") == []
    assert _scalar(warehouse, "select count(*) from history.report_verdicts") == before


def test_recording_before_dbt_made_the_table_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    empty = tmp_path / "uppsikt.duckdb"
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(empty))
    result = dg.materialize([report_history], raise_on_error=False, resources=resources())
    assert not result.success
    failure = result.failure_data_for_node("report_history")
    assert "history.report_verdicts saknas i lagret" in str(failure.error)
