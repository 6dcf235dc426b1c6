with

source as (
    select * from {{ source('registry', 'registry_ledger') }}
),

final as (
    select
        cast(source.agreement_id as varchar) as agreement_id,
        cast(source.year as integer) as year,
        cast(source.kommun as varchar) as municipality_id,
        cast(source.paid_tkr as double) as paid_tkr,
        cast(source.host_cost_tkr as double) as host_cost_tkr
    from source
)

select * from final
