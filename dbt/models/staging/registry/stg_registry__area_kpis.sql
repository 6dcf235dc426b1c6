with

source as (
    select * from {{ source('registry', 'registry_area_kpis') }}
),

final as (
    select
        cast(source.area as varchar) as area_id,
        cast(source.kpi as varchar) as kpi_id,
        cast(source.title as varchar) as kpi_title,
        cast(source.dimension as varchar) as dimension,
        cast(source.better as varchar) as better,
        cast(source.unit as varchar) as unit,
        cast(source.cost_basis as varchar) as cost_basis,
        coalesce(cast(source.reported_jointly as boolean), false) as is_reported_jointly,
        cast(source.method_break as integer) as method_break_year,
        cast(source.caution as varchar) as caution,
        coalesce(cast(source.is_primary as boolean), false) as is_primary
    from source
)

select * from final
