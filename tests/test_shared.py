"""The session builds shared by the xdist workers, and the warehouse cache keyed on its inputs' content."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.shared import cached_file, content_hash


def _inputs(tmp_path: Path) -> list[Path]:
    (tmp_path / "inputs" / "target").mkdir(parents=True)
    (tmp_path / "inputs" / "model.sql").write_text("select 1", encoding="utf-8")
    (tmp_path / "inputs" / "target" / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "uv.lock").write_text("duckdb 1.4", encoding="utf-8")
    return [tmp_path / "inputs", tmp_path / "uv.lock"]


def test_any_changed_byte_of_an_input_is_another_key_and_output_folders_are_not_inputs(
    tmp_path: Path,
) -> None:
    inputs = _inputs(tmp_path)
    before = content_hash(inputs)
    (tmp_path / "inputs" / "target" / "manifest.json").write_text('{"generated": 1}', encoding="utf-8")
    assert content_hash(inputs) == before
    (tmp_path / "uv.lock").write_text("duckdb 1.5", encoding="utf-8")
    assert content_hash(inputs) != before
    (tmp_path / "uv.lock").write_text("duckdb 1.4", encoding="utf-8")
    (tmp_path / "inputs" / "model.sql").write_text("select 2", encoding="utf-8")
    assert content_hash(inputs) != before


def test_a_cached_warehouse_is_reused_until_an_input_changes(tmp_path: Path) -> None:
    inputs, builds = _inputs(tmp_path), []

    def make(folder: Path) -> Path:
        builds.append(folder)
        with duckdb.connect(str(folder / "uppsikt.duckdb")) as con:
            con.execute("create table t as select ? as build", [len(builds)])
        return folder / "uppsikt.duckdb"

    def built(name: str) -> int:
        (tmp_path / name).mkdir()
        path = cached_file(tmp_path / "cache", "demo", inputs, make)(tmp_path / name)
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute("select build from t").fetchone()[0]

    assert (built("first"), built("second")) == (1, 1)  # the second run copies the first's file
    (tmp_path / "inputs" / "model.sql").write_text("select 2", encoding="utf-8")
    assert built("third") == 2 and len(builds) == 2  # a changed input: built again, never the old file
    assert len(list((tmp_path / "cache").iterdir())) == 1  # only the newest is kept
