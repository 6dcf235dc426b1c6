with

source as (
    select * from {{ source('registry', 'registry_area_scb') }}
),

final as (
    select
        cast(source.area as varchar) as area_id,
        cast(source.verksamhet as varchar) as verksamhet_id
    from source
)

select * from final
