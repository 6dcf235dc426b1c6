"""Production code never imports demo tooling (lib/demo, with its stand-in): it knows only recorded responses.
Every simulator lives in that one package. And reusable code (lib/) never imports definitions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "orchestration"
TOOLING = ("orchestration.lib.demo",)
# Demo tooling itself, and the CLI whose `demo` command starts it.
ALLOWED = (ROOT / "lib" / "demo", ROOT / "cli.py")


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_production_modules_do_not_import_demo_tooling():
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in imported(path) if n.startswith(TOOLING))
        for path in ROOT.rglob("*.py")
        if not any(path == a or a in path.parents for a in ALLOWED)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_lib_never_imports_definitions():
    definitions = ("orchestration.defs", "orchestration.definitions")
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in imported(path) if n.startswith(definitions))
        for path in (ROOT / "lib").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def defined_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, (ast.ClassDef, ast.FunctionDef))}


def simulation_tooling(name: str) -> bool:
    return "simulat" in name.lower() or name.endswith("World") or name == "kommun_ids"


def test_every_simulator_lives_in_the_demo_package():
    """Simulated worlds (the demo's, the stand-in's, the estimators' calibration) have one home, lib/demo."""
    demo = ROOT / "lib" / "demo"
    outside = {
        str(path.relative_to(ROOT)): sorted(n for n in defined_names(path) if simulation_tooling(n))
        for path in ROOT.rglob("*.py")
        if demo not in path.parents
    }
    assert {k: v for k, v in outside.items() if v} == {}


def test_one_kommun_ids_and_worlds_named_for_their_purpose():
    names = [n for path in (ROOT / "lib" / "demo").rglob("*.py") for n in defined_names(path)]
    assert names.count("kommun_ids") == 1
    assert sorted(n for n in names if n.endswith("World")) == ["CalibrationWorld", "DemoWorld"]
