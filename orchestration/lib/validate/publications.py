"""Kolada's publication dates for the KPIs the registry follows, and which of them call for a new run."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import duckdb

# Dates are cast from text so the check holds whether extract stores them as date, timestamp or string.
DATES_SQL = """
with followed as (
    select distinct kpi from raw.registry_area_kpis
),
dates as (
    select k.publication_date as day from raw.kolada_kpis as k inner join followed as f on f.kpi = k.id
    union all
    select k.prel_publication_date as day from raw.kolada_kpis as k inner join followed as f on f.kpi = k.id
)
select distinct try_cast(left(cast(day as varchar), 10) as date) as day
from dates
where day is not null
order by day
"""


def followed_publication_dates(con: duckdb.DuckDBPyConnection) -> list[date]:
    """Every (preliminary) publication date of a followed KPI, oldest first."""
    return [row[0] for row in con.execute(DATES_SQL).fetchall() if row[0] is not None]


def due_dates(
    dates: Iterable[date], last_success: date | None, cursor: date | None, today: date
) -> list[date]:
    """Dates that have passed (before today), not before the last successful run, not yet requested."""
    # A run on the publication day itself may have started before Kolada published: count it as stale.
    return sorted(
        day
        for day in set(dates)
        if day < today and (last_success is None or day >= last_success) and (cursor is None or day > cursor)
    )
