-- One row per cooperation and dimension: this report's verdict against the previous report's.
with

changes as (
    select * from marts.fct_agreement_verdict_changes
),

final as (
    select
        changes.agreement_id,
        changes.agreement_name,
        '/samverkan/' || changes.agreement_id || '/' as page_link,
        changes.dimension,
        sv_dimension(changes.dimension) as dimension_label,
        changes.dimension_order,
        changes.verdict,
        changes.verdict_text,
        coalesce(changes.previous_verdict, 'saknas') as previous_verdict,
        coalesce(changes.previous_verdict_text, '–') as previous_verdict_text,
        changes.change,
        changes.is_changed,
        changes.change_text,
        changes.previous_report_built_at is not null as has_previous_report,
        sv_time(changes.previous_report_built_at) as previous_report_at,
        coalesce(cast(changes.previous_data_year as varchar), '–') as previous_data_year
    from changes
)

select * from final
order by agreement_id, dimension_order
