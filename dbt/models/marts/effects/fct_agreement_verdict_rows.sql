-- The verdicts as the report shows them: the dimension's label, the purpose in words, which kind of
-- "kan inte avgöras" it is (not measurable, too little data, no certain difference) and the badge text.
with

verdicts as (
    select * from {{ ref('fct_agreement_verdicts') }}
),

dimensions as (
    select * from {{ ref('dim_dimensions') }}
),

kinds as (
    select
        verdicts.*,
        case
            when verdicts.verdict <> 'kan_inte_avgoras' then null
            when regexp_replace(verdicts.rule, '^.*[.]', '') = 'inga_nyckeltal' then 'ej_matbart'
            when
                regexp_replace(verdicts.rule, '^.*[.]', '') = 'ingen_sakerstalld_forandring'
                then 'ingen_saker_skillnad'
            when regexp_replace(verdicts.rule, '^.*[.]', '') = 'inget_bedombart' then 'for_lite_data'
        end as own_kind
    from verdicts
),

-- An overall verdict that cannot be given takes the most telling kind among the purpose's dimensions.
overall_kinds as (
    select
        kinds.agreement_id,
        case
            when bool_or(kinds.own_kind = 'ingen_saker_skillnad') then 'ingen_saker_skillnad'
            when bool_or(kinds.own_kind = 'for_lite_data') then 'for_lite_data'
            else 'ej_matbart'
        end as overall_kind
    from kinds
    where kinds.dimension <> 'samlat' and coalesce(kinds.in_purpose, true)
    group by kinds.agreement_id
),

typed as (
    select
        kinds.* exclude (own_kind, undecided_kind),  -- noqa: RF02
        -- The estimator's own kind where it gives one; derived from the rule for older analysis tables.
        case
            when kinds.verdict <> 'kan_inte_avgoras' then null
            when kinds.undecided_kind is not null then kinds.undecided_kind
            when kinds.dimension = 'samlat' then coalesce(overall_kinds.overall_kind, 'ej_matbart')
            else coalesce(kinds.own_kind, 'for_lite_data')
        end as kind
    from kinds
    left join overall_kinds on kinds.agreement_id = overall_kinds.agreement_id
),

final as (
    select
        typed.agreement_id,
        typed.agreement_name,
        typed.dimension,
        coalesce(dimensions.dimension_label, typed.dimension) as dimension_label,
        coalesce(dimensions.dimension_order, 9) as dimension_order,
        typed.in_purpose,
        case when typed.in_purpose then 'Ja' when not typed.in_purpose then 'Nej' else '' end
            as in_purpose_text,
        coalesce(typed.verdict, 'saknas') as verdict,
        coalesce(typed.verdict_text, 'Ingen bedömning') as verdict_text,
        typed.kind as undecided_kind,
        case typed.kind
            when 'ej_matbart' then 'inget nyckeltal mäter detta'
            when 'for_lite_data' then 'för lite data'
            when 'ingen_saker_skillnad' then 'ingen säker skillnad'
        end as undecided_text,
        typed.undecided_text as undecided_explanation,
        coalesce(typed.verdict_text, 'Ingen bedömning')
        || coalesce(': ' || case typed.kind
            when 'ej_matbart' then 'inget nyckeltal mäter detta'
            when 'for_lite_data' then 'för lite data'
            when 'ingen_saker_skillnad' then 'ingen säker skillnad'
        end, '') as badge_text,
        -- A dimension no KPI measures gets no row of its own in the verdict table: it is named once
        -- in the sentence below it instead (no "Personal" row beside "inga nyckeltal").
        coalesce(typed.kind, '') <> 'ej_matbart' or typed.dimension = 'samlat' as is_measured,
        typed.rule,
        coalesce(typed.reasons, '') as reasons
    from typed
    left join dimensions on typed.dimension = dimensions.dimension
)

select * from final
