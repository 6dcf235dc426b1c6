with

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

members as (
    select * from {{ ref('stg_registry__members') }}
),

kommuner as (
    select * from {{ ref('stg_registry__kommuner') }}
),

areas as (
    select * from {{ ref('stg_registry__areas') }}
),

kolada_groups as (
    select * from {{ ref('stg_kolada__municipality_groups') }}
),

kpi_values as (
    select * from {{ ref('fct_agreement_kpi_values') }}
),

member_costs as (
    select * from {{ ref('fct_member_costs') }}
),

group_titles as (
    select
        kolada_groups.group_id,
        min(kolada_groups.group_title) as group_title
    from kolada_groups
    group by kolada_groups.group_id
),

-- Members who left before the cooperation ended are named with their last year.
member_labels as (
    select
        members.agreement_id,
        members.municipality_id,
        coalesce(kommuner.municipality_name, members.municipality_id) as municipality_name,
        case
            when members.left_on < coalesce(agreements.end_date, date '9999-12-31')
                then ' (t.o.m. ' || year(members.left_on) || ')'
            else ''
        end as left_suffix,
        members.municipality_id = agreements.host_municipality_id as is_host
    from members
    inner join agreements
        on members.agreement_id = agreements.agreement_id
    left join kommuner
        on members.municipality_id = kommuner.municipality_id
),

member_lists as (
    select
        member_labels.agreement_id,
        count(distinct member_labels.municipality_id) as member_count,
        list(distinct member_labels.municipality_id order by member_labels.municipality_id) as member_ids,
        string_agg(
            member_labels.municipality_name || member_labels.left_suffix, ', '
            order by member_labels.municipality_name
        ) as members_text,
        -- The same list with the host marked, so the report need not find the host in the text.
        string_agg(
            member_labels.municipality_name
            || case when member_labels.is_host then ' (värdkommun)' else '' end
            || member_labels.left_suffix,
            ', '
            order by member_labels.municipality_name
        ) as members_with_host_text
    from member_labels
    group by member_labels.agreement_id
),

data_years as (
    select
        kpi_values.agreement_id,
        kpi_values.year
    from kpi_values
    where kpi_values.kpi_role = 'area' and kpi_values.value is not null
    union all
    select
        member_costs.agreement_id,
        member_costs.year
    from member_costs
    where member_costs.scb_net_cost_tkr is not null or member_costs.paid_tkr is not null
),

latest_years as (
    select
        data_years.agreement_id,
        max(data_years.year) as latest_data_year
    from data_years
    group by data_years.agreement_id
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
        coalesce(areas.area_title, agreements.area_id) as area_title,
        agreements.purpose,
        array_to_string(agreements.purpose, ', ') as purpose_text,
        agreements.host_municipality_id,
        hosts.municipality_name as host_name,
        agreements.seat_municipality_id,
        seats.municipality_name as seat_name,
        agreements.start_date,
        agreements.end_date,
        agreements.end_date is null or agreements.end_date >= current_date as is_active,
        cast({{ first_partial_year('agreements.end_date') }} as integer) as end_year,
        coalesce(strftime(agreements.start_date, '%Y-%m-%d'), '–') as start_label,
        cast(year(agreements.start_date) as integer) as start_year,
        case
            when agreements.end_date is null then 'Tills vidare'
            else strftime(agreements.end_date, '%Y-%m-%d')
        end as end_label,
        case
            when agreements.end_date is null or agreements.end_date >= current_date then 'Pågående'
            else 'Avslutad ' || strftime(agreements.end_date, '%Y-%m-%d')
        end as status_label,
        agreements.predecessor_agreement_id,
        agreements.successor_agreement_id,
        agreements.kolada_group_id,
        group_titles.group_title as kolada_group_title,
        coalesce(member_lists.member_count, 0) as member_count,
        member_lists.member_ids,
        member_lists.members_text,
        coalesce(member_lists.members_with_host_text, '–') as members_with_host_text,
        coalesce(hosts.municipality_name, '–') as host_label,
        case
            when hosts.municipality_name is not null then 'Värdkommun: ' || hosts.municipality_name
            when seats.municipality_name is not null then 'Säte: ' || seats.municipality_name
            when agreements.form = 'kommunalforbund'
                then 'Ingen värdkommun: förbundet är en egen juridisk person'
            when agreements.form = 'bolag'
                then 'Ingen värdkommun: bolaget är en egen juridisk person'
            else 'Värdkommun: inte angiven i registret'
        end as host_text,
        latest_years.latest_data_year,
        agreements.sources,
        agreements.unverified_fields,
        agreements.illustrative_sections,
        coalesce(len(agreements.illustrative_sections) > 0, false) as has_illustrative_figures,
        agreements.notes,
        agreements.source_file,
        '/samverkan/' || agreements.agreement_id || '/' as page_link
    from agreements
    left join areas
        on agreements.area_id = areas.area_id
    left join kommuner as hosts
        on agreements.host_municipality_id = hosts.municipality_id
    left join kommuner as seats
        on agreements.seat_municipality_id = seats.municipality_id
    left join group_titles
        on agreements.kolada_group_id = group_titles.group_id
    left join member_lists
        on agreements.agreement_id = member_lists.agreement_id
    left join latest_years
        on agreements.agreement_id = latest_years.agreement_id
)

select * from final
