-- One row per cooperation × member kommun × KPI × year × line: the observed series and the estimated
-- counterfactual (what would have happened without the cooperation), primary method only.
with

series as (
    select * from marts.fct_agreement_effect_series
),

primary_method as (
    select
        series.agreement_id,
        series.municipality_id,
        series.municipality_name,
        series.is_host,
        series.kpi_id,
        series.year,
        series.period,
        series.observed,
        series.counterfactual
    from series
    where series.method = 'synthetic_control'
),

final as (
    select
        primary_method.* exclude (observed, counterfactual),
        'Utfall' as line,
        primary_method.observed as value
    from primary_method
    union all
    select
        primary_method.* exclude (observed, counterfactual),
        'Kontroll (utan samverkan)' as line,
        primary_method.counterfactual as value
    from primary_method
)

select * from final
order by agreement_id, kpi_id, municipality_id, line, year
