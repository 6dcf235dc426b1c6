"""A small warehouse that satisfies every suite; tests break it on purpose, one thing at a time."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from expectations import SUITES
from orchestration.lib.ops.warehouse import connect, insert_rows
from orchestration.lib.validate import SuiteOutcome, validate_suite

TODAY = date(2026, 11, 23)
KPIS = ("N07041", "U37009", "N01951")
KOLADA_MUNICIPALITIES = ("0000", "0604", "0682", "0685")
REGISTRY_KOMMUNER = ("0604", "0682", "0685", "0686")
VALUE_YEARS = range(2015, 2025)
SCB_KOMMUNER = ("0604", "0682", "0685")
SCB_YEARS = range(2020, 2024)

_RAW_DDL = """
create schema raw;
create table raw.kolada_kpis (
    id varchar, title varchar, description varchar, municipality_type varchar, is_divided_by_gender int,
    operating_area varchar, perspective varchar, prel_publication_date varchar, publication_date varchar,
    publ_period varchar, has_ou_data boolean, extra json, response_id varchar);
create table raw.kolada_municipalities (id varchar, title varchar, type varchar, response_id varchar);
create table raw.registry_kommuner (kommun varchar(4), name varchar, lan varchar);
create table raw.kolada_values (
    kpi varchar, municipality varchar, year int, gender varchar, value double, count int, status varchar,
    is_deleted boolean, response_id varchar, loaded_at timestamptz);
create table raw.scb_rs_values (
    region varchar, verksamhet varchar, contents_code varchar, year int, value_tkr double,
    response_id varchar);
create table raw.registry_members (agreement_id varchar, kommun varchar, joined date, left_on date);
create table raw.registry_area_kpis (
    area varchar, kpi varchar, title varchar, dimension varchar, better varchar, unit varchar,
    cost_basis varchar, reported_jointly boolean, method_break integer, caution varchar,
    plausible_min double, plausible_max double, never_negative boolean, is_share boolean);
"""

_MARTS_DDL = """
create schema marts;
create table marts.fct_agreement_effects (
    agreement_id varchar, municipality_id varchar, kpi_id varchar, effect double, ci_low double,
    ci_high double, p_value double, method varchar);
create table marts.fct_agreement_verdicts (
    agreement_id varchar, dimension varchar, verdict varchar, rule varchar, reasons varchar);
create table marts.fct_member_costs (
    agreement_id varchar, municipality_id varchar, year int, is_member_that_year boolean,
    share_pct double, paid_tkr double);
create table marts.fct_agreement_kpi_values (
    agreement_id varchar, municipality_id varchar, kpi_id varchar, year int, value double,
    is_member_that_year boolean, source varchar, response_id varchar);
"""


class Warehouse:
    """The test's warehouse file, opened per statement so nothing holds it while Dagster runs."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        with connect(self.path) as con:
            con.execute(sql, params or [])

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with connect(self.path) as con:
            return con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.rows(sql, params)[0][0]

    def validate(self, suite: str, run_id: str = "run-1") -> SuiteOutcome:
        """Run one suite as the asset check does, on the fixed day TODAY."""
        with connect(self.path) as con:
            return validate_suite(con, SUITES[suite], run_id, today=TODAY)

    def results(self, suite: str, run_id: str = "run-1") -> dict[str, tuple[Any, ...]]:
        """Stored results of one run: expectation -> (severity, success, unexpected_count, observed)."""
        rows = self.rows(
            "select expectation, severity, success, unexpected_count, observed_value"
            " from quality.validation_results where suite = ? and run_id = ?",
            [suite, run_id],
        )
        return {row[0]: row[1:] for row in rows}


