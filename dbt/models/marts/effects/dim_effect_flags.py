"""The estimator's data cautions in Swedish, one row per flag code.

A row of several members together (the whole, the members other than the host) has its own words
where a kommun's would say "the member" (group_flag_text). The wording lives once, in
orchestration/lib/transform/effects/texts.py (the verdicts' reasons use it too), so this model reads it
from there instead of keeping a second copy in SQL.
"""

import pandas as pd


def model(dbt, session) -> pd.DataFrame:  # noqa: ANN001 (dbt's own objects)
    from orchestration.lib.transform.effects.texts import FLAG_TEXT, GROUP_FLAG_TEXT

    dbt.config(materialized="table")
    columns = {"flag": list(FLAG_TEXT), "flag_text": list(FLAG_TEXT.values())}
    columns["group_flag_text"] = [GROUP_FLAG_TEXT[f] for f in FLAG_TEXT]
    return pd.DataFrame(columns, dtype="string")
