-- One row per area × form × KPI × years since start, and one overall row (event_year null): the national
-- estimate in the KPI's unit and in %, its interval, and the mart's Swedish texts, as marts.fct_national_effects
-- holds them. Derived figures: "Egna beräkningar på data från Kolada".
select
    area_id,
    area_title,
    form,
    form_label,
    kpi_id,
    kpi_title,
    unit,
    dimension,
    event_year,
    is_overall,
    estimate,
    ci_low,
    ci_high,
    sv_signed(estimate, 1) as estimate_text,
    sv_pct_signed(estimate_pct, 1) as estimate_pct_text,
    sv_interval(ci_low, ci_high, 1) as interval_text,
    replace(sv_interval(ci_low_pct, ci_high_pct, 1) || ' %', '– %', '–') as interval_pct_text,
    n_cooperations,
    n_municipalities,
    sv_num(pretrend_p, 2) as pretrend_p_text,
    pretrend_rejected,
    interpretation,
    coalesce(research_text, '') as research_text,
    '/i-hela-landet/' || area_id || '/' as page_link
from marts.fct_national_effects
