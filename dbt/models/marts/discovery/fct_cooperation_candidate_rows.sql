-- The candidates as the report shows them: whether the registry has them, in words, the link to a
-- registered cooperation's page and the years in one phrase ("≤2012–2019": the start may be earlier).
with

candidates as (
    select * from {{ ref('fct_cooperation_candidates') }}
),

final as (
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
        case when candidates.start_censored then '≤' else '' end
        || cast(candidates.first_year as varchar)
        || '–'
        || case when candidates.is_ended then cast(candidates.last_year as varchar) else '' end
            as years_text,
        coalesce(candidates.gap_years, '–') as gap_years,
        candidates.evidence,
        candidates.match_note
    from candidates
)

select * from final
