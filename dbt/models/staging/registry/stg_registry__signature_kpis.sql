with

source as (
    select * from {{ source('registry', 'registry_signature_kpis') }}
),

final as (
    select
        cast(source.family as varchar) as family_id,
        cast(source.area as varchar) as area_id,
        cast(source.kpi as varchar) as kpi_id,
        cast(source.kind as varchar) as kind,
        cast(source.title as varchar) as kpi_title,
        cast(source.form as varchar) as family_form,
        cast(source.family_title as varchar) as family_title
    from source
)

select * from final
