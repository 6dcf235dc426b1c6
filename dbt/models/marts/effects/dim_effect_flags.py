"""The estimator's data cautions in Swedish, one row per flag code.

The wording lives once, in orchestration/lib/transform/effects/texts.py (the verdicts' reasons use it
too), so this model reads it from there instead of keeping a second copy in SQL.
"""

import pandas as pd


def model(dbt, session) -> pd.DataFrame:  # noqa: ANN001 (dbt's own objects)
    from orchestration.lib.transform.effects.texts import FLAG_TEXT

    dbt.config(materialized="table")
    return pd.DataFrame({"flag": list(FLAG_TEXT), "flag_text": list(FLAG_TEXT.values())}, dtype="string")
