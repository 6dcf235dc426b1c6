"""How fresh each source is: the latest year held per KPI against the year that should be out by now."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import duckdb

from orchestration.lib.validate.store import FRESHNESS, ensure_schema

if TYPE_CHECKING:
    from orchestration.lib.ops.settings import Settings

# SCB's final räkenskapssammandrag for year Y is out by late summer of Y+1: from this day on, Y is due.
SCB_FINAL_DUE = (9, 1)

# Kolada's catalogue gives, per KPI, the period (publ_period) that is published on publication_date,
# with a preliminary release on prel_publication_date; until the first of them, the period before is
# the latest one out.
_RELEASED_ON = "least(try_cast(prel_publication_date as date), try_cast(publication_date as date))"
_KOLADA_SQL = f"""
insert into {FRESHNESS}
with kpis as (
    select
        cast(id as varchar) as kpi_id,
        cast(title as varchar) as title,
        try_cast(publ_period as integer) as publ_period,
        try_cast(prel_publication_date as date) as prel_publication_date,
        try_cast(publication_date as date) as publication_date,
        {_RELEASED_ON} as released_on
    from raw.kolada_kpis
),
latest as (
    select kpi as kpi_id, max(year) as latest_year
    from raw.kolada_values
    where value is not null and not coalesce(is_deleted, false)
    group by kpi
),
expected as (
    select
        kpis.*,
        case
            when publ_period is null then null
            when released_on <= $today then publ_period
            else publ_period - 1
        end as expected_latest_year
    from kpis
)
select
    'kolada' as source,
    expected.kpi_id,
    expected.title,
    latest.latest_year,
    expected.expected_latest_year,
    coalesce(latest.latest_year, 0) >= expected.expected_latest_year as is_fresh,
    expected.prel_publication_date,
    expected.publication_date,
    $checked_at as checked_at
from expected
left join latest on latest.kpi_id = expected.kpi_id
"""

_SCB_SQL = f"""
insert into {FRESHNESS}
select
    'scb' as source,
    contents_code as kpi_id,
    null as title,
    max(year) as latest_year,
    $expected as expected_latest_year,
    max(year) >= $expected as is_fresh,
    null as prel_publication_date,
    null as publication_date,
    $checked_at as checked_at
from raw.scb_rs_values
where value_tkr is not null
group by contents_code
"""


def as_of(settings: Settings) -> date:
    """The day the data should be current for: today, or for demo data the day its snapshot shows."""
    if not settings.is_demo:
        return date.today()
    from orchestration.lib.extract.recorded import Snapshot

    return Snapshot.open(settings.demo_snapshot).as_of


def scb_expected_year(today: date) -> int:
    """The latest RS year that should be published on `today`."""
    due = date(today.year, *SCB_FINAL_DUE)
    return today.year - 1 if today >= due else today.year - 2


def freshness_state(con: duckdb.DuckDBPyConnection, day: date) -> str:
    """What of `day` the freshness rules above see: the latest Kolada release on or before it and the SCB
    year due. Two days with the same state give the same quality.freshness for the same data."""
    try:
        row = con.execute(
            f"select max({_RELEASED_ON}) from raw.kolada_kpis where {_RELEASED_ON} <= ?", [day]
        ).fetchone()
    except duckdb.CatalogException:  # nothing pulled yet
        row = None
    return f"kolada {row[0] if row else None}, scb {scb_expected_year(day)}"


def update_freshness(con: duckdb.DuckDBPyConnection, *, today: date | None = None) -> int:
    """Replace quality.freshness with the state of the warehouse now; returns the number of rows."""
    today = today or date.today()
    checked_at = datetime.now(UTC)
    ensure_schema(con)
    con.begin()
    try:
        con.execute(f"delete from {FRESHNESS}")
        con.execute(_KOLADA_SQL, {"today": today, "checked_at": checked_at})
        con.execute(_SCB_SQL, {"expected": scb_expected_year(today), "checked_at": checked_at})
        con.commit()
    except duckdb.Error:
        con.rollback()
        raise
    row = con.execute(f"select count(*) from {FRESHNESS}").fetchone()
    return int(row[0]) if row else 0
