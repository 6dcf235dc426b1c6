"""A small raw warehouse by hand: every raw.* table of docs/architecture.md with a few realistic rows.

Other stages may reuse `make_raw_warehouse(path)`; the raw tables are created by the extract's and the
registry loader's own DDL.
Values follow simple formulas so tests can recompute what the marts must say.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.lib.extract.landing import ensure_raw_schema
from orchestration.lib.extract.registry.tables import TABLES as REGISTRY_TABLES
from orchestration.lib.ops.warehouse import connect, insert_rows
from tests.transform.fixture_registry import (
    AGREEMENTS,
    AREA_KPIS,
    AREA_SCB,
    AREA_TITLES,
    COST_KEYS,
    HOGLANDET,
    ILLUSTRATIVE,
    KOMMUNER,
    KPI_META,
    LEDGER,
    MEMBERS,
    NVU,
    OVF_FIXED,
    SEATS,
    TARGETS,
)

__all__ = [
    "AGREEMENTS",
    "AREA_KPIS",
    "AREA_SCB",
    "AREA_TITLES",
    "COST_KEYS",
    "HOGLANDET",
    "KOMMUNER",
    "KPI_META",
    "LATEST_YEAR",
    "LEDGER",
    "MEMBERS",
    "NVU",
    "OVF_FIXED",
    "TARGETS",
    "YEARS",
    "create_raw_tables",
    "kpi_value",
    "make_raw_warehouse",
    "population",
    "scb_net_cost",
]

YEARS = range(2016, 2024)
LATEST_YEAR = max(YEARS)

LOADED_AT = datetime(2024, 9, 1, 6, 0, tzinfo=UTC)


def population(kommun: str, year: int) -> float:
    """Inhabitants at the end of `year` (Kolada N01951)."""
    return float(round(KOMMUNER[kommun][2] * (1.005 ** (year - 2016))))


def kpi_value(kpi: str, kommun: str, year: int) -> float:
    """The fixture's Kolada value: a level per kommun plus a trend (U37009 is joint from 2019)."""
    if kpi == "N01951":
        return population(kommun, year)
    if kpi == "U37009" and kommun in HOGLANDET and year >= 2019:
        return 15000.0 + 100 * (year - 2019)
    base = {
        "U37009": 17000.0,
        "U37002": 9.0,
        "N07041": 900.0,
        "N07009": 850.0,
        "U07442": 11.0,
        "N17014": 5500.0,
        "N17001": 1.5,
        "N17304": 68.0,
        "N00090": 7.0,
    }[kpi]
    return round(base * (1 + int(kommun) % 7 / 50) + (year - 2016) * base / 100, 2)


def _response(source: str, url: str) -> tuple:
    body = json.dumps({"url": url}).encode()
    digest = hashlib.sha256(body).hexdigest()
    return (digest, source, url, LOADED_AT, 200, digest, gzip.compress(body))


KOLADA_RESPONSE = _response("kolada", "http://127.0.0.1:9/v3/data/kpi/N01951")
SCB_RESPONSE = _response("scb", "http://127.0.0.1:9/api/v2/tables/TAB4199/data")


def _kolada_rows() -> list[tuple]:
    rid = KOLADA_RESPONSE[0]
    series = [
        ("N01951", list(KOMMUNER)),
        ("N00090", list(KOMMUNER)),
        ("U37009", [*HOGLANDET, "0687"]),
        ("U37002", HOGLANDET),
        ("N07041", ["0682", "0684", "0685", "0687"]),
        ("N07009", ["0682", "0684", "0685", "0687"]),
        ("U07442", ["0682", "0685", "0687"]),
        ("N17014", [*NVU, "1907"]),
        ("N17001", [*NVU, "1907"]),
        ("N17304", NVU),
    ]
    rows = [
        (kpi, k, y, "T", kpi_value(kpi, k, y), 1, None, False, rid, LOADED_AT)
        for kpi, ks in series
        for k in ks
        for y in YEARS
    ]
    # Gender splits and deleted values exist in Kolada and must not reach the marts.
    rows += [("N01951", "0604", 2023, g, 3400.0, 1, None, False, rid, LOADED_AT) for g in ("K", "M")]
    rows += [("U07442", "0684", 2023, "T", 99.0, 1, None, True, rid, LOADED_AT)]
    rows += [("U07442", "0684", 2022, "T", None, 0, "Saknas", False, rid, LOADED_AT)]
    return rows


