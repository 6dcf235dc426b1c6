with

source as (
    select * from {{ source('extract', 'responses') }}
),

-- The gzip body stays in raw: marts only need where a figure came from.
final as (
    select
        cast(source.response_id as varchar) as response_id,
        cast(source.source as varchar) as source_name,
        cast(source.url as varchar) as url,
        cast(source.fetched_at as timestamptz) as fetched_at,
        cast(source.http_status as integer) as http_status,
        cast(source.sha256 as varchar) as sha256
    from source
)

select * from final
