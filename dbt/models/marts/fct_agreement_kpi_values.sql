with

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

area_kpis as (
    select * from {{ ref('stg_registry__area_kpis') }}
),

kolada_values as (
    select * from {{ ref('stg_kolada__values') }}
),

members_by_year as (
    select * from {{ ref('int_agreement_members_by_year') }}
),

population as (
    select * from {{ ref('int_population_by_year') }}
),

-- The cooperation's own area KPIs and the context KPIs every member is followed on; a KPI listed in
-- both keeps its area attributes.
agreement_kpis as (
    select
        agreements.agreement_id,
        area_kpis.kpi_id,
        area_kpis.dimension,
        area_kpis.is_reported_jointly,
        area_kpis.method_break_year,
        case when area_kpis.area_id = '_context' then 'context' else 'area' end as kpi_role
    from agreements
    inner join area_kpis
        on area_kpis.area_id in (agreements.area_id, '_context')
    qualify row_number() over (
        partition by agreements.agreement_id, area_kpis.kpi_id
        order by (area_kpis.area_id = '_context')
    ) = 1
),

total_values as (
    select
        kolada_values.kpi_id,
        kolada_values.municipality_id,
        kolada_values.year,
        kolada_values.value,
        kolada_values.status,
        kolada_values.response_id
    from kolada_values
    where kolada_values.gender = 'T' and not coalesce(kolada_values.is_deleted, false)
),

-- Kolada's latest year is preliminary until SCB's final publication.
kpi_latest_years as (
    select
        total_values.kpi_id,
        max(total_values.year) as latest_year
    from total_values
    where total_values.value is not null
    group by total_values.kpi_id
),

final as (
    select
        members_by_year.agreement_id,
        members_by_year.municipality_id,
        agreement_kpis.kpi_id,
        members_by_year.year,
        total_values.value,
        members_by_year.is_member as is_member_that_year,
        members_by_year.is_host,
        members_by_year.is_joining_year,
        members_by_year.years_since_joined,
        agreement_kpis.kpi_role,
        agreement_kpis.dimension,
        population.population,
        'kolada' as source,
        total_values.response_id,
        total_values.status,
        total_values.value is null as is_value_missing,
        coalesce(members_by_year.year = kpi_latest_years.latest_year, false) as is_preliminary,
        agreement_kpis.is_reported_jointly,
        coalesce(members_by_year.year >= agreement_kpis.method_break_year, false) as is_after_method_break
    from members_by_year
    inner join agreement_kpis
        on members_by_year.agreement_id = agreement_kpis.agreement_id
    inner join total_values
        on
            agreement_kpis.kpi_id = total_values.kpi_id
            and members_by_year.municipality_id = total_values.municipality_id
            and members_by_year.year = total_values.year
    left join kpi_latest_years
        on agreement_kpis.kpi_id = kpi_latest_years.kpi_id
    left join population
        on
            members_by_year.municipality_id = population.municipality_id
            and members_by_year.year = population.year
)

select * from final
