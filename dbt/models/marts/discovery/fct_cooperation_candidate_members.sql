with

candidate_members as (
    select * from {{ ref('int_cooperation_candidate_members') }}
),

matches as (
    select * from {{ ref('int_cooperation_candidate_matches') }}
),

registry_members as (
    select * from {{ ref('stg_registry__members') }}
),

kommuner as (
    select * from {{ ref('stg_registry__kommuner') }}
),

final as (
    select
        candidate_members.candidate_id,
        candidate_members.municipality_id,
        kommuner.municipality_name,
        candidate_members.first_year,
        candidate_members.last_year,
        candidate_members.left_year,
        candidate_members.joined_later,
        candidate_members.joint_years,
        matches.agreement_id,
        case
            when matches.agreement_id is null then null
            when registry_members.municipality_id is null then 'saknas_i_registret'
            else 'registrerad'
        end as registry_member_status
    from candidate_members
    inner join kommuner
        on candidate_members.municipality_id = kommuner.municipality_id
    inner join matches
        on candidate_members.candidate_id = matches.candidate_id
    left join registry_members
        on
            matches.agreement_id = registry_members.agreement_id
            and candidate_members.municipality_id = registry_members.municipality_id
    qualify row_number() over (
        partition by candidate_members.candidate_id, candidate_members.municipality_id
        order by registry_members.joined_on
    ) = 1
)

select * from final
