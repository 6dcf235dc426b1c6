"""`uppsikt registry discover`: the Swedish table, the drafts, and the checker accepting them."""

from __future__ import annotations

import hashlib

import pytest

from orchestration.cli import main
from orchestration.lib.extract.registry import load_registry
from orchestration.lib.ops.settings import PROJECT_ROOT

REGISTRY = PROJECT_ROOT / "registry"


def _digest() -> str:
    files = sorted(p for p in REGISTRY.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


@pytest.fixture
def env(warehouse, monkeypatch):
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("UPPSIKT_REGISTRY", str(REGISTRY))


def test_table_in_swedish(env, capsys):
    assert main(["registry", "discover"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["Kandidat", "Område", "Medl."]
    assert any(
        line.startswith("overformyndare-0604") and "avviker (hoglandets-overformyndarnamnd)" in line
        for line in out
    )
    # Kretslopp Sydost grew out of KSRR: the data shows one organisation since 2015, the registry two.
    assert any(line.startswith("avfall-0684") and "avviker (kretslopp-sydost)" in line for line in out)
    assert out[-1].startswith(f"{len(out) - 2} kandidater: ") and "2 avviker" in out[-1]


def test_drafts_pass_the_checker_and_the_registry_is_untouched(env, demo_only, expected, tmp_path, capsys):
    before = _digest()
    out_dir = tmp_path / "utkast"
    assert main(["registry", "discover", "--out", str(out_dir)]) == 0
    drafts = sorted(p.stem for p in (out_dir / "cooperations").glob("*.yaml"))
    assert set(drafts) == set(demo_only)  # a draft for each unregistered organisation, none for the rest
    assert "overformyndare-0604" in expected and "gymnasieforbund-1904" in expected  # registered
    assert main(["registry", "check", str(out_dir)]) == 0
    assert _digest() == before
    loaded = {a.id: a for a in load_registry(out_dir).agreements}
    candidate_id, forbund = next(
        (cid, e) for cid, e in demo_only.items() if e.family == "gymnasieforbund" and e.leavers
    )
    draft = loaded[candidate_id]
    assert draft.form == "kommunalforbund" and draft.start.isoformat() == f"{forbund.first}-01-01"
    left = {m.kommun: m.left for m in draft.members}
    for kommun in forbund.members:
        last = forbund.leavers.get(kommun)
        assert (left[kommun] and left[kommun].isoformat()) == (last and f"{last}-12-31"), kommun
    assert {"host", "start", "members", "purpose"} <= set(draft.unverified)
    overformyndare = [cid for cid, e in demo_only.items() if e.family == "overformyndare"]
    assert overformyndare and all(loaded[cid].form == "ovrig" for cid in overformyndare)


def test_never_writes_into_the_registry(env, capsys):
    before = _digest()
    assert main(["registry", "discover", "--out", str(REGISTRY)]) == 1
    assert "utkast skrivs aldrig i registret" in capsys.readouterr().err
    assert _digest() == before


def test_missing_warehouse_is_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(tmp_path / "saknas.duckdb"))
    assert main(["registry", "discover"]) == 1
    assert "lagret finns inte; kör `uppsikt run` först" in capsys.readouterr().err
