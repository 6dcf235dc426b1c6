"""Real Dagster runs: the suites' asset checks between stand-in upstream and downstream assets.

The stand-in report depends on exactly the stand-ins the real evidence_site depends on in the real code
location (tests/validate/report_wiring.py), and every blocking check's asset is upstream of the real site.

A blocking failure must keep the downstream report from materialising (the last good build stays as it
was); a warning must let it run on the rows that survived the quarantine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg

from orchestration.defs.validate import freshness, marts, raw
from orchestration.lib.ops.resources import resources
from orchestration.lib.validate.dagster import blocked_checks
from tests.validate.quality_warehouse import Warehouse
from tests.validate.report_wiring import real_graph, report_deps, report_upstream

KOLADA = dg.AssetKey(["raw", "kolada_values"])
VERDICTS = dg.AssetKey(["marts", "fct_agreement_verdicts"])
REPORT = dg.AssetKey(["report", "build"])
GOOD_PAGE = "<p>90 värden</p>"

Pull = Callable[[Warehouse], None]


def _definitions(warehouse: Warehouse, site: Path, pull: Pull, verdict: str = "levererar") -> dg.Definitions:
    @dg.asset(key=KOLADA)
    def kolada_values() -> None:
        """Stand-in extract: applies this run's pull to the warehouse."""
        pull(warehouse)

    @dg.asset(key=VERDICTS, deps=[KOLADA])
    def fct_agreement_verdicts() -> None:
        """Stand-in dbt model: rebuilds the verdicts."""
        warehouse.execute("update marts.fct_agreement_verdicts set verdict = ?", [verdict])

    @dg.asset(key=REPORT, deps=report_deps(KOLADA, VERDICTS))
    def report_build() -> None:
        """Stand-in report build: publishes how many values it read."""
        count = warehouse.scalar("select count(*) from raw.kolada_values")
        (site / "index.html").write_text(f"<p>{count} värden</p>", encoding="utf-8")

    stand_ins = dg.Definitions(
        assets=[kolada_values, fct_agreement_verdicts, report_build],
        executor=dg.in_process_executor,
        resources=resources(),
    )
    return dg.Definitions.merge(raw.defs(), marts.defs(), freshness.defs(), stand_ins)


def _run(definitions: dg.Definitions) -> dg.ExecuteInProcessResult:
    selection = dg.AssetSelection.assets(KOLADA, VERDICTS, REPORT, freshness.FRESHNESS_KEY)
    job = dg.Definitions.merge(
        definitions, dg.Definitions(jobs=[dg.define_asset_job("validate_test", selection=selection)])
    ).resolve_job_def("validate_test")
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


def _materialised(result: dg.ExecuteInProcessResult) -> set[dg.AssetKey]:
    return {event.asset_key for event in result.get_asset_materialization_events()}


def _check(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dg.AssetCheckEvaluation:
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.asset_key == key]
    return evaluation


def _no_change(_: Warehouse) -> None:
    return None


def _duplicate_rows(warehouse: Warehouse) -> None:
    warehouse.execute("insert into raw.kolada_values select * from raw.kolada_values where year = 2020")


def _one_bad_gender(warehouse: Warehouse) -> None:
    warehouse.execute(
        "update raw.kolada_values set gender = 'X'"
        " where kpi = 'N07041' and municipality = '0682' and year = 2020"
    )


def test_a_blocking_failure_keeps_the_last_good_report(warehouse: Warehouse, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    good = _run(_definitions(warehouse, site, _no_change))
    assert good.success
    assert _materialised(good) == {KOLADA, VERDICTS, REPORT, freshness.FRESHNESS_KEY}
    assert _check(good, KOLADA).passed
    assert (site / "index.html").read_text(encoding="utf-8") == GOOD_PAGE
    assert warehouse.scalar("select count(*) from quality.freshness") > 0
    published = (site / "index.html").stat().st_mtime_ns

    bad = _run(_definitions(warehouse, site, _duplicate_rows))
    assert not bad.success
    assert _materialised(bad) == {KOLADA}
    check = _check(bad, KOLADA)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert blocked_checks(bad) == [
        "raw/kolada_values: raw.kolada_values: blockerande fel (key_unique); efterföljande steg körs inte."
    ]
    assert blocked_checks(good) == []
    assert (site / "index.html").read_text(encoding="utf-8") == GOOD_PAGE
    assert (site / "index.html").stat().st_mtime_ns == published
    stored = warehouse.rows(
        "select expectation, success from quality.validation_results"
        " where run_id = ? and suite = 'raw_kolada_values' and not success",
        [bad.run_id],
    )
    assert stored == [("key_unique", False)]


def test_a_warning_quarantines_and_the_report_runs_on_the_rest(warehouse: Warehouse, tmp_path: Path) -> None:
    result = _run(_definitions(warehouse, tmp_path, _one_bad_gender))
    assert result.success
    assert REPORT in _materialised(result)
    check = _check(result, KOLADA)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert blocked_checks(result) == []
    assert check.metadata["quarantined_rows"].value == 1
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<p>89 värden</p>"
    assert warehouse.rows("select run_id, rules from quality.quarantine") == [
        (result.run_id, "gender_allowed")
    ]


def test_a_broken_mart_stops_the_report(warehouse: Warehouse, tmp_path: Path) -> None:
    result = _run(_definitions(warehouse, tmp_path, _no_change, verdict="bra"))
    assert _materialised(result) == {KOLADA, VERDICTS, freshness.FRESHNESS_KEY}
    assert _check(result, KOLADA).passed
    assert _check(result, VERDICTS).severity == dg.AssetCheckSeverity.ERROR
    assert not (tmp_path / "index.html").exists()


def test_every_suite_is_a_blocking_check_on_its_asset() -> None:
    from expectations import SUITES

    checks = [c for d in (raw.defs(), marts.defs()) for c in d.asset_checks or ()]
    specs = {spec.key: spec for check in checks for spec in check.check_specs}
    assert {(tuple(k.asset_key.path), k.name) for k in specs} == {
        (suite.asset_key, suite.name) for suite in SUITES.values()
    }
    assert all(spec.blocking for spec in specs.values())


def test_the_stand_in_report_is_wired_as_the_real_site() -> None:
    assert report_deps(KOLADA, VERDICTS) == [KOLADA, VERDICTS]


def test_every_suite_guards_the_real_report() -> None:
    from expectations import SUITES

    graph = real_graph()
    checked = {dg.AssetKey(list(suite.asset_key)) for suite in SUITES.values()}
    assert checked <= set(graph.get_all_asset_keys())
    blocking = {k.asset_key for k in graph.asset_check_keys if graph.get_check_spec(k).blocking}
    assert checked <= blocking
    # A suite's blocking failure stops the real site only if the site is downstream of its asset.
    assert sorted(k.to_user_string() for k in checked - report_upstream()) == []
