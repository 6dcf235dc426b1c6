"""Dependencies are derived from what code reads: every table an asset's SQL reads is one of its deps,
and every such table is built by an asset of the code location (a read of a table nothing builds fails).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import defs
from orchestration.lib.ops.reads import asset_keys, folder_reads, module_reads, tables_in
from orchestration.lib.ops.settings import PROJECT_ROOT

# Each asset whose code reads the warehouse with SQL, and where that SQL is.
READERS = {
    "analysis/effect_estimates": module_reads("orchestration.lib.transform.effects.store"),
    "analysis/national_effects": module_reads("orchestration.lib.transform.effects.national_store"),
    "revisor_workbooks": module_reads("orchestration.lib.report.excel"),
    "evidence_site": folder_reads(PROJECT_ROOT / "reports" / "sources" / "uppsikt"),
    "quality/freshness": module_reads(
        "orchestration.lib.validate.freshness", "orchestration.lib.validate.publications"
    ),
}


@pytest.fixture(scope="module")
def graph() -> dg.AssetGraph:
    return defs().resolve_asset_graph()


def unbuilt(graph: dg.AssetGraph, tables: set[tuple[str, str]]) -> list[str]:
    """The tables read that no asset of the code location materializes."""
    built = graph.materializable_asset_keys
    return sorted(key.to_user_string() for key in asset_keys(tables) if key not in built)


def missing_deps(graph: dg.AssetGraph, asset: str, tables: set[tuple[str, str]]) -> list[str]:
    """The tables `asset` reads that are not among its upstream assets."""
    parents = graph.get(dg.AssetKey.from_user_string(asset)).parent_keys
    return sorted(key.to_user_string() for key in asset_keys(tables) if key not in parents)


@pytest.mark.parametrize("asset", sorted(READERS))
def test_every_table_read_is_a_dependency(graph: dg.AssetGraph, asset: str) -> None:
    assert READERS[asset], f"{asset}: no table read found, the scan is broken"
    assert missing_deps(graph, asset, READERS[asset]) == []


@pytest.mark.parametrize("asset", sorted(READERS))
def test_every_table_read_is_built_by_an_asset(graph: dg.AssetGraph, asset: str) -> None:
    assert unbuilt(graph, READERS[asset]) == []


def test_a_new_table_read_without_its_asset_fails(graph: dg.AssetGraph, tmp_path: Path) -> None:
    (tmp_path / "new.sql").write_text("select x from marts.fct_not_built_by_anyone", encoding="utf-8")
    (tmp_path / "old.sql").write_text("select * from marts.dim_agreements", encoding="utf-8")
    assert unbuilt(graph, folder_reads(tmp_path)) == ["marts/fct_not_built_by_anyone"]
    assert missing_deps(graph, "revisor_workbooks", folder_reads(tmp_path)) == [
        "marts/fct_not_built_by_anyone"
    ]


def test_the_scan_finds_joins_and_subqueries_and_skips_python_imports() -> None:
    sql = """from orchestration.lib.x import y
    select * from staging.stg_a as a
    left join Marts.Dim_B b on true
    where a.k in (select k from intermediate.int_c)"""
    assert tables_in(sql) == {
        ("staging", "stg_a"),
        ("marts", "dim_b"),
        ("intermediate", "int_c"),
    }
