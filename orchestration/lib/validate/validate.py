"""Validate one table against its suite: quarantine failing rows, check the rest, store every result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from expectations.spec import ROWS, Params, Rule, Severity, Suite
from orchestration.lib.validate import quarantine, reuse, store
from orchestration.lib.validate.gx_run import RuleResult, run_rules


class ReferenceDataError(LookupError):
    """A list the rules compare against is empty: checking against it would condemn every row."""


# Stands in for the suite when it could not run at all (a table or column missing).
SUITE_RAN = Rule(
    name="suite_ran",
    expectation="",
    kwargs=lambda _: {},
    severity=Severity.BLOCKING,
    description="Sviten kunde köras mot tabellen",
)


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of one suite in one run."""

    suite: Suite
    run_id: str
    results: tuple[RuleResult, ...]
    quarantined: int
    # The run whose validation read the same (reuse.py), when its results were taken instead of validating.
    reused_from: str | None = None

    @property
    def blocking_failures(self) -> list[RuleResult]:
        return [r for r in self.results if not r.success and r.rule.severity is Severity.BLOCKING]

    @property
    def warnings(self) -> list[RuleResult]:
        return [r for r in self.results if not r.success and r.rule.severity is Severity.WARNING]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking_failures)

    @property
    def passed(self) -> bool:
        return all(r.success for r in self.results)

    def summary(self) -> str:
        """One Swedish sentence for the check's description and the log."""
        if self.reused_from is None:
            return self._found()
        same = f"samma data och regler som i körning {self.reused_from[:8]}, vars resultat gäller"
        return f"{self._found().removesuffix('.')}; {same}."

    def _found(self) -> str:
        if self.blocked:
            failed = ", ".join(r.rule.name for r in self.blocking_failures)
            return f"{self.suite.table}: blockerande fel ({failed}); efterföljande steg körs inte."
        if self.warnings:
            warned = ", ".join(r.rule.name for r in self.warnings)
            return f"{self.suite.table}: varningar ({warned}); {self.quarantined} rader i karantän."
        return f"{self.suite.table}: alla {len(self.results)} förväntningar uppfyllda."


def validate_suite(
    con: duckdb.DuckDBPyConnection, suite: Suite, run_id: str, *, today: date | None = None
) -> SuiteOutcome:
    """Run `suite` in one transaction: quarantine moves and results are stored together or not at all."""
    store.ensure_schema(con)
    now = datetime.now(UTC)
    con.begin()
    try:
        params = Params(today or date.today(), _reference(con, suite), store.baseline(con, suite))
        results, moved, source = _validate(con, suite, params, run_id, now)
        store.write_results(con, suite, results, run_id, now)
        con.commit()
    except (duckdb.Error, ReferenceDataError) as error:
        con.rollback()
        results, moved, source = [_error_result(error)], 0, None
        store.write_results(con, suite, results, run_id, now)
    return SuiteOutcome(suite, run_id, tuple(results), moved, source)


def _validate(
    con: duckdb.DuckDBPyConnection, suite: Suite, params: Params, run_id: str, now: datetime
) -> tuple[list[RuleResult], int, str | None]:
    """The results, the rows moved to quarantine, and the run whose results they are when an earlier
    validation read the same (reuse.py: then Great Expectations does not run)."""
    mark = reuse.fingerprint(con, suite, params)  # before the quarantine changes the table
    found = reuse.earlier(con, suite, mark)
    results, moved = (found[1], 0) if found else _run(con, suite, params, run_id, now)
    source = found[0] if found else None
    if not moved:
        reuse.remember(con, suite, run_id, mark, now)
    return results, moved, source


def _run(
    con: duckdb.DuckDBPyConnection, suite: Suite, params: Params, run_id: str, now: datetime
) -> tuple[list[RuleResult], int]:
    results, moved = _contain(con, suite, params, run_id, now) if suite.row_rules else ([], 0)
    # Table-level rules read the table as it flows on, after the quarantine.
    for frame_name, rules in _by_frame(suite.table_rules).items():
        frame = con.execute(suite.frames[frame_name]).df()
        results += run_rules(frame, rules, params, f"{suite.name}.{frame_name}")
    return results, moved


def _contain(
    con: duckdb.DuckDBPyConnection, suite: Suite, params: Params, run_id: str, now: datetime
) -> tuple[list[RuleResult], int]:
    rows = con.execute(suite.frames[ROWS]).df()
    row_results = run_rules(rows, suite.row_rules, params, f"{suite.name}.rows")
    failed = quarantine.failing_rows(row_results)
    guard_rule = suite.guard_rule
    assert guard_rule is not None  # a suite with row-level rules always has its guard
    guard = run_rules(quarantine.guard_frame(rows, failed), [guard_rule], params, f"{suite.name}.guard")
    moved = quarantine.move(con, suite, rows, failed, run_id, now) if guard[0].success else 0
    return [*row_results, *guard], moved


def _by_frame(rules: Sequence[Rule]) -> dict[str, list[Rule]]:
    frames: dict[str, list[Rule]] = {}
    for rule in rules:
        frames.setdefault(rule.frame, []).append(rule)
    return frames


def _reference(con: duckdb.DuckDBPyConnection, suite: Suite) -> dict[str, list[object]]:
    values: dict[str, list[object]] = {}
    for name, sql in suite.reference.items():
        # A set of allowed values, in one order: SQL (a union, say) gives them in any (reuse.py hashes them).
        values[name] = sorted({row[0] for row in con.execute(sql).fetchall()}, key=str)
        if not values[name]:
            raise ReferenceDataError(
                f"Sviten {suite.name}: referenslistan {name!r} är tom ({sql}); inget flyttas till karantän"
            )
    return values


def _error_result(error: Exception) -> RuleResult:
    message = f"{type(error).__name__}: {error}"
    return RuleResult(
        rule=SUITE_RAN,
        expectation_type="suite_error",
        success=False,
        observed_value=message,
        element_count=None,
        unexpected_count=None,
        unexpected_percent=None,
        details=None,
    )
