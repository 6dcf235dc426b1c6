-- Kommuner that are no clean control for an area: a member of a registered cooperation of the area, or a
-- kommun the data shows in a joint organisation of the area (a discovered candidate), registered or not.
with

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

registry_members as (
    select * from {{ ref('stg_registry__members') }}
),

candidate_members as (
    select * from {{ ref('int_cooperation_candidate_members') }}
),

reasons as (
    select
        agreements.area_id,
        registry_members.municipality_id,
        'registrerad' as source,
        'registrerad: ' || agreements.agreement_id as reason
    from registry_members
    inner join agreements
        on registry_members.agreement_id = agreements.agreement_id
    union
    select
        candidate_members.area_id,
        candidate_members.municipality_id,
        'upptackt' as source,
        'upptäckt: ' || candidate_members.candidate_id as reason
    from candidate_members
),

final as (
    select
        reasons.area_id,
        reasons.municipality_id,
        bool_or(reasons.source = 'registrerad') as is_registered_member,
        bool_or(reasons.source = 'upptackt') as is_discovered_member,
        string_agg(reasons.reason, ', ' order by reasons.reason) as reason
    from reasons
    group by reasons.area_id, reasons.municipality_id
)

select * from final
