-- One row per cooperation, with its form in words and the link to its page.
with

agreements as (
    select * from marts.dim_agreements
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
        agreements.area_title,
        agreements.purpose_text,
        agreements.host_municipality_id,
        coalesce(agreements.host_name, '–') as host_name,
        agreements.seat_name,
        agreements.start_date,
        agreements.end_date,
        coalesce(strftime(agreements.start_date, '%Y-%m-%d'), '–') as start_label,
        year(agreements.start_date) as start_year,
        agreements.is_active,
        agreements.member_count,
        coalesce(agreements.members_text, '–') as members_text,
        cast(agreements.latest_data_year as varchar) as latest_data_year,
        agreements.has_illustrative_figures,
        agreements.notes,
        '/samverkan/' || agreements.agreement_id || '/' as page_link
    from agreements
)

select * from final
order by agreement_name
