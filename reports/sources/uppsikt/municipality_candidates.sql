-- One row per kommun × candidate cooperation the data suggests and the registry lacks or lists
-- differently, with what to do next (marts.fct_municipality_candidates words it).
select
    municipality_id,
    candidate_id,
    candidate_name,
    area_id,
    registry_match,
    registry_match_text,
    coalesce(agreement_link, '') as agreement_link,
    members_text,
    years_text,
    member_years_text,
    evidence,
    todo_text
from marts.fct_municipality_candidates
order by municipality_id, registry_match, candidate_name
