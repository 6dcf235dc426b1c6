-- One row per cooperation, with its form in words, its host and its members (Swedish labels).
with

agreements as (
    select * from marts.dim_agreements
),

municipalities as (
    select * from marts.dim_municipalities
),

members as (
    select distinct
        kpi_values.agreement_id,
        kpi_values.municipality_id
    from marts.fct_agreement_kpi_values as kpi_values
    where kpi_values.is_member_that_year
),

member_lists as (
    select
        members.agreement_id,
        count(*) as member_count,
        string_agg(municipalities.municipality_name, ', ' order by municipalities.municipality_name)
            as member_names
    from members
    inner join municipalities on members.municipality_id = municipalities.municipality_id
    group by members.agreement_id
),

final as (
    select
        agreements.agreement_id,
        agreements.agreement_name,
        agreements.form,
        case agreements.form
            when 'kommunalforbund' then 'Kommunalförbund'
            when 'gemensam_namnd' then 'Gemensam nämnd'
            when 'avtalssamverkan' then 'Avtalssamverkan'
            when 'bolag' then 'Bolag'
            else 'Övrig'
        end as form_label,
        agreements.area_id,
        coalesce(agreements.area_title, agreements.area_id) as area_title,
        agreements.host_municipality_id,
        coalesce(hosts.municipality_name, '–') as host_name,
        agreements.start_date,
        agreements.end_date,
        coalesce(member_lists.member_count, 0) as member_count,
        coalesce(member_lists.member_names, '–') as member_names,
        '/samverkan/' || agreements.agreement_id || '/' as page_link
    from agreements
    left join municipalities as hosts on agreements.host_municipality_id = hosts.municipality_id
    left join member_lists on agreements.agreement_id = member_lists.agreement_id
)

select * from final
order by agreement_name
