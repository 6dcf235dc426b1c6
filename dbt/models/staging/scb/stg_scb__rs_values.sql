with

source as (
    select * from {{ source('scb', 'scb_rs_values') }}
),

final as (
    select
        cast(source.region as varchar) as region_id,
        cast(source.verksamhet as varchar) as verksamhet_id,
        cast(source.contents_code as varchar) as contents_code,
        cast(source.year as integer) as year,
        cast(source.value_tkr as double) as value_tkr,
        cast(source.response_id as varchar) as response_id
    from source
)

select * from final
