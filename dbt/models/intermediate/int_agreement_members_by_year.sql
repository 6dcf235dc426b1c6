with

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

members as (
    select * from {{ ref('stg_registry__members') }}
),

kolada_values as (
    select * from {{ ref('stg_kolada__values') }}
),

rs_values as (
    select * from {{ ref('stg_scb__rs_values') }}
),

ledger as (
    select * from {{ ref('stg_registry__ledger') }}
),

data_years as (
    select kolada_values.year from kolada_values
    union
    select rs_values.year from rs_values
    union
    select ledger.year from ledger
),

years as (
    select unnest(generate_series(min(data_years.year), max(data_years.year))) as year
    from data_years
),

-- A membership ends when the member leaves or the cooperation is wound up, whichever comes first.
memberships as (
    select
        members.agreement_id,
        members.municipality_id,
        year(members.joined_on) as joined_year,
        year(least(members.left_on, agreements.end_date)) as left_year
    from members
    inner join agreements
        on members.agreement_id = agreements.agreement_id
),

member_years as (
    select
        memberships.agreement_id,
        memberships.municipality_id,
        years.year,
        min(memberships.joined_year) as first_joined_year,
        bool_or(
            memberships.joined_year <= years.year
            and (memberships.left_year is null or memberships.left_year >= years.year)
        ) as is_member,
        bool_or(memberships.joined_year = years.year) as is_joining_year,
        bool_or(coalesce(memberships.left_year = years.year, false)) as is_leaving_year
    from memberships
    cross join years
    group by memberships.agreement_id, memberships.municipality_id, years.year
),

final as (
    select
        member_years.agreement_id,
        member_years.municipality_id,
        member_years.year,
        member_years.is_member,
        coalesce(member_years.municipality_id = agreements.host_municipality_id, false) as is_host,
        member_years.is_joining_year,
        member_years.is_leaving_year,
        member_years.first_joined_year,
        member_years.year - member_years.first_joined_year as years_since_joined
    from member_years
    inner join agreements
        on member_years.agreement_id = agreements.agreement_id
)

select * from final
