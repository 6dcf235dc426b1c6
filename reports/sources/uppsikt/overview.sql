-- One row per cooperation for the overview: facts, the verdict badge per dimension, latest year and data
-- status, as marts.fct_agreement_overview words and judges them.
select
    agreement_id,
    agreement_name,
    form_label,
    area_title,
    status_label,
    is_active,
    members_with_host_text,
    host_label as host_name,
    verdict_kostnad,
    verdict_kostnad_text,
    verdict_kvalitet,
    verdict_kvalitet_text,
    verdict_personal,
    verdict_personal_text,
    verdict_samlat,
    verdict_samlat_text,
    coalesce(cast(latest_data_year as varchar), '–') as latest_data_year,
    quality_text,
    quality_ok,
    page_link
from marts.fct_agreement_overview
order by agreement_name
