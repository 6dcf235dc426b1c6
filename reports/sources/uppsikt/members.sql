-- One row per cooperation and member kommun: the years it was a member and whether it is the host.
with

kpi_values as (
    select * from marts.fct_agreement_kpi_values
),

agreements as (
    select * from marts.dim_agreements
),

municipalities as (
    select * from marts.dim_municipalities
),

member_years as (
    select
        kpi_values.agreement_id,
        kpi_values.municipality_id,
        min(kpi_values.year) filter (where kpi_values.is_member_that_year) as first_member_year,
        max(kpi_values.year) filter (where kpi_values.is_member_that_year) as last_member_year
    from kpi_values
    group by kpi_values.agreement_id, kpi_values.municipality_id
),

final as (
    select
        member_years.agreement_id,
        member_years.municipality_id,
        municipalities.municipality_name,
        municipalities.county_name,
        member_years.municipality_id = agreements.host_municipality_id as is_host,
        case when member_years.municipality_id = agreements.host_municipality_id
            then 'Värdkommun' else 'Medlem' end as role_label,
        cast(member_years.first_member_year as varchar) as first_member_year,
        cast(member_years.last_member_year as varchar) as last_member_year
    from member_years
    inner join agreements on member_years.agreement_id = agreements.agreement_id
    inner join municipalities on member_years.municipality_id = municipalities.municipality_id
    where member_years.first_member_year is not null
)

select * from final
order by agreement_id, is_host desc, municipality_name
