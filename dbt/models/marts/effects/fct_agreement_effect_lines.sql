-- The observed series and the counterfactual of the primary method (rules.yaml) as lines with their
-- Swedish names, for the report's charts.
with

series as (
    select * from {{ ref('fct_agreement_effect_series') }}
),

methods as (
    select * from {{ ref('dim_effect_methods') }}
),

primary_series as (
    select
        series.*,
        {{ role_order('series.is_total', 'series.is_host') }} as role_order
    from series
    inner join methods on series.method = methods.method
    where methods.is_primary
),

final as (
    select
        primary_series.agreement_id,
        primary_series.municipality_id,
        primary_series.municipality_name,
        primary_series.is_host,
        primary_series.role_order,
        primary_series.kpi_id,
        primary_series.year,
        primary_series.period,
        'Utfall' as line,
        1 as line_order,
        primary_series.observed as value
    from primary_series
    union all
    select
        primary_series.agreement_id,
        primary_series.municipality_id,
        primary_series.municipality_name,
        primary_series.is_host,
        primary_series.role_order,
        primary_series.kpi_id,
        primary_series.year,
        primary_series.period,
        'Kontroll (utan samverkan)' as line,
        2 as line_order,
        primary_series.counterfactual as value
    from primary_series
)

select * from final
