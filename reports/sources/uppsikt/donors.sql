-- One row per cooperation × member kommun × KPI: the control kommuner of the primary method's
-- counterfactual and their weights (marts.fct_agreement_donor_rows lists them).
select
    agreement_id,
    municipality_id,
    municipality_name,
    kpi_id,
    donor_count,
    coalesce(donors_text, '–') as donors_text
from marts.fct_agreement_donor_rows
order by agreement_id, kpi_id, municipality_name