def _scb_rows() -> list[tuple]:
    rid, rows = SCB_RESPONSE[0], []
    for year in YEARS:
        for verksamhet, per_inv in (("100", 600.0), ("270", 800.0), ("275", 50.0), ("450", 5000.0)):
            netto = {k: round(per_inv * population(k, year) / 1000, 1) for k in KOMMUNER}
            netto["00"] = round(sum(netto.values()), 1)
            for region, value in netto.items():
                rows += [
                    (region, verksamhet, "0000005X", year, value, rid),
                    (region, verksamhet, "0000005Z", year, round(value * 1.2, 1), rid),
                    (region, verksamhet, "0000005Y", year, round(value * 1.2, 1) - value, rid),
                ]
    return rows


def scb_net_cost(kommun: str, year: int, verksamheter: list[str]) -> float:
    """What raw.scb_rs_values holds as Nettokostnad (tkr) summed over the verksamheter."""
    per_inv = {"100": 600.0, "270": 800.0, "275": 50.0, "450": 5000.0}
    return sum(round(per_inv[v] * population(kommun, year) / 1000, 1) for v in verksamheter)


def _kpi_meta_rows() -> list[tuple]:
    rid = KOLADA_RESPONSE[0]
    return [
        (
            kpi,
            title,
            f"Beskrivning av {kpi}",
            "K",
            int(kpi == "N01951"),
            "Område",
            "Kostnad",
            "2024-03-28",
            "2024-08-29",
            str(LATEST_YEAR),
            False,
            json.dumps({"auspice": "E"}),
            rid,
        )
        for kpi, title in KPI_META.items()
    ]


def _registry_rows() -> dict[str, list[tuple]]:
    return {
        "registry_kommuner": [(k, name, lan) for k, (name, lan, _) in KOMMUNER.items()],
        "registry_agreements": [
            (
                *a,
                f"Anteckning om {a[1]}",
                f"registry/cooperations/{a[0]}.yaml",
                seat,
                [f"Källa om {a[1]}"],
                ["start"] if seat else [],
                ["ledger"] if a[0] in ILLUSTRATIVE else [],
            )
            for a, seat in zip(AGREEMENTS, SEATS, strict=True)
        ],
        "registry_members": MEMBERS,
        "registry_cost_keys": COST_KEYS,
        "registry_targets": TARGETS,
        "registry_ledger": LEDGER,
        "registry_area_kpis": [(area, *kpi, None) for area, kpis in AREA_KPIS.items() for kpi in kpis],
        "registry_area_scb": [(area, v) for area, vs in AREA_SCB.items() for v in vs],
        "registry_areas": [(a, t, None) for a, t in AREA_TITLES.items()],
    }


def _source_rows(data_source: str) -> dict[str, list[tuple]]:
    kid = KOLADA_RESPONSE[0]
    started = datetime(2024, 9, 1, 5, 0, tzinfo=UTC)
    return {
        "responses": [KOLADA_RESPONSE, SCB_RESPONSE],
        "kolada_values": _kolada_rows(),
        "kolada_kpis": _kpi_meta_rows(),
        "kolada_municipalities": [(k, name, "K", kid) for k, (name, _, _) in KOMMUNER.items()]
        + [("0000", "Riket", "L", kid), ("0006", "Region Jönköpings län", "L", kid)],
        "kolada_municipality_groups": [("G168177", "Höglandskommunerna", k, kid) for k in HOGLANDET]
        + [("G148079", "Norra Västmanlands Utbildningsförbund", k, kid) for k in NVU],
        "scb_rs_values": _scb_rows(),
        "extract_runs": [
            (s, started, LOADED_AT, None, n, 100 * n, "ok") for s, n in (("kolada", 12), ("scb", 2))
        ],
        "warehouse_source": [(data_source, started)],
    }


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every raw table, empty, by the extract's and the registry loader's own DDL (nothing to drift)."""
    ensure_raw_schema(con)
    for table, columns in REGISTRY_TABLES.items():
        con.execute(f"create table raw.{table} ({columns})")


def make_raw_warehouse(path: Path, *, data_source: str = "demo") -> Path:
    """Create the warehouse at `path` (storage v1.4.0) with every raw table filled, holding
    `data_source` (demo or live) as the extract records it; returns the path. The raw tables
    are the extract's and the registry loader's own (create_raw_tables), so they cannot drift from them."""
    con = connect(path)
    try:
        create_raw_tables(con)
        tables = {**_source_rows(data_source), **_registry_rows()}
        for table, rows in tables.items():
            names = _columns(con, table)[: len(rows[0])]  # the leading columns: later ones stay null
            insert_rows(con, f"raw.{table} ({', '.join(names)})", rows)
    finally:
        con.close()
    return path


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    sql = (
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ?"
        " order by ordinal_position"
    )
    return [row[0] for row in con.execute(sql, [table]).fetchall()]
