-- One row per check of the latest validation run of each suite (Great Expectations results).
select
    suite,
    table_name,
    description,
    expectation,
    severity_text,
    success,
    status_text,
    coalesce(cast(unexpected_count as varchar), '–') as unexpected_count,
    sv_time(checked_at) as checked_at
from marts.fct_quality_checks
order by success, suite, expectation
