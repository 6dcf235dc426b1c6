-- One row per cooperation × member kommun × KPI × year × line: the observed series and the estimated
-- counterfactual (what would have happened without the cooperation), primary method only.
-- Read from analysis.effect_series: no mart shapes the series yet.
with

series as (
    select * from analysis.effect_series
),

municipalities as (
    select * from marts.dim_municipalities
),

agreements as (
    select * from marts.dim_agreements
),

labelled as (
    select
        series.agreement_id,
        series.municipality_id,
        coalesce(municipalities.municipality_name, series.municipality_id) as municipality_name,
        coalesce(series.municipality_id = agreements.host_municipality_id, false) as is_host,
        series.kpi_id,
        series.year,
        series.period,
        series.observed,
        series.counterfactual
    from series
    left join municipalities on series.municipality_id = municipalities.municipality_id
    left join agreements on series.agreement_id = agreements.agreement_id
    where series.method = 'synthetic_control'
),

final as (
    select
        labelled.* exclude (observed, counterfactual),
        'Utfall' as line,
        labelled.observed as value
    from labelled
    union all
    select
        labelled.* exclude (observed, counterfactual),
        'Kontroll (utan samverkan)' as line,
        labelled.counterfactual as value
    from labelled
)

select * from final
order by agreement_id, kpi_id, municipality_id, line, year
