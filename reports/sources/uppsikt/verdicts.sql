-- One row per cooperation and dimension (kostnad, kvalitet, personal, samlat): the verdict in words.
with

verdicts as (
    select * from marts.fct_agreement_verdicts
),

final as (
    select
        verdicts.agreement_id,
        verdicts.dimension,
        sv_dimension(verdicts.dimension) as dimension_label,
        verdicts.dimension_order,
        verdicts.in_purpose,
        case
            when verdicts.in_purpose then 'Ja'
            when verdicts.in_purpose = false then 'Nej'
            else ''
        end as in_purpose_text,
        coalesce(verdicts.verdict, 'saknas') as verdict,
        sv_verdict(verdicts.verdict) as verdict_text,
        verdicts.rule,
        coalesce(verdicts.reasons, '') as reasons
    from verdicts
)

select * from final
order by agreement_id, dimension_order
