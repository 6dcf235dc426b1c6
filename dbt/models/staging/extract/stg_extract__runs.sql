with

source as (
    select * from {{ source('extract', 'extract_runs') }}
),

final as (
    select
        cast(source.source as varchar) as source_name,
        cast(source.run_started_at as timestamptz) as run_started_at,
        cast(source.run_finished_at as timestamptz) as run_finished_at,
        cast(source.from_date as date) as from_date,
        cast(source.requests as integer) as request_count,
        cast(source.rows as integer) as row_count,
        cast(source.status as varchar) as status
    from source
)

select * from final
