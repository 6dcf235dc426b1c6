with

registry_kommuner as (
    select * from {{ ref('stg_registry__kommuner') }}
),

kolada_municipalities as (
    select * from {{ ref('stg_kolada__municipalities') }}
),

population as (
    select * from {{ ref('int_population_by_year') }}
),

members as (
    select * from {{ ref('stg_registry__members') }}
),

kolada_kommuner as (
    select kolada_municipalities.*
    from kolada_municipalities
    where kolada_municipalities.municipality_type = 'K'
),

latest_population as (
    select
        population.municipality_id,
        population.year as population_year,
        population.population
    from population
    qualify row_number() over (
        partition by population.municipality_id order by population.year desc
    ) = 1
),

memberships as (
    select
        members.municipality_id,
        count(distinct members.agreement_id) as agreement_count
    from members
    group by members.municipality_id
),

kommun_ids as (
    select registry_kommuner.municipality_id from registry_kommuner
    union
    select kolada_kommuner.municipality_id from kolada_kommuner
),

final as (
    select
        kommun_ids.municipality_id,
        coalesce(registry_kommuner.municipality_name, kolada_kommuner.municipality_name) as municipality_name,
        left(kommun_ids.municipality_id, 2) as county_id,
        registry_kommuner.county_name,
        latest_population.population as population_latest,
        latest_population.population_year,
        coalesce(memberships.agreement_count, 0) as agreement_count,
        registry_kommuner.municipality_id is not null as is_in_registry,
        kolada_kommuner.municipality_id is not null as is_in_kolada
    from kommun_ids
    left join registry_kommuner
        on kommun_ids.municipality_id = registry_kommuner.municipality_id
    left join kolada_kommuner
        on kommun_ids.municipality_id = kolada_kommuner.municipality_id
    left join latest_population
        on kommun_ids.municipality_id = latest_population.municipality_id
    left join memberships
        on kommun_ids.municipality_id = memberships.municipality_id
)

select * from final
