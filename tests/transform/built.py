"""The hand-made raw warehouse (fixtures.py) after one real `dbt build`, shared by the tests that start there.

`tests/transform/test_dbt_build.py` reads the marts of this build; `tests/report/test_history.py` starts its
report history from a copy of it. One build per test run (tests/shared.py), not one per module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib.ops.warehouse import insert_rows
from orchestration.lib.transform.analysis_tables import table_ddl
from tests.dbt import run_dbt
from tests.shared import copy_warehouse
from tests.transform.fixtures import make_raw_warehouse

VERDICT_AGREEMENT = "hoglandets_overformyndarnamnd"
# What the estimator would have written (analysis.effect_verdicts): one cooperation, four verdicts.
ESTIMATOR_VERDICTS = [
    (VERDICT_AGREEMENT, "kostnad", True, "levererar", "kostnad.forbattring", "Säkerställd förbättring."),
    (VERDICT_AGREEMENT, "kvalitet", True, "levererar_delvis", "kvalitet.blandat", "Blandat."),
    (VERDICT_AGREEMENT, "personal", False, "kan_inte_avgoras", "personal.inga_nyckeltal", "Inga nyckeltal."),
    (VERDICT_AGREEMENT, "samlat", None, "levererar_delvis", "samlat.syfte_delvis", "Delvis."),
]


@dataclass(frozen=True)
class DbtBuilt:
    warehouse: Path  # read only: a test that writes works on copy_to()
    stdout: str

    def copy_to(self, folder: Path) -> Path:
        """A private copy of the built warehouse in `folder` (a file copy: no dbt run)."""
        return copy_warehouse(self.warehouse, folder)


def build_raw_warehouse(folder: Path) -> DbtBuilt:
    """make_raw_warehouse with the estimator's verdicts, then a real `dbt build` (models, data and unit
    tests) on it in `folder`; raises with dbt's output when the build fails."""
    warehouse = make_raw_warehouse(folder / "uppsikt.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        con.execute(table_ddl("ensure_analysis_tables"))  # the estimator's own tables: no drift
        insert_rows(
            con,
            "analysis.effect_verdicts (agreement_id, dimension, in_purpose, verdict, rule, reasons)",
            ESTIMATOR_VERDICTS,
        )
    result = run_dbt(["build"], warehouse, folder, UPPSIKT_SOURCE="demo")
    if result.returncode != 0:
        raise RuntimeError(f"dbt build på det handgjorda lagret misslyckades:\n{result.stdout[-5000:]}")
    return DbtBuilt(warehouse, result.stdout)
