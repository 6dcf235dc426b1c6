"""The registry as rows of the raw.registry_* tables (docs/architecture.md), written in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb

from orchestration.lib.extract.registry.model import Agreement, AreaKpi, Registry
from orchestration.lib.extract.registry.plausible import never_negative
from orchestration.lib.ops.warehouse import insert_rows

Row = tuple[Any, ...]

# Column lists are the contract with dbt's sources; extra columns go at the end of a table.
TABLES: dict[str, str] = {
    "registry_kommuner": "kommun varchar(4) primary key, name varchar not null, lan varchar not null",
    "registry_agreements": (
        "agreement_id varchar primary key, name varchar not null, form varchar not null,"
        " area varchar not null, purpose varchar[], host_kommun varchar(4), start_date date not null,"
        " end_date date,"
        " predecessor varchar, successor varchar, kolada_group varchar, notes varchar, source_file varchar,"
        " seat_kommun varchar(4), sources varchar[], unverified varchar[], illustrative varchar[],"
        " start_censored boolean"
    ),
    "registry_members": (
        "agreement_id varchar, kommun varchar(4), joined date, left_on date,"
        " primary key (agreement_id, kommun, joined)"
    ),
    "registry_cost_keys": (
        "agreement_id varchar, from_year integer, rule varchar not null, kommun varchar(4), share_pct double,"
        " primary key (agreement_id, from_year, kommun)"
    ),
    "registry_targets": (
        "agreement_id varchar, target_no integer, measure varchar not null, comparison varchar not null,"
        " target_value double not null, from_year integer, to_year integer, scope varchar not null,"
        " comment varchar, action varchar,"
        " primary key (agreement_id, target_no)"
    ),
    "registry_ledger": (
        "agreement_id varchar, year integer, kommun varchar(4), paid_tkr double, host_cost_tkr double,"
        " primary key (agreement_id, year, kommun)"
    ),
    "registry_area_kpis": (
        "area varchar, kpi varchar, title varchar, dimension varchar, better varchar, unit varchar,"
        " cost_basis varchar, reported_jointly boolean, method_break integer, caution varchar,"
        " is_primary boolean,"
        " plausible_min double, plausible_max double, never_negative boolean, is_share boolean,"
        " primary key (area, kpi)"
    ),
    "registry_area_scb": "area varchar, verksamhet varchar, primary key (area, verksamhet)",
    "registry_areas": "area varchar primary key, title varchar not null, comparison_group varchar",
    "registry_derived_measures": (
        "measure varchar primary key, title varchar, dimension varchar, better varchar, unit varchar"
    ),
    "registry_signature_kpis": (
        "family varchar, area varchar not null, kpi varchar, kind varchar not null, title varchar,"
        " form varchar, family_title varchar, primary key (family, kpi)"
    ),
}
CONTEXT_AREA = "_context"


def table_rows(registry: Registry) -> dict[str, list[Row]]:
    """Every raw.registry_* table's rows."""
    agreements = registry.agreements
    return {
        "registry_kommuner": [(k, n, registry.lan.get(k, "")) for k, n in sorted(registry.kommuner.items())],
        "registry_agreements": [_agreement_row(a) for a in agreements],
        "registry_members": [(a.id, m.kommun, m.joined, m.left) for a in agreements for m in a.members],
        "registry_cost_keys": [row for a in agreements for row in _cost_key_rows(a)],
        "registry_targets": [row for a in agreements for row in _target_rows(a)],
        "registry_ledger": [row for a in agreements for row in _ledger_rows(a)],
        "registry_area_kpis": list(_area_kpi_rows(registry)),
        "registry_area_scb": [(k, v) for k, area in registry.areas.items() for v in area.scb_verksamhet],
        "registry_areas": [(k, a.title, a.comparison_group) for k, a in registry.areas.items()],
        "registry_derived_measures": [
            (m.id, m.title, m.dimension, m.better, m.unit) for m in registry.derived_measures.values()
        ],
        "registry_signature_kpis": [
            (s.family, s.area, s.id, s.kind, s.title, s.form, s.family_title) for s in registry.signatures
        ],
    }


def _agreement_row(a: Agreement) -> Row:
    return (
        *(a.id, a.name, a.form, a.area, list(a.purpose), a.host, a.start, a.end),
        *(a.predecessor, a.successor, a.kolada_group, a.notes, a.source_file, a.seat),
        *(list(a.sources), list(a.unverified), list(a.illustrative), a.start_censored),
    )


def _cost_key_rows(a: Agreement) -> Iterator[Row]:
    for key in a.cost_keys:
        if key.rule == "population":
            # The shares follow from population, computed downstream; the rows say who is in the key.
            yield from ((a.id, key.from_year, key.rule, k, None) for k in a.members_in(key.from_year))
        else:
            yield from ((a.id, key.from_year, key.rule, k, share) for k, share in sorted(key.shares.items()))


def _target_rows(a: Agreement) -> Iterator[Row]:
    for number, t in enumerate(a.targets, start=1):
        yield (
            a.id,
            number,
            t.measure,
            t.comparison,
            t.value,
            t.from_year,
            t.to_year,
            t.scope,
            t.comment,
            t.action,
        )


def _ledger_rows(a: Agreement) -> Iterator[Row]:
    for entry in a.ledger:
        payers = dict(entry.payments_tkr)
        if entry.host_cost_tkr is not None and a.host is not None:
            payers.setdefault(a.host, None)  # the host's cost needs a row even if it paid nothing
        for kommun, paid in sorted(payers.items()):
            host_cost = entry.host_cost_tkr if kommun == a.host else None
            yield (a.id, entry.year, kommun, paid, host_cost)


def _area_kpi_rows(registry: Registry) -> Iterator[Row]:
    ranges = registry.plausible_ranges
    for key, area in registry.areas.items():
        yield from (_kpi_row(key, k, ranges) for k in area.kpis)
    yield from (_kpi_row(CONTEXT_AREA, k, ranges) for k in registry.context_kpis)


def _kpi_row(area: str, k: AreaKpi, ranges: dict[str, tuple[float, float]]) -> Row:
    low, high = ranges.get(k.unit, (None, None))
    return (
        area,
        k.id,
        k.title,
        k.dimension,
        k.better,
        k.unit,
        k.cost_basis,
        k.reported_jointly,
        k.method_break,
        k.caution,
        k.primary,
        *(low, high, never_negative(k, ranges), k.is_share),
    )


def write_tables(con: duckdb.DuckDBPyConnection, registry: Registry) -> dict[str, int]:
    """Replace every raw.registry_* table in one transaction; row counts per table."""
    rows = table_rows(registry)
    con.execute("begin transaction")
    try:
        con.execute("create schema if not exists raw")
        for table, columns in TABLES.items():
            con.execute(f"create or replace table raw.{table} ({columns})")
            insert_rows(con, f"raw.{table}", rows[table])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return {table: len(table_rows) for table, table_rows in rows.items()}
