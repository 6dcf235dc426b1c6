-- One row per candidate cooperation the data reveals (marts.fct_cooperation_candidates), formatted.
select
    candidates.candidate_id,
    candidates.candidate_name,
    candidates.area_id,
    candidates.registry_match,
    case candidates.registry_match
        when 'registrerad' then 'Registrerad'
        when 'avviker' then 'Avviker från registret'
        else 'Inte registrerad'
    end as registry_match_text,
    candidates.agreement_id,
    case when candidates.agreement_id is not null then '/samverkan/' || candidates.agreement_id || '/' end
        as agreement_link,
    candidates.member_count,
    candidates.members_text,
    case when candidates.start_censored then '≤' else '' end || cast(candidates.first_year as varchar)
        || '–' || case when candidates.is_ended then cast(candidates.last_year as varchar) else '' end
        as years_text,
    coalesce(candidates.gap_years, '–') as gap_years,
    candidates.evidence,
    candidates.match_note
from marts.fct_cooperation_candidates as candidates
order by candidates.registry_match, candidates.area_id, candidates.candidate_id
