with

source as (
    select * from {{ source('kolada', 'kolada_values') }}
),

final as (
    select
        cast(source.kpi as varchar) as kpi_id,
        cast(source.municipality as varchar) as municipality_id,
        cast(source.year as integer) as year,
        cast(source.gender as varchar) as gender,
        cast(source.value as double) as value,
        cast(source.count as integer) as member_count,
        cast(source.status as varchar) as status,
        cast(source.is_deleted as boolean) as is_deleted,
        cast(source.response_id as varchar) as response_id,
        cast(source.loaded_at as timestamptz) as loaded_at
    from source
)

select * from final
