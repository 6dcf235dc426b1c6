with

members_by_year as (
    select * from {{ ref('int_agreement_members_by_year') }}
),

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

attributions as (
    select * from {{ ref('int_member_attributions') }}
),

memberships as (
    select distinct
        members_by_year.agreement_id,
        members_by_year.municipality_id,
        members_by_year.is_host,
        members_by_year.joined_on,
        members_by_year.first_joined_year,
        members_by_year.left_on,
        members_by_year.left_year,
        members_by_year.ended_on,
        members_by_year.is_current
    from members_by_year
),

final as (
    select
        memberships.agreement_id,
        agreements.agreement_name,
        memberships.municipality_id,
        coalesce(municipalities.municipality_name, memberships.municipality_id) as municipality_name,
        municipalities.county_name,
        memberships.is_host,
        case when memberships.is_host then 'Värdkommun' else 'Medlem' end as role_label,
        memberships.joined_on,
        cast(memberships.first_joined_year as integer) as joined_year,
        memberships.left_on,
        cast(memberships.left_year as integer) as left_year,
        memberships.ended_on,
        cast(case when not memberships.is_current then year(memberships.ended_on) end as integer)
            as last_member_year,
        memberships.is_current,
        case
            when memberships.is_current then 'Pågående'
            when memberships.joined_on > current_date then 'Inte börjat'
            else 'Avslutad'
        end as status_label,
        cast(memberships.first_joined_year as varchar) as member_since_text,
        case
            when memberships.is_current then 'pågår'
            else coalesce(strftime(memberships.ended_on, '%Y-%m-%d'), '–')
        end as member_until_text,
        case
            when memberships.is_current
                then
                    case when memberships.is_host then 'Värdkommun' else 'Medlem' end
                    || ' sedan ' || memberships.first_joined_year
            else
                case when memberships.is_host then 'Värdkommun' else 'Medlem' end
                || ' ' || memberships.first_joined_year || '–' || year(memberships.ended_on)
                || ' (avslutad ' || strftime(memberships.ended_on, '%Y-%m-%d') || ')'
        end as membership_text,
        '/kommun/' || memberships.municipality_id || '/' as page_link,
        '/samverkan/' || memberships.agreement_id || '/' as agreement_page_link,
        attributions.credited_elsewhere_year,
        attributions.credited_to_agreement_id,
        coalesce(attributions.is_shared, false) as is_shared,
        attributions.attribution_text
    from memberships
    inner join agreements
        on memberships.agreement_id = agreements.agreement_id
    left join municipalities
        on memberships.municipality_id = municipalities.municipality_id
    left join attributions
        on
            memberships.agreement_id = attributions.agreement_id
            and memberships.municipality_id = attributions.municipality_id
)

select * from final
