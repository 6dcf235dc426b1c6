with

cost_keys as (
    select * from {{ ref('stg_registry__cost_keys') }}
),

members_by_year as (
    select * from {{ ref('int_agreement_members_by_year') }}
),

population as (
    select * from {{ ref('int_population_by_year') }}
),

member_years as (
    select
        members_by_year.agreement_id,
        members_by_year.municipality_id,
        members_by_year.year
    from members_by_year
    where members_by_year.is_member
),

-- The key in force in a year is the one with the latest from_year at or before it.
key_starts as (
    select distinct
        cost_keys.agreement_id,
        cost_keys.from_year,
        cost_keys.key_rule
    from cost_keys
),

keys_in_force as (
    select
        member_years.agreement_id,
        member_years.municipality_id,
        member_years.year,
        max(key_starts.from_year) as key_from_year
    from member_years
    inner join key_starts
        on
            member_years.agreement_id = key_starts.agreement_id
            and member_years.year >= key_starts.from_year
    group by member_years.agreement_id, member_years.municipality_id, member_years.year
),

-- Population keys use the year's population, else the year before (the latest year may lack it).
member_keys as (
    select
        keys_in_force.agreement_id,
        keys_in_force.municipality_id,
        keys_in_force.year,
        keys_in_force.key_from_year,
        key_starts.key_rule,
        fixed_keys.share_pct as fixed_share_pct,
        coalesce(same_year.population, year_before.population) as population
    from keys_in_force
    inner join key_starts
        on
            keys_in_force.agreement_id = key_starts.agreement_id
            and keys_in_force.key_from_year = key_starts.from_year
    left join cost_keys as fixed_keys
        on
            keys_in_force.agreement_id = fixed_keys.agreement_id
            and keys_in_force.key_from_year = fixed_keys.from_year
            and keys_in_force.municipality_id = fixed_keys.municipality_id
            and fixed_keys.key_rule = 'fixed'
    left join population as same_year
        on
            keys_in_force.municipality_id = same_year.municipality_id
            and keys_in_force.year = same_year.year
    left join population as year_before
        on
            keys_in_force.municipality_id = year_before.municipality_id
            and keys_in_force.year - 1 = year_before.year
),

final as (
    select
        member_keys.agreement_id,
        member_keys.municipality_id,
        member_keys.year,
        member_keys.key_from_year,
        member_keys.key_rule,
        member_keys.population as key_population,
        case
            when member_keys.key_rule = 'fixed' then member_keys.fixed_share_pct
            else
                100 * member_keys.population
                / sum(member_keys.population) over (
                    partition by member_keys.agreement_id, member_keys.year
                )
        end as share_pct
    from member_keys
)

select * from final
