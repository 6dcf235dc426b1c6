-- One row per cooperation × member kommun or whole × KPI × method: the effect, its interval and p-value
-- as Swedish text; labels, the primary method, the KPI's part in the verdict (primary, secondary) and the
-- cautions come from marts.fct_agreement_effect_rows.
-- Derived figures: "Egna beräkningar på data från Kolada och SCB".
select
    agreement_id,
    municipality_id,
    is_total,
    municipality_name,
    is_host,
    role_label,
    role_order,
    kpi_id,
    kpi_title,
    unit,
    dimension,
    dimension_label,
    dimension_order,
    method,
    method_label,
    is_primary_method,
    kpi_role,
    is_primary_kpi,
    kpi_role_label,
    effect,
    is_estimated,
    sv_signed(effect, 1) as effect_text,
    sv_pct_signed(effect_pct, 1) as effect_pct_text,
    sv_interval(ci_low, ci_high, 1) as interval_text,
    interval_excludes_zero,
    sv_num(p_value, 2) as p_value_text,
    sv_num(mde_pct, 0) as mde_pct_text,
    sv_num(pre_rmspe, 1) as pre_rmspe_text,
    coalesce(cast(join_year as varchar), '–') as join_year,
    n_donors,
    n_placebos,
    flags_text
from marts.fct_agreement_effect_rows
order by agreement_id, dimension_order, kpi_id, method, role_order, municipality_name
