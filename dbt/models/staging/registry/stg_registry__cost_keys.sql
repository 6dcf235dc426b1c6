with

source as (
    select * from {{ source('registry', 'registry_cost_keys') }}
),

final as (
    select
        cast(source.agreement_id as varchar) as agreement_id,
        cast(source.from_year as integer) as from_year,
        cast(source.rule as varchar) as key_rule,
        cast(source.kommun as varchar) as municipality_id,
        cast(source.share_pct as double) as share_pct
    from source
)

select * from final
