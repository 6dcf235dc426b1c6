-- One row per cooperation × member kommun (or 'total') × KPI × year: the uncertainty band around the
-- primary method's counterfactual and its Swedish legend (marts.fct_agreement_effect_bands).
select
    agreement_id,
    municipality_id,
    kpi_id,
    year,
    counterfactual,
    band_low,
    band_high,
    band_label
from marts.fct_agreement_effect_bands
order by agreement_id, kpi_id, municipality_id, year
