with

source as (
    select * from {{ source('analysis', 'effect_kpi_roles') }}
),

final as (
    select
        cast(source.agreement_id as varchar) as agreement_id,
        cast(source.dimension as varchar) as dimension,
        cast(source.kpi_id as varchar) as kpi_id,
        cast(source.kpi_role as varchar) as kpi_role
    from source
)

select * from final
