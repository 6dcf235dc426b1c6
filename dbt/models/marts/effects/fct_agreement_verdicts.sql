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
        {{ verdict_outcome_columns() }}
    from verdicts
    left join agreements
        on verdicts.agreement_id = agreements.agreement_id
    left join dimensions
        on verdicts.dimension = dimensions.dimension
)

select * from final
