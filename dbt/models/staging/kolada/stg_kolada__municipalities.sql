with

source as (
    select * from {{ source('kolada', 'kolada_municipalities') }}
),

final as (
    select
        cast(source.id as varchar) as municipality_id,
        cast(source.title as varchar) as municipality_name,
        cast(source.type as varchar) as municipality_type,
        cast(source.response_id as varchar) as response_id
    from source
)

select * from final
