{#- raw.registry_signature_kpis comes with discovery: a warehouse loaded before it has no signatures. -#}
{%- set signatures_source = source('registry', 'registry_signature_kpis') -%}

{% if relation_exists(signatures_source) %}

with

source as (
    select * from {{ signatures_source }}
),

final as (
    select
        cast(source.family as varchar) as family_id,
        cast(source.area as varchar) as area_id,
        cast(source.kpi as varchar) as kpi_id,
        cast(source.kind as varchar) as kind,
        cast(source.title as varchar) as kpi_title,
        cast(source.form as varchar) as family_form,
        cast(source.family_title as varchar) as family_title
    from source
)

select * from final

{% else %}

select
    cast(null as varchar) as family_id,
    cast(null as varchar) as area_id,
    cast(null as varchar) as kpi_id,
    cast(null as varchar) as kind,
    cast(null as varchar) as kpi_title,
    cast(null as varchar) as family_form,
    cast(null as varchar) as family_title
where false

{% endif %}
