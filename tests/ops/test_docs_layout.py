"""README's stage table and docs/architecture.md's tree name every module of each stage's lib folder: a
module added, moved or renamed without its documentation fails here."""

from __future__ import annotations

import re

import pytest

from orchestration.lib.ops.settings import PROJECT_ROOT

LIB = PROJECT_ROOT / "orchestration" / "lib"
STAGES = sorted(p.name for p in LIB.iterdir() if (p / "__init__.py").exists())
DESCRIPTION_COLUMN = 26  # where the tree's descriptions (and their continuation lines) start


def modules(stage: str) -> list[str]:
    """The stage folder's modules (`name.py`) and subpackages (`name/`)."""
    folder = LIB / stage
    files = [p.name for p in folder.glob("*.py") if p.name != "__init__.py"]
    packages = [f"{p.name}/" for p in folder.iterdir() if (p / "__init__.py").exists()]
    return sorted(files + packages)


def readme_row(stage: str) -> str:
    rows = [line for line in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("|") and f"`orchestration/lib/{stage}/`" in line]  # fmt: skip
    assert len(rows) == 1, f"README.md: no single stage-table row names orchestration/lib/{stage}/"
    return rows[0]


def tree_section(stage: str) -> str:
    """The lines of the architecture tree that describe lib/<stage>/."""
    tree = (PROJECT_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split("```")[1]
    lines = tree.splitlines()
    # After the lib/ header: defs/ has folders of the same names.
    lib = next(i for i, line in enumerate(lines) if line.startswith("  lib/"))
    start = next(i for i in range(lib, len(lines)) if re.match(rf"^\s+(lib/)?{stage}/\s", lines[i]))
    rest = lines[start + 1 :]
    end = next((i for i, line in enumerate(rest) if not line.startswith(" " * DESCRIPTION_COLUMN)), len(rest))
    return "\n".join([lines[start], *rest[:end]])


def named(text: str, module: str) -> bool:
    return re.search(rf"(?<![\w/.]){re.escape(module)}(?!\w)", text) is not None


@pytest.mark.parametrize("stage", STAGES)
def test_readme_stage_table_names_every_module(stage: str) -> None:
    row = readme_row(stage)
    assert [m for m in modules(stage) if f"`{m}`" not in row] == []


@pytest.mark.parametrize("stage", STAGES)
def test_architecture_tree_names_every_module(stage: str) -> None:
    section = tree_section(stage)
    assert [m for m in modules(stage) if not named(section, m)] == []


def test_the_check_reads_every_stage() -> None:
    assert STAGES == ["demo", "extract", "ops", "report", "transform", "validate"]