def _kolada(con: Any) -> None:
    for kpi, period, prel, publ in (
        ("N07041", "2025", "2026-03-31", "2026-08-28"),
        ("U37009", "2025", "2026-04-15", "2026-09-01"),
        ("N01951", "2026", None, "2027-02-24"),
    ):
        con.execute(
            "insert into raw.kolada_kpis (id, title, prel_publication_date, publication_date, publ_period)"
            " values (?, ?, ?, ?, ?)",
            [kpi, f"Titel {kpi}", prel, publ, period],
        )
    # The ranges areas.yaml gives these KPIs' units (a net cost may be negative, a gross cost not).
    con.execute(
        """insert into raw.registry_area_kpis values
           ('raddningstjanst', 'N07041', 'Nettokostnad', 'kostnad', 'lower', 'kr/inv', 'nettokostnad',
            false, null, null, -100000, 1000000, false, false),
           ('overformyndare', 'U37009', 'Kostnad', 'kostnad', 'lower', 'kr/ställföreträdarskap', 'kostnad',
            false, null, null, 0, 1000000, true, false),
           ('_context', 'N01951', 'Invånare', 'personal', 'none', 'antal', null,
            false, null, null, 0, 100000000, false, false)"""
    )
    for kommun in KOLADA_MUNICIPALITIES:
        con.execute("insert into raw.kolada_municipalities values (?, ?, 'K', 'r0')", [kommun, kommun])
    for kommun in REGISTRY_KOMMUNER:
        con.execute("insert into raw.registry_kommuner values (?, ?, '06')", [kommun, kommun])
    con.execute(
        """insert into raw.kolada_values
           select kpi, municipality, year, 'T', 100 + year - 2000 + length(municipality), 1, '', false,
                  'r1', now()
           from unnest(?) as k(kpi), unnest(?) as m(municipality), range(?, ?) as y(year)""",
        [list(KPIS), list(REGISTRY_KOMMUNER[:3]), VALUE_YEARS.start, VALUE_YEARS.stop],
    )


def _scb(con: Any) -> None:
    # Brutto − intäkt = netto for every kommun; Riket = the sum of the kommuner per code and year.
    rows = []
    for verksamhet in ("270", "100"):
        for year in SCB_YEARS:
            for i, kommun in enumerate(SCB_KOMMUNER):
                cost, income = 10_000 + 100 * i + year, 1_000 + 10 * i
                for code, value in (("0000005Z", cost), ("0000005Y", income), ("0000005X", cost - income)):
                    rows.append((kommun, verksamhet, code, year, value, "r2"))
    insert_rows(con, "raw.scb_rs_values", rows)
    con.execute(
        """insert into raw.scb_rs_values
           select '00', verksamhet, contents_code, year, sum(value_tkr), 'r2'
           from raw.scb_rs_values group by verksamhet, contents_code, year"""
    )


def _marts(con: Any) -> None:
    con.execute(
        """insert into raw.registry_members values
           ('raddning', '0682', '2010-01-01', null), ('raddning', '0685', '2010-01-01', null),
           ('formyndare', '0604', '2019-01-01', null), ('formyndare', '0682', '2019-01-01', null),
           ('formyndare', '0685', '2019-01-01', null),
           ('gammal', '0604', '2001-01-01', '2005-12-31')"""
    )
    con.execute(
        """insert into marts.fct_agreement_effects values
           ('raddning', '0682', 'N07041', -12.5, -30.0, 5.0, 0.2, 'synthetic_control'),
           ('raddning', 'total', 'N07041', -8.0, -20.0, 4.0, 0.3, 'did'),
           ('formyndare', '0604', 'U37009', null, null, null, null, 'none')"""
    )
    con.execute(
        """insert into marts.fct_agreement_verdicts values
           ('raddning', 'kostnad', 'levererar_delvis', 'r', ''),
           ('raddning', 'samlat', 'kan_inte_avgoras', 'r', '')"""
    )
    for year in (2020, 2021):
        for agreement, shares in (
            ("raddning", {"0682": 60.0, "0685": 40.0}),
            ("formyndare", {"0604": 33.33, "0682": 33.33, "0685": 33.34}),
        ):
            for kommun, share in shares.items():
                con.execute(
                    "insert into marts.fct_member_costs values (?, ?, ?, true, ?, 100)",
                    [agreement, kommun, year, share],
                )
    con.execute(
        """insert into marts.fct_agreement_kpi_values
           select agreement_id, municipality_id, 'N07041', year, 1.0, true, 'kolada', 'r1'
           from marts.fct_member_costs"""
    )


def build(path: Path) -> Warehouse:
    """Create the raw tables (per docs/architecture.md) and the marts the suites read."""
    with connect(path) as con:
        con.execute(_RAW_DDL)
        con.execute(_MARTS_DDL)
        _kolada(con)
        _scb(con)
        _marts(con)
    return Warehouse(path)
