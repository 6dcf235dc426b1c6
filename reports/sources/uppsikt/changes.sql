-- One row per cooperation × member kommun × KPI: the latest year against the year before and whether the
-- change is for the better (marts.fct_agreement_kpi_changes judges it); Swedish number formats here.
select
    agreement_id,
    municipality_id,
    municipality_name,
    kpi_id,
    kpi_title,
    cast(latest_year as varchar) as latest_year,
    sv_num(previous_value, 1) as previous_text,
    sv_num(latest_value, 1) as latest_text,
    sv_signed(change, 1) as change_text,
    direction_text,
    is_preliminary,
    preliminary_text
from marts.fct_agreement_kpi_changes
order by agreement_id, kpi_id, municipality_name
