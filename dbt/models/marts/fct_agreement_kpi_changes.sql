-- The latest year of each area KPI against the year before, per cooperation and member, and whether
-- the change is for the better given the KPI's direction (what changed since the previous report).
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

latest as (
    select
        kpi_values.agreement_id,
        kpi_values.municipality_id,
        kpi_values.kpi_id,
        max(kpi_values.year) as latest_year,
        arg_max(kpi_values.value, kpi_values.year) as latest_value,
        arg_max(kpi_values.is_preliminary, kpi_values.year) as is_preliminary
    from kpi_values
    where kpi_values.value is not null and kpi_values.kpi_role = 'area'
    group by kpi_values.agreement_id, kpi_values.municipality_id, kpi_values.kpi_id
),

final as (
    select
        latest.agreement_id,
        latest.municipality_id,
        coalesce(municipalities.municipality_name, latest.municipality_id) as municipality_name,
        latest.kpi_id,
        kpis.kpi_title,
        cast(latest.latest_year as integer) as latest_year,
        previous.value as previous_value,
        latest.latest_value,
        latest.latest_value - previous.value as change,
        case
            when previous.value is null then 'Ny uppgift'
            when
                latest.latest_value = previous.value or kpis.better = 'none'
                then 'Oförändrat eller utan riktning'
            when (latest.latest_value < previous.value) = (kpis.better = 'lower') then 'Bättre'
            else 'Sämre'
        end as direction_text,
        coalesce(latest.is_preliminary, false) as is_preliminary,
        case when latest.is_preliminary then 'Preliminärt' else '' end as preliminary_text
    from latest
    left join kpi_values as previous
        on
            latest.agreement_id = previous.agreement_id
            and latest.municipality_id = previous.municipality_id
            and latest.kpi_id = previous.kpi_id
            and previous.year = latest.latest_year - 1
    left join kpis on latest.kpi_id = kpis.kpi_id
    left join municipalities on latest.municipality_id = municipalities.municipality_id
)

select * from final
