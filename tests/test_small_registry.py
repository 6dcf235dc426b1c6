"""The small registry the pipeline tests run on (tests/pipeline.py): taken from the project's own, it asks
the sources for exactly what the whole registry does, so the demo snapshot answers every request."""

from __future__ import annotations

from pathlib import Path

from orchestration.lib.extract.kolada.extract import kolada_scope
from orchestration.lib.extract.registry.load import load_registry
from orchestration.lib.extract.scb.extract import scb_scope
from orchestration.lib.ops.settings import PROJECT_ROOT
from tests.pipeline import CORE_COOPERATIONS, small_registry


def test_the_small_registry_is_a_valid_part_of_the_project_registry(tmp_path: Path) -> None:
    full = load_registry(PROJECT_ROOT / "registry")
    small = load_registry(small_registry(PROJECT_ROOT / "registry", tmp_path / "registry"))

    assert (kolada_scope(small), scb_scope(small)) == (kolada_scope(full), scb_scope(full))
    assert small.kommuner == full.kommuner and small.areas == full.areas
    ids = {a.id for a in small.agreements}
    assert set(CORE_COOPERATIONS) <= ids and 4 <= len(ids) <= len(full.agreements) // 4, ids
    assert {a.form for a in small.agreements} >= {"kommunalforbund", "gemensam_namnd", "avtalssamverkan"}
    linked = {n for a in small.agreements for n in (a.predecessor, a.successor) if n}
    assert linked <= ids  # every cooperation a kept one replaced, or was replaced by, is kept
    whole = {a.id: a for a in full.agreements}
    assert all(a == whole[a.id] for a in small.agreements)  # copied, not rewritten
