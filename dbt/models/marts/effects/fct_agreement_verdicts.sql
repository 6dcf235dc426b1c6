with

verdicts as (
    select * from {{ source('analysis', 'effect_verdicts') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

final as (
    select
        verdicts.agreement_id,
        agreements.agreement_name,
        verdicts.dimension,
        case verdicts.dimension
            when 'kostnad' then 1
            when 'kvalitet' then 2
            when 'personal' then 3
            else 4
        end as dimension_order,
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
)

select * from final
