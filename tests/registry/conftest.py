"""A copy of the project's registry in a temporary folder, for tests that write bad files into it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from orchestration.lib.ops.settings import PROJECT_ROOT

PROJECT_REGISTRY = PROJECT_ROOT / "registry"

# A small valid gemensam nämnd; the line numbers in the rule tests refer to this text.
VALID = """\
# yaml-language-server: $schema=../schema/cooperation.schema.json
id: testnamnd
name: Testnämnden
form: gemensam_namnd
area: overformyndare
purpose: [kvalitet]
host: "0685"
start: 2019-01-01
end: null
members:
  - {kommun: "0685", joined: 2019-01-01}
  - {kommun: "0682", joined: 2019-01-01}
cost_keys:
  - from_year: 2019
    rule: fixed
    shares: {"0685": 60, "0682": 40}
targets:
  - {measure: U37009, comparison: "<=", value: 9000, from_year: 2020, scope: total}
ledger:
  - {year: 2020, paid_tkr: {"0685": 600, "0682": 400}, host_cost_tkr: 1000}
sources:
  - {about: [start], source: "Testkälla"}
"""


@dataclass
class TempRegistry:
    root: Path

    @property
    def cooperations(self) -> Path:
        return self.root / "cooperations"

    def write(self, name: str, text: str) -> Path:
        path = self.cooperations / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    def variant(self, *replacements: tuple[str, str], name: str = "testnamnd") -> Path:
        """VALID with every occurrence of each old text replaced; fails loudly if old is not in the text."""
        text = VALID
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new)
        return self.write(name, text)


@pytest.fixture
def empty_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TempRegistry:
    """Areas and kommuner from the project, no cooperations; the working directory is tmp_path."""
    root = tmp_path / "registry"
    (root / "cooperations").mkdir(parents=True)
    for name in ("areas.yaml", "kommuner.csv"):
        shutil.copy(PROJECT_REGISTRY / name, root / name)
    monkeypatch.chdir(tmp_path)
    return TempRegistry(root)


@pytest.fixture
def seeded_registry(empty_registry: TempRegistry) -> TempRegistry:
    """A full copy of the project's registry, seed cooperations included."""
    for path in (PROJECT_REGISTRY / "cooperations").glob("*.yaml"):
        shutil.copy(path, empty_registry.cooperations / path.name)
    return empty_registry
