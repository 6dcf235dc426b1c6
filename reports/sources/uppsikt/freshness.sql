-- One row per followed KPI: the latest year in the warehouse against the year Kolada should have by now.
select
    source,
    kpi_id,
    title,
    coalesce(cast(latest_year as varchar), '–') as latest_year,
    coalesce(cast(expected_latest_year as varchar), '–') as expected_latest_year,
    is_fresh,
    status_text,
    coalesce(strftime(publication_date, '%Y-%m-%d'), '–') as publication_date,
    sv_time(checked_at) as checked_at
from marts.fct_kpi_freshness
order by is_fresh, kpi_id
