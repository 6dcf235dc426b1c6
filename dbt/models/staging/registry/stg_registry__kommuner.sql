with

source as (
    select * from {{ source('registry', 'registry_kommuner') }}
),

final as (
    select
        cast(source.kommun as varchar) as municipality_id,
        cast(source.name as varchar) as municipality_name,
        nullif(cast(source.lan as varchar), '') as county_name
    from source
)

select * from final
