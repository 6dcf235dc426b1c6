with

source as (
    select * from {{ source('extract', 'warehouse_source') }}
),

final as (
    select
        cast(source.source as varchar) as data_source,
        cast(source.recorded_at as timestamptz) as recorded_at
    from source
)

select * from final
