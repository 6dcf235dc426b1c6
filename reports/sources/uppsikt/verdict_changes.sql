-- One row per cooperation and dimension: this report's verdict against the previous report's.
select
    agreement_id,
    agreement_name,
    '/samverkan/' || agreement_id || '/' as page_link,
    dimension,
    dimension_label,
    dimension_order,
    verdict,
    verdict_text,
    coalesce(previous_verdict, 'saknas') as previous_verdict,
    coalesce(previous_verdict_text, '–') as previous_verdict_text,
    change,
    is_changed,
    change_text,
    previous_report_built_at is not null as has_previous_report,
    sv_date(previous_report_built_at) as previous_report_date,
    coalesce(cast(previous_data_year as varchar), '–') as previous_data_year
from marts.fct_agreement_verdict_changes
order by agreement_id, dimension_order
