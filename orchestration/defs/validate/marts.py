"""Great Expectations suites on the marts the report reads, as blocking asset checks."""

import dagster as dg

from expectations import MART_SUITES
from orchestration.lib.validate.dagster import suite_check


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(asset_checks=[suite_check(suite) for suite in MART_SUITES])
