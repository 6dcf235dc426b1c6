-- One row per check of the latest validation run of each suite (Great Expectations results).
with

results as (
    select * from quality.validation_results
),

latest_runs as (
    select results.suite, arg_max(results.run_id, results.checked_at) as run_id
    from results
    group by results.suite
),

final as (
    select
        results.suite,
        results.table_name,
        results.description,
        results.expectation,
        case results.severity when 'blocking' then 'Stoppar kedjan' else 'Varning' end as severity_text,
        results.success,
        case when results.success then 'Godkänd' else 'Avviker' end as status_text,
        coalesce(cast(results.unexpected_count as varchar), '–') as unexpected_count,
        sv_time(results.checked_at) as checked_at
    from results
    inner join latest_runs on results.suite = latest_runs.suite and results.run_id = latest_runs.run_id
)

select * from final
order by success, suite, expectation
