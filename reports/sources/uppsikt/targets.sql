-- One row per target of a cooperation: the latest value of its measure, the trend projected to the
-- target year and the status (Uppnått, På väg, Inte på väg, Inte uppnått, Uppgifter saknas), as
-- marts.fct_agreement_targets judges them; here only the Swedish number formats are added.
with

targets as (
    select * from marts.fct_agreement_targets
),

final as (
    select
        targets.agreement_id,
        targets.target_no,
        targets.measure,
        targets.measure_title,
        targets.unit,
        targets.scope_name,
        (case targets.comparison when '<=' then 'högst ' else 'minst ' end)
            || sv_num(targets.target_value, 1) as target_text,
        cast(targets.target_year as varchar) as target_year,
        coalesce(cast(targets.latest_year as varchar), '–') as latest_year,
        sv_num(targets.latest_value, 1) as latest_text,
        sv_num(targets.projected_value, 1) as projected_text,
        targets.status,
        targets.status_text
    from targets
)

select * from final
order by agreement_id, target_no
