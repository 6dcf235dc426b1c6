"""`uppsikt demo generate` end to end: registry -> simulated world -> recorded snapshot."""

from __future__ import annotations

import gzip
import json

from orchestration.lib.demo.generate import main


def test_generate_records_a_small_snapshot(tmp_path, monkeypatch, capsys):
    out = tmp_path / "snapshot"
    monkeypatch.setenv("UPPSIKT_DEMO_SNAPSHOT", str(out))
    assert main() == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    assert (out / "index.json").is_file() and len(files) > 10
    assert sum(p.stat().st_size for p in files) < 5_000_000
    gz = next(p for p in files if p.suffix == ".gz")
    assert gzip.decompress(gz.read_bytes())
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["responses"]
    printed = capsys.readouterr().out
    assert "simulerade värden" in printed and "MB" in printed


def test_generate_refuses_a_broken_registry(tmp_path, monkeypatch, capsys):
    registry = tmp_path / "registry"
    (registry / "cooperations").mkdir(parents=True)
    (registry / "cooperations" / "trasig.yaml").write_text("id: [\n", encoding="utf-8")
    monkeypatch.setenv("UPPSIKT_REGISTRY", str(registry))
    monkeypatch.setenv("UPPSIKT_DEMO_SNAPSHOT", str(tmp_path / "snapshot"))
    assert main() == 1
    assert "kan inte skapa demodata" in capsys.readouterr().err
    assert not (tmp_path / "snapshot").exists()
