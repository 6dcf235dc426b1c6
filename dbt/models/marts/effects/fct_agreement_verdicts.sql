with

verdicts as (
    select * from {{ source('analysis', 'effect_verdicts') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

dimensions as (
    select * from {{ ref('dim_dimensions') }}
),

final as (
    select
        verdicts.agreement_id,
        agreements.agreement_name,
        verdicts.dimension,
        dimensions.dimension_order,
        verdicts.in_purpose,
        verdicts.verdict,
        {{ verdict_text('verdicts.verdict') }} as verdict_text,
        verdicts.rule,
        verdicts.reasons,
        verdicts.undecided_kind,
        verdicts.undecided_text,
        verdicts.mde_abs,
        verdicts.mde_pct,
        verdicts.judgeable_from_year
    from verdicts
    left join agreements
        on verdicts.agreement_id = agreements.agreement_id
    left join dimensions
        on verdicts.dimension = dimensions.dimension
)

select * from final
