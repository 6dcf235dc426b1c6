"""The effect methods with their Swedish names and which one is primary, one row per method.

Which method decides the verdicts is a setting in orchestration/lib/transform/effects/rules.yaml
(estimation.primary_method); this model reads it from there, so no report query names a method.
"""

import pandas as pd

LABELS = {
    "synthetic_did": "Syntetisk skillnad i skillnader",
    "synthetic_control": "Syntetisk kontroll",
    "diff_in_diff": "Skillnad i skillnader",
}


def model(dbt, session) -> pd.DataFrame:  # noqa: ANN001 (dbt's own objects)
    from orchestration.lib.transform.effects.config import METHODS, load_config

    dbt.config(materialized="table")
    primary = load_config().estimation.primary_method
    return pd.DataFrame(
        {
            "method": pd.array(list(METHODS), dtype="string"),
            "method_label": pd.array([LABELS.get(m, m) for m in METHODS], dtype="string"),
            "is_primary": [method == primary for method in METHODS],
        }
    )
