-- One row per registered cooperation × KPI: its own estimate, the national one and the shrunken one, with
-- the mart's Swedish text (marts.fct_agreement_peer_comparison). Derived figures: "Egna beräkningar på data
-- från Kolada".
select
    agreement_id,
    area_id,
    form,
    form_label,
    kpi_id,
    kpi_title,
    unit,
    dimension,
    n_peers,
    sv_signed(own_estimate, 1) as own_text,
    sv_interval(own_ci_low, own_ci_high, 1) as own_interval_text,
    sv_signed(national_estimate, 1) as national_text,
    sv_signed(shrunk_estimate, 1) as shrunk_text,
    replace(sv_num(100 * shrinkage, 0) || ' %', '– %', '–') as shrinkage_text,
    comparison_text,
    '/i-hela-landet/' || area_id || '/' as page_link
from marts.fct_agreement_peer_comparison
