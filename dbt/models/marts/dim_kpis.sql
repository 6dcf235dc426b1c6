with

area_kpis as (
    select * from {{ ref('stg_registry__area_kpis') }}
),

kolada_kpis as (
    select * from {{ ref('stg_kolada__kpis') }}
),

kolada_values as (
    select * from {{ ref('stg_kolada__values') }}
),

-- A KPI followed in several areas keeps the attributes of its first area (context last).
followed as (
    select
        area_kpis.*,
        list(area_kpis.area_id order by area_kpis.area_id) over (
            partition by area_kpis.kpi_id
        ) as area_ids
    from area_kpis
    qualify row_number() over (
        partition by area_kpis.kpi_id
        order by (area_kpis.area_id = '_context'), area_kpis.area_id
    ) = 1
),

data_years as (
    select
        kolada_values.kpi_id,
        min(kolada_values.year) as first_data_year,
        max(kolada_values.year) as latest_data_year
    from kolada_values
    where
        kolada_values.gender = 'T'
        and not coalesce(kolada_values.is_deleted, false)
        and kolada_values.value is not null
    group by kolada_values.kpi_id
),

final as (
    select
        followed.kpi_id,
        coalesce(followed.kpi_title, kolada_kpis.kpi_title) as kpi_title,
        followed.area_id,
        followed.area_ids,
        followed.area_id = '_context' as is_context,
        followed.dimension,
        followed.better,
        followed.unit,
        followed.cost_basis,
        followed.is_reported_jointly,
        followed.method_break_year,
        kolada_kpis.kpi_title as kolada_title,
        kolada_kpis.kpi_description as kolada_description,
        kolada_kpis.operating_area,
        kolada_kpis.is_divided_by_gender,
        kolada_kpis.prel_publication_date,
        kolada_kpis.publication_date,
        kolada_kpis.publ_period,
        kolada_kpis.kpi_id is not null as has_kolada_metadata,
        data_years.first_data_year,
        data_years.latest_data_year
    from followed
    left join kolada_kpis
        on followed.kpi_id = kolada_kpis.kpi_id
    left join data_years
        on followed.kpi_id = data_years.kpi_id
)

select * from final
