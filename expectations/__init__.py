"""Great Expectations suites as code, one per guarded table (see README.md for what is checked where)."""

from __future__ import annotations

from expectations.marts import MART_SUITES
from expectations.raw_kolada import KOLADA_VALUES
from expectations.raw_scb import SCB_RS_VALUES
from expectations.spec import Params, Rule, Severity, Suite

RAW_SUITES: tuple[Suite, ...] = (KOLADA_VALUES, SCB_RS_VALUES)
SUITES: dict[str, Suite] = {suite.name: suite for suite in (*RAW_SUITES, *MART_SUITES)}

__all__ = ["MART_SUITES", "RAW_SUITES", "SUITES", "Params", "Rule", "Severity", "Suite"]
