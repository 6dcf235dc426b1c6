"""The dbt project as Dagster assets: staging to marts, and the effect marts after the estimator."""

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.lib.ops.resources import Warehouse
from orchestration.lib.ops.settings import Settings, load_settings
from orchestration.lib.transform.dbt_in_process import dbt_resource, keep_parse

DBT_DIR = Path(__file__).resolve().parents[3] / "dbt"
# The effect marts and the staging views of analysis.* read what the estimator asset writes from
# staging and marts: they run as a second dbt asset after it.
EFFECTS_SELECT = "path:models/marts/effects path:models/staging/analysis"
EFFECTS_PATH_PREFIX = "models/marts/effects/"
GROUP = "transform"
# Files whose change makes the parsed manifest stale.
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_DIRS = ("models", "macros", "tests")
FAILED_STATUSES = ("fail", "error")


class UppsiktDbtTranslator(DagsterDbtTranslator):
    """Keys [schema, name]: models as ["marts", "dim_agreements"], sources as ["raw", "kolada_values"]."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        # The manifest's schema is the one generate_schema_name resolved, the same the extract and
        # estimator assets use for the tables they write.
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return GROUP


def _newest_source_mtime(project_dir: Path) -> float:
    files = [project_dir / name for name in PROJECT_FILES]
    for folder in PROJECT_DIRS:
        files.extend(p for p in (project_dir / folder).rglob("*") if p.is_file())
    return max((p.stat().st_mtime for p in files if p.exists()), default=0.0)


def ensure_manifest(project: DbtProject) -> Path:
    """Run `dbt parse` when target/manifest.json is missing or older than the project's files."""
    manifest = project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(project.project_dir):
        project.preparer.prepare(project)
    return manifest


def has_effect_models(manifest_path: Path) -> bool:
    """Whether the project has models under models/marts/effects/ (an empty selection cannot be an asset)."""
    nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"].values()
    return any(
        n["resource_type"] == "model" and n["original_file_path"].startswith(EFFECTS_PATH_PREFIX)
        for n in nodes
    )


def build_args(settings: Settings, warehouse: Path) -> list[str]:
    """`dbt build` on the run's warehouse and the settings' source: the profile reads the file from
    --vars, so nothing is written into os.environ (which every thread of the process shares).

    Without the unit tests: they check the models' SQL against their own fixtures, never the data, so a
    run can only repeat what `make test` found (tests/transform/test_dbt_build.py runs them); they were
    2.3 of the 17 s of a whole build. The data tests stay: they are the run's guard."""
    dbt_vars = {"uppsikt_source": settings.source, "warehouse_path": str(warehouse)}
    return ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars)]


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse) -> Iterator[Any]:
    invocation = dbt.cli(build_args(load_settings(), warehouse.file()), context=context, raise_on_error=False)
    # dbt's data tests guard the models within the build (a failing test skips what reads its model and
    # fails the step) and print to the run's log. As Dagster events (asset checks, or observations when
    # checks are off) each test cost about 20 ms of event storage per run: planned, evaluated, output.
    # With the 383 tests of then, that was 8 s of a run after one changed cooperation.
    yield from (event for event in invocation.stream() if not isinstance(event, dg.AssetObservation))
    keep_parse(invocation.target_path, DBT_DIR / "target")
    if not invocation.is_successful():
        raise dg.Failure(description=failed_nodes(invocation))


def failed_nodes(invocation: DbtCliInvocation) -> str:
    """One Swedish line naming the tests and models that failed in the invocation."""
    try:
        results = invocation.get_artifact("run_results.json")["results"]
    except (OSError, ValueError, KeyError):
        results = []
    failed = [r["unique_id"].split(".")[2] for r in results if r.get("status") in FAILED_STATUSES]
    named = ", ".join(failed) if failed else "se dbt:s utskrift ovan"
    return f"dbt build misslyckades ({named}); det som läser dessa modeller byggdes inte."


def _model_assets(project: DbtProject, translator: DagsterDbtTranslator) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        exclude=EFFECTS_SELECT,
        name="dbt_models",
        dagster_dbt_translator=translator,
    )
    def dbt_models(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse
    ) -> Iterator[Any]:
        """Build and test the dbt staging, intermediate and mart models (all but the effect marts)."""
        yield from _build(context, dbt, warehouse)

    return dbt_models


def _effect_assets(project: DbtProject, translator: DagsterDbtTranslator) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        select=EFFECTS_SELECT,
        name="dbt_effect_marts",
        dagster_dbt_translator=translator,
    )
    def dbt_effect_marts(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse
    ) -> Iterator[Any]:
        """Build and test the effect marts from the estimator's analysis tables."""
        yield from _build(context, dbt, warehouse)

    return dbt_effect_marts


@dg.definitions
def defs() -> dg.Definitions:
    project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
    manifest = ensure_manifest(project)
    translator = UppsiktDbtTranslator(DagsterDbtTranslatorSettings(enable_asset_checks=False))
    assets = [_model_assets(project, translator)]
    if has_effect_models(manifest):
        assets.append(_effect_assets(project, translator))
    return dg.Definitions(assets=assets, resources={"dbt": dbt_resource(project)})
