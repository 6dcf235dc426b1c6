-- One row about the build: which source the warehouse was filled from (the build passes
-- EVIDENCE_VAR__uppsikt_source; anything but 'live' counts as demo, so the banner errs on the safe side).
select
    '${uppsikt_source}' as data_source,
    '${uppsikt_source}' <> 'live' as is_demo,
    (select max(year) from marts.fct_agreement_kpi_values where value is not null) as latest_year
