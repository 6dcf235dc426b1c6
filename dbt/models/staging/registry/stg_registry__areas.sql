{#- raw.registry_areas is a proposed addition to the raw contract: until the extract side writes it,
    list the area keys the registry uses, without titles, so the pipeline still runs. -#}
{%- set areas_source = source('registry', 'registry_areas') -%}

{% if relation_exists(areas_source) %}

with

source as (
    select * from {{ areas_source }}
),

final as (
    select
        cast(source.area as varchar) as area_id,
        cast(source.title as varchar) as area_title,
        cast(source.comparison_group as varchar) as comparison_group
    from source
)

select * from final

{% else %}

with

area_kpis as (
    select * from {{ source('registry', 'registry_area_kpis') }}
),

area_scb as (
    select * from {{ source('registry', 'registry_area_scb') }}
),

agreements as (
    select * from {{ source('registry', 'registry_agreements') }}
),

area_keys as (
    select area_kpis.area from area_kpis
    union
    select area_scb.area from area_scb
    union
    select agreements.area from agreements
),

final as (
    select
        cast(area_keys.area as varchar) as area_id,
        cast(null as varchar) as area_title,
        cast(null as varchar) as comparison_group
    from area_keys
)

select * from final

{% endif %}
