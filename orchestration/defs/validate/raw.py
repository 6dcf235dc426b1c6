"""Great Expectations suites on the raw tables, as blocking asset checks (quarantine happens here)."""

import dagster as dg

from expectations import RAW_SUITES
from orchestration.lib.validate.dagster import suite_check


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(asset_checks=[suite_check(suite) for suite in RAW_SUITES])
