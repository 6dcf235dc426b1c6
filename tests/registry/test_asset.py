"""The registry asset in a real Dagster run: raw.registry_* written in one go, or nothing at all."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

import dagster as dg
import pytest

from orchestration.defs.extract.registry import registry_tables
from orchestration.lib.extract.registry import load_registry
from orchestration.lib.extract.registry.model import Member
from orchestration.lib.extract.registry.tables import TABLES, write_tables
from orchestration.lib.ops.resources import Warehouse, resources
from orchestration.lib.ops.warehouse import connect
from tests.registry.conftest import PROJECT_REGISTRY


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _counts(path) -> dict[str, int]:
    with connect(path, read_only=True) as con:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def registry_env(monkeypatch, warehouse_path):
    monkeypatch.setenv("UPPSIKT_REGISTRY", str(PROJECT_REGISTRY))
    return warehouse_path


def test_materialises_every_registry_table(registry_env):
    result = dg.materialize([registry_tables], resources=resources())
    assert result.success
    keys = {m.asset_key for m in result.get_asset_materialization_events()}
    assert {k.path[1] for k in keys} == set(TABLES)
    counts = _counts(registry_env)
    assert counts["registry_kommuner"] == 290
    files = sorted((PROJECT_REGISTRY / "cooperations").glob("*.yaml"))
    assert counts["registry_agreements"] == len(files) > 8  # one row per file, the seeds and the found ones
    assert counts["registry_area_kpis"] > 25
    assert counts["registry_derived_measures"] == 5
    assert counts["registry_areas"] == 10
    with connect(registry_env, read_only=True) as con:
        row = con.execute(
            "select form, host_kommun, start_date, purpose, illustrative from raw.registry_agreements"
            " where agreement_id = 'hoglandets-overformyndarnamnd'"
        ).fetchone()
        assert row == (
            "gemensam_namnd",
            "0685",
            date(2019, 1, 1),
            ["kvalitet", "personal", "kostnad"],
            ["cost_keys", "targets", "ledger"],
        )
        # A population key lists who is in it; the shares are computed downstream.
        population = con.execute(
            "select kommun, share_pct from raw.registry_cost_keys"
            " where agreement_id = 'hoglandets-overformyndarnamnd' and from_year = 2023 order by kommun"
        ).fetchall()
        assert population == [(k, None) for k in ("0604", "0682", "0684", "0685", "0686")]
        host_rows = con.execute(
            "select kommun, paid_tkr, host_cost_tkr from raw.registry_ledger"
            " where agreement_id = 'fagersta-norberg-gymnasieavtal' and year = 2022 order by kommun"
        ).fetchall()
        assert host_rows == [("1962", 32900.0, None), ("1982", 82500.0, 114600.0)]
        censored = con.execute("select count(*) from raw.registry_agreements where start_censored").fetchone()
        assert censored[0] == sum("start_censored: true" in f.read_text(encoding="utf-8") for f in files) > 0
        contexts = con.execute(
            "select count(*) from raw.registry_area_kpis where area = '_context'"
        ).fetchone()
        assert contexts[0] == 4


def test_failed_check_leaves_the_warehouse_byte_for_byte(registry_env, seeded_registry, monkeypatch):
    assert dg.materialize([registry_tables], resources=resources()).success
    before = _sha256(registry_env)
    seeded_registry.variant(('"0682"', '"9999"'))
    monkeypatch.setenv("UPPSIKT_REGISTRY", str(seeded_registry.root))
    result = dg.materialize([registry_tables], raise_on_error=False, resources=resources())
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "testnamnd.yaml:12: members[1].kommun: okänd kommunkod '9999'" in str(
        failure.step_failure_data.error
    )
    assert _sha256(registry_env) == before


def test_failed_check_creates_no_warehouse(registry_env, seeded_registry, monkeypatch):
    seeded_registry.variant(("end: null", "end: 2018-12-31"))
    monkeypatch.setenv("UPPSIKT_REGISTRY", str(seeded_registry.root))
    assert not dg.materialize([registry_tables], raise_on_error=False, resources=resources()).success
    assert not registry_env.exists()


def test_write_failure_rolls_back_to_the_previous_tables(tmp_path):
    path = tmp_path / "w.duckdb"
    registry = load_registry(PROJECT_REGISTRY)
    with connect(path) as con:
        write_tables(con, registry)
    before = _counts(path)
    # A registry that bypassed the checker: the same member twice breaks the members table's key.
    first = registry.agreements[0]
    again = Member(first.members[0].kommun, first.members[0].joined)
    twice = replace(first, members=(*first.members, again))
    broken = replace(registry, agreements=(twice, *registry.agreements[1:]))
    with connect(path) as con, pytest.raises(Exception, match=r"(?i)constraint|duplicate"):
        write_tables(con, broken)
    assert _counts(path) == before


def test_the_warehouse_resource_decides_which_file_is_written(registry_env, tmp_path):
    # The resource is the one place a run's warehouse comes from: configured, it overrides the settings.
    other = tmp_path / "annat" / "lager.duckdb"
    result = dg.materialize([registry_tables], resources={"warehouse": Warehouse(path=str(other))})
    assert result.success
    assert _counts(other)["registry_kommuner"] == 290
    assert not registry_env.exists()


def test_every_definition_gets_the_warehouse_from_the_loaded_definitions():
    from orchestration.definitions import defs

    definitions = defs()
    assert isinstance(definitions.resources["warehouse"], Warehouse)
    # Resolving the job fails if any asset asks for a resource the definitions do not give.
    assert definitions.resolve_job_def("uppsikt_pipeline").name == "uppsikt_pipeline"
