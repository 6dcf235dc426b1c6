-- One row per candidate cooperation the data reveals, as marts.fct_cooperation_candidate_rows words it.
select
    candidate_id,
    candidate_name,
    area_id,
    registry_match,
    registry_match_text,
    agreement_id,
    agreement_link,
    member_count,
    members_text,
    years_text,
    gap_years,
    evidence,
    match_note
from marts.fct_cooperation_candidate_rows
order by registry_match, area_id, candidate_id
