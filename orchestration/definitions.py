import dagster as dg
import orchestration.defs

@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_defs(orchestration.defs)
