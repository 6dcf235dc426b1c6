-- The candidate cooperations the data suggests for each kommun, as its page shows them: candidates the
-- registry lacks or lists differently, the kommun's own years of joint reporting and what a registry
-- keeper does next. Candidates the registry has as they are show as registered cooperations instead.
with

candidate_members as (
    select * from {{ ref('fct_cooperation_candidate_members') }}
),

candidates as (
    select * from {{ ref('fct_cooperation_candidate_rows') }}
),

open_candidates as (
    select
        candidate_members.municipality_id,
        candidate_members.first_year,
        candidate_members.last_year,
        candidate_members.left_year,
        candidate_members.registry_member_status,
        candidates.*
    from candidate_members
    inner join candidates on candidate_members.candidate_id = candidates.candidate_id
    where
        candidates.registry_match <> 'registrerad'
        or candidate_members.registry_member_status = 'saknas_i_registret'
),

final as (
    select
        open_candidates.municipality_id,
        open_candidates.candidate_id,
        open_candidates.candidate_name,
        open_candidates.area_id,
        open_candidates.registry_match,
        open_candidates.registry_match_text,
        open_candidates.agreement_link,
        open_candidates.members_text,
        open_candidates.years_text,
        cast(open_candidates.first_year as varchar)
        || '–'
        || coalesce(cast(open_candidates.last_year as varchar), '')
        || coalesce(' (lämnade ' || cast(open_candidates.left_year as varchar) || ')', '')
            as member_years_text,
        open_candidates.evidence,
        case
            when open_candidates.registry_match = 'ej_registrerad'
                then
                    'Inte registrerad: bekräfta med en källa (förbundsordning, avtal, protokoll) och lägg'
                    || ' till den under registry/cooperations/; uppsikt registry discover --out skriver'
                    || ' ett utkast.'
            when open_candidates.registry_member_status = 'saknas_i_registret'
                then 'Kommunen saknas bland medlemmarna i registrets fil: kontrollera medlemskapet.'
            else
                'Registret anger andra medlemmar eller en annan start än uppgifterna: kontrollera filen. '
                || coalesce(open_candidates.match_note, '')
        end as todo_text
    from open_candidates
)

select * from final
