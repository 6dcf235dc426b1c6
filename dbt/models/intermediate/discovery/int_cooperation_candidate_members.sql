with

member_years as (
    select * from {{ ref('int_cooperation_candidate_member_years') }}
),

signature_kpis as (
    select * from {{ ref('stg_registry__signature_kpis') }}
),

families as (
    select distinct
        signature_kpis.family_id,
        signature_kpis.area_id
    from signature_kpis
),

members as (
    select
        member_years.candidate_id,
        member_years.family_id,
        member_years.municipality_id,
        min(member_years.year) as first_year,
        max(member_years.year) as last_year,
        count(*) as joint_years
    from member_years
    group by all
),

spans as (
    select
        members.candidate_id,
        min(members.first_year) as candidate_first_year,
        max(members.last_year) as candidate_last_year
    from members
    group by all
),

final as (
    select
        members.candidate_id,
        members.family_id,
        families.area_id,
        members.municipality_id,
        members.first_year,
        members.last_year,
        members.joint_years,
        -- a member that stops while the others go on has left; when all stop, the candidate ended
        case
            when members.last_year < spans.candidate_last_year then members.last_year + 1
        end as left_year,
        members.first_year > spans.candidate_first_year as joined_later
    from members
    inner join spans
        on members.candidate_id = spans.candidate_id
    inner join families
        on members.family_id = families.family_id
)

select * from final
