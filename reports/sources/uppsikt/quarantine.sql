-- One row per value held in quarantine (marts.fct_quarantine): what it was, why it was set aside, when.
select
    table_name,
    kpi_id,
    municipality_id,
    year,
    value_text,
    reason,
    rules,
    quarantined_at,
    sv_time(quarantined_at) as quarantined_text
from marts.fct_quarantine
order by quarantined_at desc, table_name, kpi_id, municipality_id, year
