with

source as (
    select * from {{ source('registry', 'registry_areas') }}
),

final as (
    select
        cast(source.area as varchar) as area_id,
        cast(source.title as varchar) as area_title,
        cast(source.comparison_group as varchar) as comparison_group
    from source
)

select * from final
