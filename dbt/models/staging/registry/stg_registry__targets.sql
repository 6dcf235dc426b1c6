with

source as (
    select * from {{ source('registry', 'registry_targets') }}
),

final as (
    select
        cast(source.agreement_id as varchar) as agreement_id,
        cast(source.target_no as integer) as target_no,
        cast(source.measure as varchar) as measure,
        cast(source.comparison as varchar) as comparison,
        cast(source.target_value as double) as target_value,
        cast(source.from_year as integer) as from_year,
        cast(source.to_year as integer) as to_year,
        cast(source.scope as varchar) as scope,
        cast(source.comment as varchar) as comment,
        cast(source.action as varchar) as action
    from source
)

select * from final
