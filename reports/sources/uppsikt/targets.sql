-- One row per target of a cooperation: the latest value of its measure, the trend projected to the
-- target year and the status, as marts.fct_agreement_targets judges them; here only Swedish formats.
select
    agreement_id,
    target_no,
    measure,
    measure_title,
    unit,
    scope,
    scope_name,
    target_value,
    comparison_text || ' ' || sv_num(target_value, 1) as target_text,
    cast(target_year as varchar) as target_year,
    coalesce(cast(latest_year as varchar), '–') as latest_year,
    sv_num(latest_value, 1) as latest_text,
    sv_num(projected_value, 1) as projected_text,
    status,
    status_text,
    status_rule_text,
    latest_is_preliminary,
    coalesce(comment, '') as comment,
    coalesce(action, '') as action
from marts.fct_agreement_targets
order by agreement_id, target_no
