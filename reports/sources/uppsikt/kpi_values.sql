-- One row per cooperation, member kommun, KPI and year: the raw Kolada value and a Swedish-formatted text.
with

kpi_values as (
    select * from marts.fct_agreement_kpi_values
),

kpis as (
    select * from marts.dim_kpis
),

municipalities as (
    select * from marts.dim_municipalities
),

final as (
    select
        kpi_values.agreement_id,
        kpi_values.municipality_id,
        municipalities.municipality_name,
        kpi_values.kpi_id,
        kpis.kpi_title,
        kpis.dimension,
        kpis.unit,
        kpi_values.year,
        cast(kpi_values.year as varchar) as year_label,
        kpi_values.value,
        sv_num(kpi_values.value, 1) as value_text,
        kpi_values.is_member_that_year,
        kpi_values.is_host,
        kpi_values.is_preliminary,
        kpi_values.source,
        kpi_values.response_id
    from kpi_values
    inner join kpis on kpi_values.kpi_id = kpis.kpi_id
    inner join municipalities on kpi_values.municipality_id = municipalities.municipality_id
    where kpi_values.value is not null
)

select * from final
order by agreement_id, kpi_id, municipality_name, year
