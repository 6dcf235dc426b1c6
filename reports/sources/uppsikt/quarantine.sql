-- One row per value held in quarantine: what it was, why it was set aside, when. The keys are read
-- from the stored JSON text with regexp (the report's DuckDB has no JSON extension for certain).
with

quarantined as (
    select * from quality.quarantine
),

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
        quarantined.quarantined_at,
        sv_time(quarantined.quarantined_at) as quarantined_text
    from quarantined
)

select * from final
order by quarantined_at desc, table_name, kpi_id, municipality_id, year
