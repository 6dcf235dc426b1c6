-- "Medlem sedan" is never before the cooperation's start, and a founding member's year is the start
-- year (not the first year with data: Höglandsförbundet started 2002, its data in 2010).
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
        members.municipality_id,
        members.joined_year,
        agreements.start_year
    from members
    inner join agreements on members.agreement_id = agreements.agreement_id
    where
        members.joined_on < agreements.start_date
        or (members.joined_on = agreements.start_date and members.joined_year <> agreements.start_year)
)

select * from final
