"""A small demo world served by the stand-in HTTP server on 127.0.0.1, and helpers to read the warehouse."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from orchestration.lib.demo.standin.app import StandinApp
from orchestration.lib.demo.standin.server import RunningStandin, serve
from orchestration.lib.demo.standin.synthetic import synthetic_world
from orchestration.lib.demo.world import DemoWorld, kommun_ids
from orchestration.lib.extract.http import RetryPolicy, SourceAccess
from orchestration.lib.extract.kolada.extract import KoladaScope
from orchestration.lib.extract.registry.model import Agreement, Area, AreaKpi, Member, Registry
from orchestration.lib.ops.warehouse import connect

KPIS = tuple(f"N0{7000 + i}" for i in range(8))
GENDERED = KPIS[:2]
KOMMUNER = tuple(kommun_ids(30))
YEARS = tuple(range(2010, 2015))
VERKSAMHETER = ("270", "450", "790")
AS_OF = date(2014, 12, 31)
PAGE = 100  # the stand-in serves pages of 100 objects, so chains are long in a small world
# Retries short enough for tests, timeouts short enough to notice a stall quickly.
FAST = {"retry": RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05), "timeout": 1.0}


def small_world() -> DemoWorld:
    return synthetic_world(
        kpis=KPIS, kommuner=KOMMUNER, years=YEARS, gendered=GENDERED, verksamheter=VERKSAMHETER
    )


def value_rows(world: DemoWorld) -> int:
    """Rows raw.kolada_values should hold for a world (one per value, deleted ones excluded)."""
    return int((~world.kolada_values["isdeleted"].astype(bool)).sum())


@pytest.fixture
def world() -> DemoWorld:
    return small_world()


@pytest.fixture
def standin(world: DemoWorld) -> Iterator[RunningStandin]:
    with serve(StandinApp(world, max_per_page=PAGE)) as running:
        yield running


@pytest.fixture
def access(standin: RunningStandin) -> SourceAccess:
    """Live mode against the stand-in; throttled well above the real rate to keep tests quick."""
    return SourceAccess(standin.kolada_base_url, standin.scb_base_url, 200.0, AS_OF, True)


@pytest.fixture
def scope() -> KoladaScope:
    return KoladaScope(KPIS, KOMMUNER[:3])


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def contents(path: Path) -> dict[str, str]:
    """A digest of every table in the warehouse (schema-qualified name -> hash of its sorted rows)."""
    if not path.exists():
        return {}
    with connect(path, read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables order by all"
        ).fetchall()
        digests = {}
        for schema, table in tables:
            rows = con.execute(f'select * from "{schema}"."{table}" order by all').fetchall()
            digests[f"{schema}.{table}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return digests


def registry_for(kpis: tuple[str, ...], kommuner: tuple[str, ...], verksamheter: tuple[str, ...]) -> Registry:
    """A one-cooperation registry following `kpis`, with areas naming `verksamheter`."""
    area_kpis = tuple(AreaKpi(k, f"Nyckeltal {k}", "kostnad", "lower", "kr/inv") for k in kpis)
    area = Area("raddningstjanst", "Räddningstjänst", verksamheter, None, area_kpis)
    members = tuple(Member(k, date(2012, 1, 1)) for k in kommuner[:2])
    agreement = Agreement(
        "test-forbund",
        "Testförbundet",
        "kommunalforbund",
        area.key,
        ("kostnad",),
        kommuner[0],
        date(2012, 1, 1),
        members,
    )
    return Registry(
        agreements=(agreement,),
        areas={area.key: area},
        context_kpis=(),
        kommuner={k: f"Kommun {k}" for k in kommuner},
        scb_contents={
            "0000005X": "Nettokostnad",
            "00000060": "Kostnad för det egna åtagandet",
            "0000005Z": "Bruttokostnad",
            "0000005Y": "Bruttointäkt",
        },
    )
