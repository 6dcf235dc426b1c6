-- One row per cooperation × member kommun × KPI: the latest year against the year before, and whether
-- the change is for the better (what changed since the previous yearly report).
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
    group by all
),

final as (
    select
        latest.agreement_id,
        latest.municipality_id,
        coalesce(municipalities.municipality_name, latest.municipality_id) as municipality_name,
        latest.kpi_id,
        kpis.kpi_title,
        cast(latest.latest_year as varchar) as latest_year,
        sv_num(previous.value, 1) as previous_text,
        sv_num(latest.latest_value, 1) as latest_text,
        sv_signed(latest.latest_value - previous.value, 1) as change_text,
        case
            when previous.value is null then 'Ny uppgift'
            when latest.latest_value = previous.value or kpis.better = 'none' then 'Oförändrat eller utan riktning'
            when (latest.latest_value < previous.value) = (kpis.better = 'lower') then 'Bättre'
            else 'Sämre'
        end as direction_text,
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
order by agreement_id, kpi_id, municipality_name
