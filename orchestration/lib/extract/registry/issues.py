"""Registry errors, each pointing at a file, a line and a field (compiler style)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class RegistryError(Exception):
    """The registry is invalid; carries every issue found, not just the first."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = tuple(sorted(issues))
        count = len(self.issues)
        head = f"registret har {count} fel" if count != 1 else "registret har 1 fel"
        super().__init__("\n".join([head, *map(str, self.issues)]))


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def field_name(path: tuple[str | int, ...]) -> str:
    """("members", 2, "kommun") -> members[2].kommun"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(filen)"
