"""A small raw warehouse by hand: every raw.* table of docs/architecture.md with a few realistic rows.

Other stages may reuse `make_raw_warehouse(path)`; `RAW_DDL` is the raw contract as DuckDB DDL.
Values follow simple formulas so tests can recompute what the marts must say.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from orchestration.lib.warehouse import connect
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
    "RAW_DDL",
    "TARGETS",
    "YEARS",
    "kpi_value",
    "make_raw_warehouse",
    "population",
    "scb_net_cost",
]

YEARS = range(2016, 2024)
LATEST_YEAR = max(YEARS)

RAW_DDL = """
create schema if not exists raw;
create table raw.responses (response_id varchar primary key, source varchar, url varchar,
    fetched_at timestamptz, http_status int, sha256 varchar, body_gz blob);
create table raw.kolada_values (kpi varchar, municipality varchar, year int, gender varchar, value double,
    count int, status varchar, is_deleted boolean, response_id varchar, loaded_at timestamptz,
    primary key (kpi, municipality, year, gender));
create table raw.kolada_kpis (id varchar primary key, title varchar, description varchar,
    municipality_type varchar, is_divided_by_gender int, operating_area varchar, perspective varchar,
    prel_publication_date varchar, publication_date varchar, publ_period varchar, has_ou_data boolean,
    extra json, response_id varchar);
create table raw.kolada_municipalities (id varchar primary key, title varchar, type varchar,
    response_id varchar);
create table raw.kolada_municipality_groups (group_id varchar, group_title varchar,
    municipality_id varchar, response_id varchar, primary key (group_id, municipality_id));
create table raw.scb_rs_values (region varchar, verksamhet varchar, contents_code varchar, year int,
    value_tkr double, response_id varchar, primary key (region, verksamhet, contents_code, year));
create table raw.extract_runs (source varchar, run_started_at timestamptz, run_finished_at timestamptz,
    from_date date, requests int, rows int, status varchar);
create table raw.warehouse_source (source varchar, recorded_at timestamptz);
create table raw.registry_kommuner (kommun varchar(4) primary key, name varchar, lan varchar);
create table raw.registry_agreements (agreement_id varchar primary key, name varchar, form varchar,
    area varchar, purpose varchar[], host_kommun varchar, start_date date, end_date date,
    predecessor varchar, successor varchar, kolada_group varchar, notes varchar, source_file varchar,
    seat_kommun varchar(4), sources varchar[], unverified varchar[], illustrative varchar[]);
create table raw.registry_members (agreement_id varchar, kommun varchar, joined date, left_on date,
    primary key (agreement_id, kommun, joined));
create table raw.registry_cost_keys (agreement_id varchar, from_year int, rule varchar, kommun varchar,
    share_pct double, primary key (agreement_id, from_year, kommun));
create table raw.registry_targets (agreement_id varchar, target_no int, measure varchar, comparison varchar,
    target_value double, from_year int, to_year int, scope varchar, comment varchar, action varchar,
    primary key (agreement_id, target_no));
create table raw.registry_ledger (agreement_id varchar, year int, kommun varchar, paid_tkr double,
    host_cost_tkr double, primary key (agreement_id, year, kommun));
create table raw.registry_area_kpis (area varchar, kpi varchar, title varchar, dimension varchar,
    better varchar, unit varchar, cost_basis varchar, reported_jointly boolean, method_break int,
    caution varchar, primary key (area, kpi));
create table raw.registry_area_scb (area varchar, verksamhet varchar, primary key (area, verksamhet));
"""

# Not (yet) in the raw contract: area titles; dbt falls back to the area key when the table is absent.
AREAS_DDL = (
    "create table raw.registry_areas (area varchar primary key, title varchar, comparison_group varchar);"
)

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


def make_raw_warehouse(path: Path, *, with_areas: bool = True, data_source: str = "demo") -> Path:
    """Create the warehouse at `path` (storage v1.4.0) with every raw table filled, holding
    `data_source` (demo or live) as the extract records it; returns the path."""
    con = connect(path)
    try:
        con.execute(RAW_DDL + (AREAS_DDL if with_areas else ""))
        tables = {**_source_rows(data_source), **_registry_rows()}
        if with_areas:
            tables["registry_areas"] = [(a, t, None) for a, t in AREA_TITLES.items()]
        for table, rows in tables.items():
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into raw.{table} values ({marks})", rows)
    finally:
        con.close()
    return path
