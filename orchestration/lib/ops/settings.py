"""Every setting, from environment variables (and .env), in one typed model checked before work starts.

README.md, .env.example and docs/architecture.md list the same variables (tests/ops/test_settings.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[3]

DEFAULT_KOLADA_BASE_URL = "https://api.kolada.se/v3"
DEFAULT_SCB_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Pages printed at most at once (a few pages print in fewer tabs: report/pdf.py:pdf_workers). A page shown
# for printing is mostly waiting (its quiet spell before printing, page_ready.py) once its charts are
# drawn only for paper, so more tabs than cores pay: the demo site's 354 cooperation and kommun pages
# (benchmarks/bench_pdf.py, quiet 2-core machine) printed in 227 s with 3 at once, 216 s with 4,
# 162-178 s with 6 and 156 s with 8, the same text on every page. The kommun pages (no charts) gain from
# more tabs; the chart-heavy cooperation pages alone do not, and 8 tabs held about 3.7 GB (PSS) against
# 3.4 GB with 6.
DEFAULT_PDF_WORKERS = 8


class SettingsError(ValueError):
    """A setting is wrong; the message is one Swedish line naming the variable and what it may be."""


def _var(name: str, allowed: str, default: Any = None, **kwargs: Any) -> Any:
    # The description is what the error message says the variable may be.
    return Field(default, validation_alias=AliasChoices(name), description=allowed, **kwargs)


def _default_warehouse(data: dict[str, Any]) -> Path:
    # One file per source, so demo values can never be taken for live ones (issue 11 §2).
    return _resolve(Path(f"warehouse/{data.get('source', 'demo')}.duckdb"))


def _resolve(path: Path) -> Path:
    # Relative paths are taken from the project root, so every tool (Dagster, dbt, Evidence,
    # tests) resolves the same file whatever its working directory.
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


class Settings(BaseSettings):
    """What uppsikt reads from the environment; load_settings() builds and checks it."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_ignore_empty=True)

    source: Literal["demo", "live"] = _var("UPPSIKT_SOURCE", "demo eller live", "demo")
    kolada_base_url: str = _var("KOLADA_BASE_URL", "en http(s)-adress", DEFAULT_KOLADA_BASE_URL)
    scb_base_url: str = _var("SCB_BASE_URL", "en http(s)-adress", DEFAULT_SCB_BASE_URL)
    warehouse: Path = Field(
        default_factory=_default_warehouse,
        validation_alias=AliasChoices("UPPSIKT_WAREHOUSE"),
        description="en sökväg till en DuckDB-fil",
    )
    registry: Path = _var("UPPSIKT_REGISTRY", "en mapp", Path("registry"))
    demo_snapshot: Path = _var("UPPSIKT_DEMO_SNAPSHOT", "en mapp", Path("demo/snapshot"))
    kolada_rate: float = _var("UPPSIKT_KOLADA_RATE", "ett tal större än 0 (anrop per sekund)", 5.0, gt=0)
    reports_dir: Path = _var("UPPSIKT_REPORTS", "en mapp", Path("reports"))
    outbox: Path = _var("UPPSIKT_OUTBOX", "en mapp", Path("outbox"))
    state_dir: Path = _var("UPPSIKT_STATE", "en mapp", Path("state"))
    schedule_cron: str = _var("UPPSIKT_SCHEDULE", "ett cron-uttryck med fem fält", "0 5 2 * *")
    recipients: Path | None = _var("UPPSIKT_RECIPIENTS", "en sökväg till en YAML-fil")
    smtp_host: str | None = _var("UPPSIKT_SMTP_HOST", "ett värdnamn (tomt: ingen e-post)")
    smtp_port: int = _var("UPPSIKT_SMTP_PORT", "ett portnummer 1–65535", 587, ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "ssl"] | None = _var(
        "UPPSIKT_SMTP_SECURITY", "none, starttls eller ssl (tomt: ssl på 465, annars starttls)"
    )
    smtp_from: str = _var("UPPSIKT_SMTP_FROM", "en e-postadress", "uppsikt@example.se")
    smtp_user: str | None = _var("UPPSIKT_SMTP_USER", "ett användarnamn")
    smtp_password: str | None = _var("UPPSIKT_SMTP_PASSWORD", "ett lösenord")
    smtp_allow_plain_auth: bool = _var(
        "UPPSIKT_SMTP_ALLOW_PLAIN_AUTH", "true eller false (true bara för ett lokalt relä)", False
    )
    admin_email: str = _var("UPPSIKT_ADMIN_EMAIL", "e-postadresser åtskilda med komma", "")
    chromium: Path = _var("UPPSIKT_CHROMIUM", "sökvägen till Chromium", Path(DEFAULT_CHROMIUM))
    pdf_workers: int = _var("UPPSIKT_PDF_WORKERS", "ett heltal från 1 och uppåt", DEFAULT_PDF_WORKERS, ge=1)

    @field_validator("source", mode="before")
    @classmethod
    def _source(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("kolada_base_url", "scb_base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("ingen http(s)-adress")
        return value.rstrip("/")

    @field_validator(
        "warehouse", "registry", "demo_snapshot", "reports_dir", "outbox", "state_dir", "recipients"
    )
    @classmethod
    def _path(cls, value: Path | None) -> Path | None:
        return None if value is None else _resolve(value)

    @field_validator("schedule_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError("inte fem fält")
        return value

    @model_validator(mode="after")
    def _smtp_sender(self) -> Settings:
        from orchestration.lib.report.mail import ADDRESS

        if self.smtp_host and not ADDRESS.match(self.smtp_from):
            raise ValueError("UPPSIKT_SMTP_FROM: måste vara en e-postadress när UPPSIKT_SMTP_HOST är satt")
        return self

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"

    @property
    def admin_addresses(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in self.admin_email.split(",") if a.strip())

    @property
    def dagster_home(self) -> Path:
        """Dagster's run history, schedules and sensor cursors: part of the one state folder."""
        return self.state_dir / "dagster"


def variables() -> dict[str, str]:
    """Every environment variable the model reads -> the values it allows (for docs and messages)."""
    return {
        field.validation_alias.choices[0]: field.description or ""  # type: ignore[union-attr]
        for field in Settings.model_fields.values()
    }


def load_settings() -> Settings:
    """Read the settings now (not at import), so tests and runs can set the environment first."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(_message(exc)) from None


def _message(exc: ValidationError) -> str:
    error = exc.errors()[0]
    allowed = variables()
    name = str(error["loc"][0]) if error["loc"] else ""
    if name in allowed:
        return f"Fel inställning {name}={error['input']!r}: ska vara {allowed[name]}."
    # A rule across variables (model validator): its message names the variable itself.
    return f"Fel inställning {str(error['msg']).removeprefix('Value error, ')}."


def load_dotenv(path: Path | None = None) -> None:
    """Read the project's .env into the environment (python-dotenv); variables already set win."""
    from dotenv import load_dotenv as read

    read(path or PROJECT_ROOT / ".env", override=False)
