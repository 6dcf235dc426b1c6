"""The Dagster code location: every module under orchestration/defs/ contributes its definitions."""

import dagster as dg

import orchestration.defs


@dg.definitions
def defs() -> dg.Definitions:
    """Collect the stage folders' definitions when Dagster loads the location (not at import)."""
    return dg.load_defs(orchestration.defs)
