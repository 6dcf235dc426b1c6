"""Run a set of rules over a DataFrame with Great Expectations 1.x (ephemeral context, pandas source)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from expectations.spec import ROW_ID, Params, Rule

# How many failing values a stored result shows; the quarantine table holds every failing row.
SAMPLE_SIZE = 20


@dataclass(frozen=True)
class RuleResult:
    """What one expectation found."""

    rule: Rule
    expectation_type: str
    success: bool
    observed_value: str | None
    element_count: int | None
    unexpected_count: int | None
    unexpected_percent: float | None
    details: str | None  # JSON: a sample of failing values, or the exception
    unexpected_row_ids: tuple[int, ...] = ()


def _context() -> Any:
    # Telemetry must never block or reach out: off before the library is first imported.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def run_rules(frame: pd.DataFrame, rules: Sequence[Rule], params: Params, name: str) -> list[RuleResult]:
    """Validate `frame` against `rules`; row ids of failing rows come back when the frame has them."""
    if not rules:
        return []
    context = _context()
    import great_expectations as gx

    batch = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
    )
    suite = context.suites.add(gx.ExpectationSuite(name=name))
    for rule in rules:
        suite.add_expectation(rule.build(params))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    outcome = definition.run(batch_parameters={"dataframe": frame}, result_format=_result_format(frame))
    if len(outcome.results) != len(rules):
        raise RuntimeError(f"{name}: {len(rules)} regler gav {len(outcome.results)} resultat")
    by_name = {rule.name: rule for rule in rules}
    return [_result(by_name[r.expectation_config.meta["rule"]], r) for r in outcome.results]


def _result_format(frame: pd.DataFrame) -> dict[str, Any]:
    if ROW_ID in frame.columns:
        return {"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]}
    return {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}


def _result(rule: Rule, raw: Any) -> RuleResult:
    result: dict[str, Any] = raw.result or {}
    exception = raw.exception_info or {}
    observed = result.get("observed_value")
    return RuleResult(
        rule=rule,
        expectation_type=raw.expectation_config.type,
        success=bool(raw.success),
        observed_value=None if observed is None else _text(observed),
        element_count=result.get("element_count"),
        unexpected_count=result.get("unexpected_count"),
        unexpected_percent=result.get("unexpected_percent"),
        details=_details(result, exception),
        unexpected_row_ids=tuple(int(i[ROW_ID]) for i in result.get("unexpected_index_list") or ()),
    )


def _details(result: dict[str, Any], exception: dict[str, Any]) -> str | None:
    if exception.get("raised_exception"):
        return _text({"exception": exception.get("exception_message")})
    sample = result.get("partial_unexpected_list")
    return _text({"unexpected_sample": sample[:SAMPLE_SIZE]}) if sample else None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    # numpy scalars and timestamps from pandas frames
    if hasattr(value, "item"):
        return value.item()
    return str(value)
