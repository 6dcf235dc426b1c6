with

source as (
    select * from {{ source('kolada', 'kolada_kpis') }}
),

final as (
    select
        cast(source.id as varchar) as kpi_id,
        cast(source.title as varchar) as kpi_title,
        cast(source.description as varchar) as kpi_description,
        cast(source.municipality_type as varchar) as municipality_type,
        cast(source.is_divided_by_gender as integer) = 1 as is_divided_by_gender,
        cast(source.operating_area as varchar) as operating_area,
        cast(source.perspective as varchar) as perspective,
        try_cast(source.prel_publication_date as date) as prel_publication_date,
        try_cast(source.publication_date as date) as publication_date,
        cast(source.publ_period as varchar) as publ_period,
        cast(source.has_ou_data as boolean) as has_ou_data,
        cast(source.extra as json) as extra,
        cast(source.response_id as varchar) as response_id
    from source
)

select * from final
