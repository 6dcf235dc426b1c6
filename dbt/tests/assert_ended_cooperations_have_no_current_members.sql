-- A cooperation that has ended (end_date before today) has no current member: the report must never
-- show its members as current, nor "Medlem till och med" a year for a member that still is one.
with

members as (
    select * from {{ ref('fct_agreement_members') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

final as (
    select
        members.agreement_id,
        members.municipality_id
    from members
    inner join agreements on members.agreement_id = agreements.agreement_id
    where members.is_current <> agreements.is_active and members.left_on is null
)

select * from final
