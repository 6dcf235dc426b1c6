-- One row per cooperation and member kommun: its role and the years it was a member.
with

agreements as (
    select * from marts.dim_agreements
),

municipalities as (
    select * from marts.dim_municipalities
),

kpi_values as (
    select * from marts.fct_agreement_kpi_values
),

members as (
    select
        agreements.agreement_id,
        agreements.host_municipality_id,
        unnest(agreements.member_ids) as municipality_id
    from agreements
),

member_years as (
    select
        kpi_values.agreement_id,
        kpi_values.municipality_id,
        min(kpi_values.year) as first_member_year,
        max(kpi_values.year) as last_member_year
    from kpi_values
    where kpi_values.is_member_that_year
    group by kpi_values.agreement_id, kpi_values.municipality_id
),

final as (
    select
        members.agreement_id,
        members.municipality_id,
        coalesce(municipalities.municipality_name, members.municipality_id) as municipality_name,
        municipalities.county_name,
        coalesce(members.municipality_id = members.host_municipality_id, false) as is_host,
        case when members.municipality_id = members.host_municipality_id
            then 'Värdkommun' else 'Medlem' end as role_label,
        cast(member_years.first_member_year as varchar) as first_member_year,
        cast(member_years.last_member_year as varchar) as last_member_year,
        '/kommun/' || members.municipality_id || '/' as page_link
    from members
    left join municipalities on members.municipality_id = municipalities.municipality_id
    left join member_years
        on
            members.agreement_id = member_years.agreement_id
            and members.municipality_id = member_years.municipality_id
)

select * from final
order by agreement_id, is_host desc, municipality_name
