"""One warehouse per session: the committed demo snapshot pulled by the real clients, and a real dbt build
of the discovery models on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pytest

from orchestration.lib.demo.signatures import SignatureGroup
from orchestration.lib.demo.specs import YEARS
from orchestration.lib.demo.truth import true_signatures
from orchestration.lib.extract.registry import Registry, load_registry
from orchestration.lib.ops.settings import PROJECT_ROOT
from tests.dbt import run_dbt
from tests.shared import cached_file, copy_warehouse, shared_build

SELECT = [
    "+fct_cooperation_candidates",
    "+fct_cooperation_candidate_members",
    "+fct_area_control_exclusions",
    # the other models the effect estimators read with the exclusions (membership through its mart)
    "stg_registry__area_kpis",
    "stg_kolada__municipalities",
    "+fct_agreement_members",
    "+dim_agreements",  # the end year the estimators read
]


@dataclass
class Expected:
    """What discovery must find for one connected set of the world's organisations of a family."""

    family: str
    members: dict[str, tuple[int, int]]  # kommun -> (first, last) joint year
    agreements: set[str]
    years: set[int] = field(default_factory=set)  # years any member reports jointly
    form_codes: set[int] = field(default_factory=set)

    @property
    def first(self) -> int:
        return min(f for f, _ in self.members.values())

    @property
    def last(self) -> int:
        return max(last for _, last in self.members.values())

    @property
    def gaps(self) -> list[int]:
        return [y for y in range(self.first, self.last + 1) if y not in self.years]

    @property
    def leavers(self) -> dict[str, int]:
        """Members whose joint years end before the organisation's: kommun -> last joint year."""
        return {k: last for k, (_, last) in self.members.items() if last < self.last}


def _years(active: np.ndarray) -> tuple[int, int]:
    on = np.flatnonzero(active)
    return YEARS[on[0]], YEARS[on[-1]]


def _merge(merged: list[Expected], g: SignatureGroup) -> None:
    spans = {k: _years(g.active[i]) for i, k in enumerate(g.members) if g.active[i].any()}
    into = [e for e in merged if e.family == g.family and set(e.members) & set(spans)]
    target = Expected(g.family, {}, set())
    for e in into:
        merged.remove(e)
        target.members |= e.members
        target.agreements |= e.agreements
        target.years |= e.years
        target.form_codes |= e.form_codes
    for k, (first, last) in spans.items():
        old = target.members.get(k, (first, last))
        target.members[k] = (min(first, old[0]), max(last, old[1]))
    target.agreements |= {g.agreement_id} if g.agreement_id else set()
    target.years |= {YEARS[i] for i in np.flatnonzero(g.active.any(axis=0))}
    target.form_codes |= {g.form_code} if g.form_code else set()
    merged.append(target)


def expected_candidates(groups: list[SignatureGroup]) -> list[Expected]:
    """Organisations of one family that share a kommun report as one connected set: merge them."""
    merged: list[Expected] = []
    for g in groups:
        _merge(merged, g)
    return [e for e in merged if len(e.members) >= 2]


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(PROJECT_ROOT / "registry")


@pytest.fixture(scope="session")
def groups(registry: Registry) -> list[SignatureGroup]:
    return true_signatures(registry)


@pytest.fixture(scope="session")
def expected(groups: list[SignatureGroup]) -> dict[str, Expected]:
    """The world's truth, keyed as discovery names its candidates (family and lowest member)."""
    return {f"{e.family}-{min(e.members)}": e for e in expected_candidates(groups)}


@pytest.fixture(scope="session")
def demo_only(expected: dict[str, Expected]) -> dict[str, Expected]:
    """The world's organisations the registry does not hold: what drafts are written for."""
    return {cid: e for cid, e in expected.items() if not e.agreements}


def _load_demo(warehouse: Path, registry: Registry) -> None:
    from orchestration.lib.extract.http import source_access
    from orchestration.lib.extract.kolada.extract import kolada_scope, run_kolada
    from orchestration.lib.extract.registry.tables import write_tables
    from orchestration.lib.ops.settings import load_settings
    from orchestration.lib.ops.warehouse import connect

    settings = load_settings()
    run_kolada(warehouse, source_access(settings), kolada_scope(registry))
    with connect(warehouse) as con:
        write_tables(con, registry)


# Everything the warehouse is built from: the pull's code and the demo snapshot, the registry, the dbt
# project, the locked packages, and this file. A cached warehouse is reused only while all of it is unchanged.
INPUTS = [
    *(PROJECT_ROOT / name for name in ("orchestration", "dbt", "registry", "demo", "config")),
    *(PROJECT_ROOT / name for name in ("uv.lock", "pyproject.toml")),
    Path(__file__),
    PROJECT_ROOT / "tests" / "shared.py",
    PROJECT_ROOT / "tests" / "dbt.py",
]


@pytest.fixture(scope="session")
def shared_warehouse(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse with the discovery models built: once per test run for every xdist worker, and
    reused by the next test run from .pytest_cache while every input has the same content. Read only."""
    # Without the cache plugin (pytest -p no:cacheprovider) config has no `cache` at all: build every run.
    store = getattr(request.config, "cache", None)
    cache = store.mkdir("discovery-warehouse") if store is not None else None
    build = build_warehouse if cache is None else cached_file(cache, "demo", INPUTS, build_warehouse)
    return shared_build(tmp_path_factory, "discovery-warehouse", build)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory, shared_warehouse: Path) -> Path:
    """This worker's copy of the shared warehouse (the CLI under test may open it for writing)."""
    return copy_warehouse(shared_warehouse, tmp_path_factory.mktemp("discovery"))


def build_warehouse(work: Path) -> Path:
    """The demo snapshot pulled into a new warehouse in `work`, the registry written, the discovery
    models built and tested by a real `dbt build`."""
    path = work / "uppsikt.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UPPSIKT_SOURCE", "demo")
        patch.setenv("UPPSIKT_WAREHOUSE", str(path))
        _load_demo(path, load_registry(PROJECT_ROOT / "registry"))
    # a relationship test runs only when the models on both of its sides are built here
    selected = ["--select", *SELECT, "--indirect-selection", "cautious"]
    result = run_dbt(["build", *selected], path, work, UPPSIKT_SOURCE="demo")
    assert result.returncode == 0, result.stdout[-5000:]
    return path


@pytest.fixture(scope="session")
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()
