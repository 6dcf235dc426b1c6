-- One row per cooperation, member kommun, KPI and year with a value: the Kolada value and its text.
select
    agreement_id,
    municipality_id,
    municipality_name,
    kpi_id,
    kpi_title,
    dimension,
    unit,
    year,
    cast(year as varchar) as year_label,
    value,
    sv_num(value, 1) as value_text,
    is_member_that_year,
    is_host,
    is_preliminary,
    source,
    response_id
from marts.fct_agreement_kpi_series
order by agreement_id, kpi_id, municipality_name, year
