{{ config(materialized='view') }}
-- The checks of the latest validation run of each suite, in words. A view: the checks on the marts run
-- after dbt has built them, and the report must show those results, not the previous run's.
{%- set results = source('quality', 'validation_results') %}
with

{% if relation_exists(results) -%}
results as (
    select * from {{ results }}
),
{%- else -%}
results as (
    select
        cast(null as varchar) as run_id,
        cast(null as varchar) as suite,
        cast(null as varchar) as table_name,
        cast(null as varchar) as description,
        cast(null as varchar) as expectation,
        cast(null as varchar) as severity,
        cast(null as boolean) as success,
        cast(null as bigint) as unexpected_count,
        cast(null as timestamptz) as checked_at
    where false
),
{%- endif %}

latest_runs as (
    select
        results.suite,
        arg_max(results.run_id, results.checked_at) as run_id
    from results
    group by results.suite
),

final as (
    select
        results.suite,
        results.table_name,
        results.description,
        results.expectation,
        results.severity,
        case results.severity when 'blocking' then 'Stoppar kedjan' else 'Varning' end as severity_text,
        results.success,
        case when results.success then 'Godkänd' else 'Avviker' end as status_text,
        results.unexpected_count,
        results.checked_at
    from results
    inner join latest_runs on results.suite = latest_runs.suite and results.run_id = latest_runs.run_id
)

select * from final
