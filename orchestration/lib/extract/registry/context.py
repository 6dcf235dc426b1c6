"""What a rule needs to report an issue at the right line of the right file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orchestration.lib.extract.registry.issues import Issue, field_name
from orchestration.lib.extract.registry.reference import Reference
from orchestration.lib.extract.registry.yamlio import PathT, line_of


@dataclass
class FileContext:
    shown: str
    doc: Any
    ref: Reference
    issues: list[Issue] = field(default_factory=list)

    def add(self, path: PathT, message: str) -> None:
        self.issues.append(Issue(self.shown, line_of(self.doc, path), field_name(path), message))

    def kommun(self, code: str) -> str:
        """A kommunkod with its name, for messages."""
        name = self.ref.kommuner.get(code)
        return f"{code} ({name})" if name else code
