"""The suites as code: every rule is a valid GX 1.x expectation, severities are consistent, the README
table is the one the code renders."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from expectations import SUITES, Params, Rule, Severity, Suite
from expectations.catalogue import rules_table
from expectations.spec import ROWS

README = Path(__file__).resolve().parents[2] / "expectations" / "README.md"
PARAMS = Params(
    today=date(2026, 11, 23), reference={"kpis": ["N07041"], "municipalities": ["0682"]}, baseline=100
)


@pytest.mark.parametrize("suite", SUITES.values(), ids=SUITES.keys())
def test_every_rule_builds_a_gx_expectation(suite: Suite) -> None:
    import great_expectations as gx

    gx.get_context(mode="ephemeral")
    built = [rule.build(PARAMS) for rule in suite.all_rules]
    assert all(isinstance(e, gx.expectations.Expectation) for e in built)
    assert [e.meta["rule"] for e in built] == [r.name for r in suite.all_rules]
    assert {e.severity for e in built} <= {"critical", "warning"}


def test_every_rules_parameters_are_known_without_importing_great_expectations() -> None:
    # A run whose data is unchanged takes the last results by a hash of these (orchestration/lib/validate/
    # reuse.py) and so never imports the library, whose import is about 3 s of such a run.
    code = (
        "import sys; from tests.validate.test_suites import PARAMS; from expectations import SUITES; "
        "[rule.kwargs(PARAMS) for suite in SUITES.values() for rule in suite.all_rules]; "
        "print(sorted(name for name in sys.modules if name.startswith('great_expectations')))"
    )
    root = README.parents[1]
    found = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.strip() == "[]"


def test_the_count_rule_asks_for_a_value_as_great_expectations_own_condition_does() -> None:
    from great_expectations.expectations.row_conditions import Column

    from expectations.raw_kolada import VALUE_PRESENT

    assert Column("value").is_not_null().dict() == VALUE_PRESENT


def test_the_requested_assets_are_guarded() -> None:
    keys = {suite.asset_key for suite in SUITES.values()}
    assert {
        ("raw", "kolada_values"),
        ("raw", "scb_rs_values"),
        ("marts", "fct_agreement_effects"),
        ("marts", "fct_agreement_verdicts"),
        ("marts", "fct_member_costs"),
    } <= keys


def test_row_level_rules_are_warnings_and_guarded_by_a_blocking_share() -> None:
    for suite in SUITES.values():
        for rule in suite.row_rules:
            assert rule.severity is Severity.WARNING
            assert "_row_id" in suite.frames[ROWS]
        if suite.row_rules:
            assert suite.guard_rule is not None and suite.guard_rule.severity is Severity.BLOCKING


def test_a_blocking_row_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="radregler"):
        Rule(
            name="x",
            expectation="ExpectColumnValuesToNotBeNull",
            kwargs=lambda _: {"column": "x"},
            severity=Severity.BLOCKING,
            description="x",
            quarantine_reason="x",
        )


def test_two_rules_with_one_name_are_refused() -> None:
    rule = SUITES["raw_kolada_values"].rules[0]
    with pytest.raises(ValueError, match="samma name"):
        Suite(
            name="s", asset_key=("a",), table="t", key_columns=(), frames={ROWS: "select 1"},
            rules=(rule, rule), description="s",
        )  # fmt: skip


def test_readme_holds_the_rendered_rule_table() -> None:
    assert rules_table() in README.read_text(encoding="utf-8")
