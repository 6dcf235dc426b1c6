with

series as (
    select * from {{ source('analysis', 'effect_series') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

kpis as (
    select * from {{ ref('dim_kpis') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

final as (
    select
        series.agreement_id,
        series.municipality_id,
        series.municipality_id = 'total' as is_total,
        {{
            member_name('series.municipality_id', 'municipalities.municipality_name')
        }} as municipality_name,
        coalesce(series.municipality_id = agreements.host_municipality_id, false) as is_host,
        series.kpi_id,
        coalesce(kpis.kpi_title, series.kpi_id) as kpi_title,
        kpis.unit,
        series.method,
        series.year,
        series.period,
        series.observed,
        series.counterfactual,
        series.observed - series.counterfactual as gap
    from series
    left join agreements
        on series.agreement_id = agreements.agreement_id
    left join kpis
        on series.kpi_id = kpis.kpi_id
    left join municipalities
        on series.municipality_id = municipalities.municipality_id
)

select * from final
