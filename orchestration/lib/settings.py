"""Settings from environment variables; every stage reads them from here (see .env.example)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_KOLADA_BASE_URL = "https://api.kolada.se/v3"
DEFAULT_SCB_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"


def _path(name: str, default: str) -> Path:
    # Relative paths are taken from the project root, so every tool (Dagster, dbt, Evidence,
    # tests) resolves the same file whatever its working directory.
    raw = Path(os.environ.get(name) or default)
    return raw if raw.is_absolute() else (PROJECT_ROOT / raw).resolve()


@dataclass(frozen=True)
class Settings:
    source: str
    kolada_base_url: str
    scb_base_url: str
    warehouse: Path
    registry: Path
    demo_snapshot: Path
    kolada_rate: float
    reports_dir: Path

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"


def load_settings() -> Settings:
    """Read the settings now (not at import), so tests and runs can set the environment first."""
    source = os.environ.get("UPPSIKT_SOURCE", "demo").strip().lower()
    if source not in {"demo", "live"}:
        raise ValueError(f"UPPSIKT_SOURCE måste vara 'demo' eller 'live', inte {source!r}")
    return Settings(
        source=source,
        kolada_base_url=os.environ.get("KOLADA_BASE_URL", DEFAULT_KOLADA_BASE_URL).rstrip("/"),
        scb_base_url=os.environ.get("SCB_BASE_URL", DEFAULT_SCB_BASE_URL).rstrip("/"),
        warehouse=_path("UPPSIKT_WAREHOUSE", "warehouse/uppsikt.duckdb"),
        registry=_path("UPPSIKT_REGISTRY", "registry"),
        demo_snapshot=_path("UPPSIKT_DEMO_SNAPSHOT", "demo/snapshot"),
        kolada_rate=float(os.environ.get("UPPSIKT_KOLADA_RATE", "5")),
        reports_dir=_path("UPPSIKT_REPORTS", "reports"),
    )


def load_dotenv(path: Path | None = None) -> None:
    """Read KEY=VALUE lines of the project's .env into the environment; variables already set win."""
    path = path or PROJECT_ROOT / ".env"
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("\"'"))
