-- One row per cooperation × member kommun × KPI × year × line: the observed series and the primary
-- method's counterfactual (marts.fct_agreement_effect_lines picks the method from rules.yaml).
select
    agreement_id,
    municipality_id,
    municipality_name,
    is_host,
    role_order,
    kpi_id,
    year,
    period,
    line,
    line_order,
    value
from marts.fct_agreement_effect_lines
order by agreement_id, kpi_id, municipality_id, line_order, year
