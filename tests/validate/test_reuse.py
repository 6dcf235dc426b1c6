"""A suite validated again on the same rows with the same rules takes the earlier results
(orchestration/lib/validate/reuse.py); anything changed, or a quarantine, validates for real."""

from __future__ import annotations

from datetime import date

import pytest

from expectations import SUITES
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.validate import validate, validate_suite
from tests.validate.quality_warehouse import Warehouse

SUITE = "raw_kolada_values"
ONE_ROW = "kpi = 'N07041' and municipality = '0682' and year = 2020"
STORED = "expectation, severity, success, observed_value, element_count, unexpected_count, details"


def _stored(warehouse: Warehouse, run_id: str) -> list[tuple]:
    sql = f"select {STORED} from quality.validation_results where suite = ? and run_id = ? order by 1"
    return warehouse.rows(sql, [SUITE, run_id])


def _without_great_expectations(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("Great Expectations ran although nothing had changed")

    monkeypatch.setattr(validate, "run_rules", refuse)


def _steady(warehouse: Warehouse) -> None:
    """Two validations of the same rows: the second has the first's row count as its baseline (a parameter
    of the volume rule), as every later one of the same rows will."""
    assert warehouse.validate(SUITE, "run-0").reused_from is None
    assert warehouse.validate(SUITE, "run-1").reused_from is None  # a baseline now: another parameter


def test_the_same_rows_and_rules_again_take_the_earlier_results_without_running_the_suite(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    _steady(warehouse)
    _without_great_expectations(monkeypatch)

    again = warehouse.validate(SUITE, "run-2")
    assert again.reused_from == "run-1" and again.passed and again.quarantined == 0
    assert [r.rule.name for r in again.results] == [rule.name for rule in again.suite.all_rules]
    assert _stored(warehouse, "run-2") == _stored(warehouse, "run-1")  # stored for this run too
    assert again.summary() == (
        "raw.kolada_values: alla 18 förväntningar uppfyllda; "
        "samma data och regler som i körning run-1, vars resultat gäller."
    )
    # Taken from the latest: run-3 names run-2, whose results are run-1's.
    assert warehouse.validate(SUITE, "run-3").reused_from == "run-2"


@pytest.mark.parametrize(
    "change",
    [
        "update raw.kolada_values set value = value + 1 where " + ONE_ROW,  # one valid value
        "delete from raw.kolada_municipalities where id = '0000'",  # a reference list
    ],
)
def test_a_changed_row_or_reference_list_validates_again(warehouse: Warehouse, change: str) -> None:
    _steady(warehouse)
    warehouse.execute(change)
    again = warehouse.validate(SUITE, "run-2")
    assert again.reused_from is None and again.passed


def test_a_rule_that_reads_the_day_validates_again_on_another_day(warehouse: Warehouse) -> None:
    # year_in_range allows 2000 to this year: a year later its parameters differ.
    _steady(warehouse)
    with connect(warehouse.path) as con:
        later = validate_suite(con, SUITES[SUITE], "run-2", today=date(2027, 11, 23))
    assert later.reused_from is None and later.passed


def test_a_validation_that_moved_rows_is_never_taken_again(warehouse: Warehouse) -> None:
    warehouse.execute(f"update raw.kolada_values set year = 1999 where {ONE_ROW}")
    moved = warehouse.validate(SUITE, "run-1")
    assert moved.quarantined == 1
    marks = "select run_id from quality.validation_fingerprints where suite = ? order by checked_at"
    assert warehouse.rows(marks, [SUITE]) == []  # its moves changed the table: nothing to match

    clean = warehouse.validate(SUITE, "run-2")  # the table as the quarantine left it
    assert clean.reused_from is None and clean.quarantined == 0 and clean.passed
    assert warehouse.rows(marks, [SUITE]) == [("run-2",)]
