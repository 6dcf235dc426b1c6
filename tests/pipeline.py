"""The whole pipeline as a user runs it: `uppsikt run` in a subprocess, in a folder of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.lib.ops.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from orchestration.lib.extract.registry.model import Agreement, Registry

# A fresh run on the small registry took 16 min at load 8-14 on 2 cores (the whole registry: 27 min).
TIMEOUT_S = 3300
# The small registry's core: the cooperations the end-to-end tests name, a gemensam nämnd and an
# avtalssamverkan, with the ones they replaced (a gemensam nämnd, a kommunalförbund). small_registry adds
# the smallest cooperation of each area whose KPIs these do not pull.
CORE_COOPERATIONS = ("hoglandets-overformyndarnamnd", "fagersta-norberg-gymnasieavtal")


@dataclass(frozen=True)
class Run:
    env: dict[str, str]
    registry: Path
    warehouse: Path
    reports: Path
    outbox: Path
    result: subprocess.CompletedProcess[str]


def uppsikt(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`uppsikt <args>` in a subprocess from the project root, with exactly `env`."""
    command = [sys.executable, "-m", "orchestration.cli", *args]
    return subprocess.run(
        command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=TIMEOUT_S
    )


def pipeline_env(root: Path, reports: Path, registry: Path) -> dict[str, str]:
    """Settings for a run on `registry` whose warehouse, report, outbox and Dagster home all live under
    `root`."""
    env = {
        **os.environ,
        "UPPSIKT_SOURCE": "demo",
        "UPPSIKT_REGISTRY": str(registry),
        "UPPSIKT_WAREHOUSE": str(root / "warehouse" / "uppsikt.duckdb"),
        "UPPSIKT_REPORTS": str(reports),
        "UPPSIKT_OUTBOX": str(root / "outbox"),
        # Set, so that a developer's .env (read by the CLI, variables already set win) cannot mail anyone.
        "UPPSIKT_SMTP_HOST": "",
        "UPPSIKT_ADMIN_EMAIL": "",
        "UPPSIKT_RECIPIENTS": str(root / "no-recipients.yaml"),
        "DAGSTER_HOME": str(root / "dagster"),
    }
    env.pop("UPPSIKT_WAREHOUSE_PATH", None)
    return env


def run_pipeline(root: Path) -> Run:
    """Stage the report project and a small registry under `root` and run the whole pipeline there once."""
    from orchestration.lib.report.evidence import install, stage_project

    install(PROJECT_ROOT / "reports")
    reports = stage_project(PROJECT_ROOT / "reports", root / "reports")
    registry = small_registry(PROJECT_ROOT / "registry", root / "registry")
    env = pipeline_env(root, reports, registry)
    result = uppsikt(env, "run")
    return Run(env, registry, root / "warehouse" / "uppsikt.duckdb", reports, root / "outbox", result)


def small_registry(source: Path, target: Path) -> Path:
    """A copy of the project's registry at `target` with a few of its cooperations: CORE_COOPERATIONS
    and their predecessors and successors, plus, for each area whose KPIs these do not pull, its smallest
    cooperation. Its reference files are the project's own, so it pulls the same KPIs, kommuner and SCB
    cells as the whole registry: the demo snapshot (recorded for the whole registry) answers every
    request, and what the tests prove holds for the project's registry as it is today."""
    from orchestration.lib.extract.kolada.extract import kolada_scope
    from orchestration.lib.extract.registry.load import load_registry
    from orchestration.lib.extract.scb.extract import scb_scope

    full = load_registry(source)
    kept = _chosen(full)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("cooperations"))
    (target / "cooperations").mkdir()
    for name in kept:
        shutil.copy(source / "cooperations" / f"{name}.yaml", target / "cooperations")
    # A request the snapshot did not record would stop the demo pull: same scope, or a clear failure here.
    small = load_registry(target)
    assert (kolada_scope(small), scb_scope(small)) == (kolada_scope(full), scb_scope(full)), kept
    return target


def _chosen(registry: Registry) -> list[str]:
    by_id = {a.id: a for a in registry.agreements}
    kept = _linked(by_id, CORE_COOPERATIONS)
    for area in sorted({a.area for a in registry.agreements}):
        pulled = {k for name in kept for k in _kpis(registry, by_id[name])}
        wanted = {k.id for k in registry.areas[area].kpis}
        if not wanted <= pulled:
            smallest = min(
                (a for a in registry.agreements if a.area == area and not (a.predecessor or a.successor)),
                key=lambda a: (len(a.members), a.id),
            )
            kept.append(smallest.id)
    return sorted(kept)


def _linked(by_id: dict[str, Agreement], names: tuple[str, ...]) -> list[str]:
    """`names` and every cooperation they replaced or were replaced by, transitively."""
    kept: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in kept:
            kept.append(name)
            todo += [n for n in (by_id[name].predecessor, by_id[name].successor) if n]
    return kept


def _kpis(registry: Registry, agreement: Agreement) -> set[str]:
    return {k.id for k in registry.areas[agreement.area].kpis} | {t.measure for t in agreement.targets}
