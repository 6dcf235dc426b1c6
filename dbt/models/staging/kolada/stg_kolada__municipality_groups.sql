with

source as (
    select * from {{ source('kolada', 'kolada_municipality_groups') }}
),

final as (
    select
        cast(source.group_id as varchar) as group_id,
        cast(source.group_title as varchar) as group_title,
        cast(source.municipality_id as varchar) as municipality_id,
        cast(source.response_id as varchar) as response_id
    from source
)

select * from final
