-- The Kolada values of each cooperation's members as the report charts them: with the KPI's title,
-- dimension and unit and the kommun's name, only years that have a value.
with

kpi_values as (
    select * from {{ ref('fct_agreement_kpi_values') }}
),

kpis as (
    select * from {{ ref('dim_kpis') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
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
        cast(kpi_values.year as integer) as year,
        kpi_values.value,
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
