with

provenance as (
    select * from {{ ref('stg_extract__warehouse_source') }}
),

runs as (
    select * from {{ ref('stg_extract__runs') }}
),

kolada_values as (
    select * from {{ ref('stg_kolada__values') }}
),

latest_values as (
    select max(kolada_values.year) as latest_data_year
    from kolada_values
    where
        kolada_values.gender = 'T'
        and not coalesce(kolada_values.is_deleted, false)
        and kolada_values.value is not null
),

latest_runs as (
    select
        max(runs.run_finished_at) filter (where runs.source_name = 'kolada') as kolada_extracted_at,
        max(runs.run_finished_at) filter (where runs.source_name = 'scb') as scb_extracted_at
    from runs
),

held_source as (
    -- what the extract recorded the data to be; without a record the data is not known to be real
    select coalesce(max(provenance.data_source), 'demo') as data_source
    from provenance
),

final as (
    select
        held_source.data_source,
        held_source.data_source = 'demo' as is_demo,
        case
            when held_source.data_source = 'demo'
                then 'Demodata – simulerade värden, inte verklig statistik'
        end as banner_text,
        case when held_source.data_source = 'demo' then 'Demodata (simulerad)' else 'Kolada och SCB' end
            as source_text,
        latest_values.latest_data_year,
        latest_runs.kolada_extracted_at,
        latest_runs.scb_extracted_at,
        current_timestamp as built_at
    from latest_values
    cross join latest_runs
    cross join held_source
)

select * from final
