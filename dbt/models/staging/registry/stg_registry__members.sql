with

source as (
    select * from {{ source('registry', 'registry_members') }}
),

final as (
    select
        cast(source.agreement_id as varchar) as agreement_id,
        cast(source.kommun as varchar) as municipality_id,
        cast(source.joined as date) as joined_on,
        cast(source.left_on as date) as left_on
    from source
)

select * from final
