-- One row per followed KPI: the latest year in the warehouse against the year Kolada should have by now.
select
    freshness.source,
    freshness.kpi_id,
    coalesce(freshness.title, freshness.kpi_id) as title,
    coalesce(cast(freshness.latest_year as varchar), '–') as latest_year,
    coalesce(cast(freshness.expected_latest_year as varchar), '–') as expected_latest_year,
    coalesce(freshness.is_fresh, false) as is_fresh,
    case when freshness.is_fresh then 'Aktuell' else 'Försenad' end as status_text,
    coalesce(strftime(freshness.publication_date, '%Y-%m-%d'), '–') as publication_date,
    sv_time(freshness.checked_at) as checked_at
from quality.freshness as freshness
order by is_fresh, kpi_id
