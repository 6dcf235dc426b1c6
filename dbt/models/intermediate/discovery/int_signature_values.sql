with

kolada_values as (
    select * from {{ ref('stg_kolada__values') }}
),

signature_kpis as (
    select * from {{ ref('stg_registry__signature_kpis') }}
),

kommuner as (
    select * from {{ ref('stg_registry__kommuner') }}
),

final as (
    select
        signature_kpis.family_id,
        signature_kpis.area_id,
        signature_kpis.kind,
        kolada_values.kpi_id,
        kolada_values.municipality_id,
        kolada_values.year,
        kolada_values.value
    from kolada_values
    inner join signature_kpis
        on kolada_values.kpi_id = signature_kpis.kpi_id
    inner join kommuner
        on kolada_values.municipality_id = kommuner.municipality_id
    where
        kolada_values.gender = 'T'
        and not coalesce(kolada_values.is_deleted, false)
        and kolada_values.value is not null
)

select * from final
