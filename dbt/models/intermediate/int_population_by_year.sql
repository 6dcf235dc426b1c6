with

kolada_values as (
    select * from {{ ref('stg_kolada__values') }}
),

final as (
    select
        kolada_values.municipality_id,
        kolada_values.year,
        kolada_values.value as population,
        kolada_values.response_id
    from kolada_values
    where
        kolada_values.kpi_id = '{{ var("population_kpi") }}'
        and kolada_values.gender = 'T'
        and not coalesce(kolada_values.is_deleted, false)
        and kolada_values.value is not null
)

select * from final
