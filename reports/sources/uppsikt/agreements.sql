-- One row per cooperation: its facts in words (marts.dim_agreements words them).
select
    agreement_id,
    agreement_name,
    form,
    form_label,
    area_id,
    area_title,
    purpose_text,
    host_municipality_id,
    host_label as host_name,
    host_text,
    seat_name,
    start_date,
    end_date,
    start_label,
    start_year,
    end_label,
    status_label,
    is_active,
    member_count,
    members_with_host_text,
    coalesce(cast(latest_data_year as varchar), '–') as latest_data_year,
    has_illustrative_figures,
    notes,
    page_link
from marts.dim_agreements
order by agreement_name
