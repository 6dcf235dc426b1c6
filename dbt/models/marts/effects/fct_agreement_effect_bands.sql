-- The primary method's (rules.yaml) uncertainty band around the counterfactual, year by year, with the
-- Swedish legend that states its level, for the report's effect charts.
with

bands as (
    select * from {{ source('analysis', 'effect_bands') }}
),

methods as (
    select * from {{ ref('dim_effect_methods') }}
),

primary_bands as (
    select bands.*
    from bands
    inner join methods on bands.method = methods.method
    where methods.is_primary
),

final as (
    select
        agreement_id,
        municipality_id,
        kpi_id,
        year,
        period,
        counterfactual,
        band_low,
        band_high,
        confidence,
        'Osäkerhetsband (placebo, '
        || cast(round(100 * confidence) as integer)
        || ' %)' as band_label,
        n_placebos
    from primary_bands
)

select * from final
