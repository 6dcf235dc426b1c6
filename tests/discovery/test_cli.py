"""`uppsikt registry discover`: the Swedish table, the drafts, and the checker accepting them."""

from __future__ import annotations

import hashlib

import pytest

from orchestration.cli import main
from orchestration.lib.registry import load_registry
from orchestration.lib.settings import PROJECT_ROOT

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


def test_drafts_pass_the_checker_and_the_registry_is_untouched(env, tmp_path, capsys):
    before = _digest()
    out_dir = tmp_path / "utkast"
    assert main(["registry", "discover", "--out", str(out_dir)]) == 0
    drafts = sorted(p.stem for p in (out_dir / "cooperations").glob("*.yaml"))
    assert "gymnasieforbund-0580" in drafts and "overformyndare-0183" in drafts
    assert "overformyndare-0604" not in drafts and "gymnasieforbund-1904" not in drafts  # registered
    assert main(["registry", "check", str(out_dir)]) == 0
    assert _digest() == before
    loaded = {a.id: a for a in load_registry(out_dir).agreements}
    linkoping = loaded["gymnasieforbund-0580"]
    assert linkoping.form == "kommunalforbund" and linkoping.start.isoformat() == "2012-01-01"
    left = {m.kommun: m.left for m in linkoping.members}
    assert left["0582"].isoformat() == "2020-12-31" and left["0580"] is None
    assert {"host", "start", "members", "purpose"} <= set(linkoping.unverified)
    assert loaded["overformyndare-0183"].form == "ovrig"


def test_never_writes_into_the_registry(env, capsys):
    before = _digest()
    assert main(["registry", "discover", "--out", str(REGISTRY)]) == 1
    assert "utkast skrivs aldrig i registret" in capsys.readouterr().err
    assert _digest() == before


def test_missing_warehouse_is_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(tmp_path / "saknas.duckdb"))
    assert main(["registry", "discover"]) == 1
    assert "lagret finns inte; kör `uppsikt run` först" in capsys.readouterr().err
