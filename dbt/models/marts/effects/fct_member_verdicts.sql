with

verdicts as (
    select * from {{ source('analysis', 'member_verdicts') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

dimensions as (
    select * from {{ ref('dim_dimensions') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

final as (
    select
        verdicts.agreement_id,
        agreements.agreement_name,
        verdicts.municipality_id,
        verdicts.municipality_id = 'ovriga' as is_group,
        {{
            member_name('verdicts.municipality_id', 'municipalities.municipality_name')
        }} as municipality_name,
        verdicts.is_host,
        verdicts.dimension,
        dimensions.dimension_order,
        {{ verdict_outcome_columns() }}
    from verdicts
    left join agreements
        on verdicts.agreement_id = agreements.agreement_id
    left join dimensions
        on verdicts.dimension = dimensions.dimension
    left join municipalities
        on verdicts.municipality_id = municipalities.municipality_id
)

select * from final
