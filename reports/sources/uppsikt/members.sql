-- One row per cooperation and member kommun: role and membership in words, from marts.fct_agreement_members
-- (the one membership model the estimators and the outbox read too).
select
    agreement_id,
    agreement_name,
    municipality_id,
    municipality_name,
    county_name,
    is_host,
    role_label,
    is_current,
    status_label,
    joined_year,
    member_since_text,
    member_until_text,
    membership_text,
    page_link,
    agreement_page_link,
    attribution_text
from marts.fct_agreement_members
order by agreement_id, is_host desc, municipality_name
