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

-- A membership ends when the member leaves or the cooperation is wound up, whichever comes first; it is
-- current while that end is today or later (the same rule as dim_agreements.is_active).
memberships as (
    select
        members.agreement_id,
        members.municipality_id,
        min(members.joined_on) as joined_on,
        case when bool_and(members.left_on is not null) then max(members.left_on) end as left_on,
        min(agreements.end_date) as agreement_end_date
    from members
    inner join agreements
        on members.agreement_id = agreements.agreement_id
    where members.joined_on is not null
    group by members.agreement_id, members.municipality_id
),

membership_spans as (
    select
        memberships.*,
        least(memberships.left_on, memberships.agreement_end_date) as ended_on,
        year(memberships.joined_on) as joined_year,
        -- The first calendar year the member itself is no longer a member all year.
        {{ first_partial_year('memberships.left_on') }} as left_year
    from memberships
),

member_years as (
    select
        membership_spans.*,
        years.year,
        membership_spans.joined_year <= years.year
        and coalesce(year(membership_spans.ended_on) >= years.year, true) as is_member,
        membership_spans.joined_year = years.year as is_joining_year,
        coalesce(year(membership_spans.ended_on) = years.year, false) as is_leaving_year,
        membership_spans.joined_on <= current_date
        and coalesce(membership_spans.ended_on >= current_date, true) as is_current
    from membership_spans
    cross join years
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
        member_years.joined_year as first_joined_year,
        member_years.year - member_years.joined_year as years_since_joined,
        member_years.joined_on,
        member_years.left_on,
        member_years.left_year,
        member_years.ended_on,
        member_years.is_current
    from member_years
    inner join agreements
        on member_years.agreement_id = agreements.agreement_id
)

select * from final
