"""Data quality: Great Expectations suites run against the warehouse, quarantine, stored results."""

from orchestration.lib.validate.freshness import update_freshness
from orchestration.lib.validate.store import FRESHNESS, QUARANTINE, RESULTS, ensure_schema
from orchestration.lib.validate.validate import SuiteOutcome, validate_suite

__all__ = [
    "FRESHNESS",
    "QUARANTINE",
    "RESULTS",
    "SuiteOutcome",
    "ensure_schema",
    "update_freshness",
    "validate_suite",
]
