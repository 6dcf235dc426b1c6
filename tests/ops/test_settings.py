"""The settings model: one Swedish line per bad setting, and README, .env.example and the architecture doc
listing exactly the variables it reads."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.lib.ops.settings import PROJECT_ROOT, load_settings, variables

NAME = re.compile(r"\b(?:UPPSIKT|KOLADA|SCB)_[A-Z_]*[A-Z]\b")
# Set by uppsikt for dbt's profile, not by the operator.
INTERNAL = {"UPPSIKT_WAREHOUSE_PATH"}
DOCS = ["README.md", ".env.example", "docs/architecture.md"]


@pytest.mark.parametrize("doc", DOCS)
def test_docs_list_exactly_the_models_settings(doc: str) -> None:
    text = (PROJECT_ROOT / doc).read_text(encoding="utf-8")
    named = set(NAME.findall(text)) - INTERNAL
    assert named == set(variables())


def test_the_code_reads_no_setting_outside_the_model() -> None:
    read = set()
    for path in (PROJECT_ROOT / "orchestration").rglob("*.py"):
        read |= set(re.findall(r"environ(?:\.get)?\(?\[?\"((?:UPPSIKT|KOLADA|SCB)_\w+)", path.read_text()))
    assert read - INTERNAL == set()


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("UPPSIKT_SOURCE", "prod", "demo eller live"),
        ("UPPSIKT_SMTP_PORT", "70000", "ett portnummer 1–65535"),
        ("UPPSIKT_PDF_WORKERS", "tre", "ett heltal från 1 och uppåt"),
        ("UPPSIKT_KOLADA_RATE", "0", "ett tal större än 0 (anrop per sekund)"),
        ("UPPSIKT_SCHEDULE", "varje dag", "ett cron-uttryck med fem fält"),
    ],
)
@pytest.mark.parametrize("command", [["run"], ["registry", "check"], ["serve"]])
def test_a_bad_setting_stops_every_command_with_one_line(
    tmp_path: Path, variable: str, value: str, allowed: str, command: list[str]
) -> None:
    line = f"Fel inställning {variable}={value!r}: ska vara {allowed}."
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *command],
        env={"PATH": "/usr/bin:/bin", variable: value, "UPPSIKT_STATE": str(tmp_path / "state")},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")
    assert not (tmp_path / "state").exists()  # nothing was started


def test_a_dotenv_file_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.lib.ops.settings import load_dotenv

    env = tmp_path / ".env"
    env.write_text("UPPSIKT_PDF_WORKERS=5\nUPPSIKT_SOURCE=live\n# UPPSIKT_KOLADA_RATE=9\n", encoding="utf-8")
    monkeypatch.delenv("UPPSIKT_PDF_WORKERS", raising=False)
    monkeypatch.setenv("UPPSIKT_SOURCE", "demo")
    monkeypatch.delenv("UPPSIKT_WAREHOUSE", raising=False)
    load_dotenv(env)
    settings = load_settings()
    assert (settings.pdf_workers, settings.source, settings.kolada_rate) == (5, "demo", 5.0)
    assert settings.warehouse == PROJECT_ROOT / "warehouse" / "demo.duckdb"
    monkeypatch.setenv("UPPSIKT_SOURCE", "live")
    assert load_settings().warehouse == PROJECT_ROOT / "warehouse" / "live.duckdb"
    monkeypatch.delenv("UPPSIKT_PDF_WORKERS")
