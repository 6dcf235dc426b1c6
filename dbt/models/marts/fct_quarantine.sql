{{ config(materialized='view') }}
-- The values held in quarantine: what it was, why it was set aside, when. A view, so the report shows
-- what the checks set aside after dbt ran. The keys are read from the stored JSON text with regexp (the
-- report's DuckDB has no JSON extension for certain).
{%- set quarantine = source('quality', 'quarantine') %}
with

{% if relation_exists(quarantine) -%}
quarantined as (
    select * from {{ quarantine }}
),
{%- else -%}
quarantined as (
    select
        cast(null as varchar) as table_name,
        cast(null as varchar) as row_key,
        cast(null as varchar) as row_json,
        cast(null as varchar) as reason,
        cast(null as varchar) as rules,
        cast(null as timestamptz) as quarantined_at
    where false
),
{%- endif %}

final as (
    select
        quarantined.table_name,
        coalesce(regexp_extract(quarantined.row_key, '"kpi":"([^"]*)"', 1), '') as kpi_id,
        coalesce(regexp_extract(quarantined.row_key, '"municipality":"([^"]*)"', 1), '') as municipality_id,
        coalesce(regexp_extract(quarantined.row_key, '"year":([0-9]+)', 1), '') as year,
        coalesce(nullif(regexp_extract(quarantined.row_json, '"value":("[^"]*"|[^,}]*)', 1), ''), '–')
            as value_text,
        quarantined.reason,
        quarantined.rules,
        quarantined.quarantined_at
    from quarantined
)

select * from final
