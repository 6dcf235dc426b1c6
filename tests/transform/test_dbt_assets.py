"""The dbt models as Dagster assets: keys, groups, manifest preparation and one real materialisation."""

import json
import os
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_dbt import DbtProject

from orchestration.defs.transform import dbt as dbt_defs
from orchestration.lib.ops.resources import resources
from orchestration.lib.transform.dbt_in_process import dbt_resource, keep_parse
from tests.transform import fixtures as fx


@pytest.fixture(scope="module")
def definitions() -> dg.Definitions:
    return dbt_defs.defs()


def dbt_models(definitions: dg.Definitions) -> dg.AssetsDefinition:
    return next(a for a in definitions.assets if a.node_def.name == "dbt_models")


def test_asset_keys_follow_schema_and_name(definitions):
    assets = dbt_models(definitions)
    keys = {k.to_user_string() for k in assets.keys}
    assert {
        "marts/dim_agreements",
        "marts/fct_member_costs",
        "staging/stg_kolada__values",
        "intermediate/int_cost_keys_by_year",
    } <= keys
    assert not [k for k in keys if k.startswith("marts/fct_agreement_effects")]
    deps = {d.to_user_string() for ds in assets.asset_deps.values() for d in ds}
    assert {"raw/kolada_values", "raw/registry_agreements", "raw/scb_rs_values"} <= deps
    assert set(assets.group_names_by_key.values()) == {"transform"}
    assert not assets.check_specs_by_output_name  # dbt's tests run in the build, not as Dagster checks


@pytest.fixture(scope="module")
def loaded_project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """A copy of the dbt project (no target folder) as Dagster loads it: its manifest parsed once, without a
    run's vars. The tests below may touch its files; each starts with ensure_manifest, as a load would."""
    project_dir = tmp_path_factory.mktemp("loaded") / "dbt"
    shutil.copytree(dbt_defs.DBT_DIR, project_dir, ignore=shutil.ignore_patterns("target", "logs"))
    assert not (project_dir / "target").exists()
    project = DbtProject(project_dir=project_dir, profiles_dir=project_dir)
    dbt_defs.ensure_manifest(project)  # missing: parsed
    return project


def test_manifest_is_parsed_when_missing_or_stale(loaded_project: DbtProject) -> None:
    project, project_dir = loaded_project, loaded_project.project_dir
    manifest = dbt_defs.ensure_manifest(project)
    effect_sql = list((project_dir / "models" / "marts" / "effects").glob("*.sql"))
    assert manifest.exists() and dbt_defs.has_effect_models(manifest) == bool(effect_sql)
    parsed_at = manifest.stat().st_mtime
    dbt_defs.ensure_manifest(project)
    assert manifest.stat().st_mtime == parsed_at  # current: no second parse
    model = project_dir / "models" / "marts" / "dim_kpis.sql"
    later = time.time() + 5
    os.utime(model, (later, later))
    dbt_defs.ensure_manifest(project)
    assert manifest.stat().st_mtime > parsed_at


def _parse_messages(project: DbtProject, dbt_vars: dict[str, str], target: Path) -> str:
    # As a dbt step runs: in a target folder of its own, started from the project's partial parse.
    step = dbt_resource(project).cli(["parse", "--vars", json.dumps(dbt_vars)], target_path=target)
    said = "\n".join(str(e.raw_event.get("info", {}).get("msg", "")) for e in step.stream_raw_events())
    assert step.is_successful(), said
    return said


def test_a_step_keeps_its_parse_so_the_next_step_with_the_same_vars_parses_nothing(
    loaded_project: DbtProject, tmp_path: Path
) -> None:
    project, project_dir = loaded_project, loaded_project.project_dir
    dbt_defs.ensure_manifest(project)  # as Dagster loads it: parsed without the run's vars
    run_vars = {"uppsikt_source": "demo", "warehouse_path": str(tmp_path / "uppsikt.duckdb")}
    first = _parse_messages(project, run_vars, tmp_path / "step-1")
    assert "Unable to do partial parsing" in first  # the load's parse does not serve the run's vars
    keep_parse(tmp_path / "step-1", project_dir / "target")
    assert "Unable to do partial parsing" not in _parse_messages(project, run_vars, tmp_path / "step-2")


def test_materialise_dbt_models(definitions, warehouse_path, monkeypatch):
    fx.make_raw_warehouse(warehouse_path, data_source="live")
    # The asset itself must point dbt at the settings' warehouse; the source shown is the recorded one.
    monkeypatch.delenv("UPPSIKT_WAREHOUSE_PATH")
    monkeypatch.setenv("UPPSIKT_SOURCE", "live")
    result = dg.materialize(
        [dbt_models(definitions)],
        resources={**definitions.resources, **resources()},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    materialised = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"marts/dim_agreements", "marts/fct_member_costs", "staging/stg_registry__areas"} <= materialised
    assert not result.get_asset_check_evaluations()
    assert "UPPSIKT_WAREHOUSE_PATH" not in os.environ
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        assert con.execute("select data_source, banner_text from marts.dim_report_meta").fetchall() == [
            ("live", None)
        ]
        # The areas' titles come from the registry (raw.registry_areas).
        titles = con.execute("select distinct area_title from marts.dim_agreements order by 1").fetchall()
        assert titles == sorted((t,) for t in fx.AREA_TITLES.values())


def test_a_failing_dbt_test_fails_the_step_naming_it_and_skips_what_reads_the_model(
    definitions, warehouse_path, monkeypatch
):
    fx.make_raw_warehouse(warehouse_path)
    with duckdb.connect(str(warehouse_path)) as con:
        con.execute("update raw.registry_agreements set form = 'okänd form'")
    monkeypatch.delenv("UPPSIKT_WAREHOUSE_PATH")
    # A few models and their tests (dbt --select), not the whole project. int_member_overlaps reads the
    # agreements, whose test fails, and the members: with both built it would build too, unless skipped.
    built = {
        dg.AssetKey(["staging", "stg_registry__agreements"]),
        dg.AssetKey(["staging", "stg_registry__kommuner"]),
        dg.AssetKey(["staging", "stg_registry__members"]),
    }
    result = dg.materialize(
        [dbt_models(definitions)],
        selection=[*built, dg.AssetKey(["intermediate", "int_member_overlaps"])],
        resources={**definitions.resources, **resources()},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    message = failure.step_failure_data.error.message
    assert "dbt build misslyckades (accepted_values_stg_registry__agreements_form" in message, message
    assert {e.asset_key for e in result.get_asset_materialization_events()} == built  # overlaps skipped
    assert not [e for e in result.all_events if e.event_type == dg.DagsterEventType.ASSET_OBSERVATION]
