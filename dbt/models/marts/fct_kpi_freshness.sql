-- How current each followed KPI is, with its status in words, from the validate stage's table (empty
-- until that stage has run once).
{%- set freshness = source('quality', 'freshness') %}
with

{% if relation_exists(freshness) -%}
freshness as (
    select * from {{ freshness }}
),
{%- else -%}
freshness as (
    select
        cast(null as varchar) as source,
        cast(null as varchar) as kpi_id,
        cast(null as varchar) as title,
        cast(null as integer) as latest_year,
        cast(null as integer) as expected_latest_year,
        cast(null as boolean) as is_fresh,
        cast(null as date) as publication_date,
        cast(null as timestamptz) as checked_at
    where false
),
{%- endif %}

final as (
    select
        cast(freshness.source as varchar) as source,
        cast(freshness.kpi_id as varchar) as kpi_id,
        cast(coalesce(freshness.title, freshness.kpi_id) as varchar) as title,
        cast(freshness.latest_year as integer) as latest_year,
        cast(freshness.expected_latest_year as integer) as expected_latest_year,
        coalesce(freshness.is_fresh, false) as is_fresh,
        case when freshness.is_fresh then 'Aktuell' else 'Försenad' end as status_text,
        cast(freshness.publication_date as date) as publication_date,
        cast(freshness.checked_at as timestamptz) as checked_at
    from freshness
)

select * from final
