-- One row per cooperation × member kommun or whole × KPI × method: the effect, its interval and p-value
-- as Swedish text, and the flags in words (the mart words them). Derived figures: "Egna beräkningar på
-- data från Kolada och SCB".
with

effects as (
    select * from marts.fct_agreement_effects
),

final as (
    select
        effects.agreement_id,
        effects.municipality_id,
        effects.is_total,
        effects.municipality_name,
        coalesce(effects.is_host, false) as is_host,
        case
            when effects.is_total then 'Helhet'
            when effects.is_host then 'Värdkommun'
            else 'Medlem'
        end as role_label,
        case when effects.is_total then 0 when effects.is_host then 1 else 2 end as role_order,
        effects.kpi_id,
        effects.kpi_title,
        coalesce(effects.unit, '') as unit,
        effects.dimension,
        sv_dimension(effects.dimension) as dimension_label,
        effects.method,
        case effects.method
            when 'synthetic_control' then 'Syntetisk kontroll'
            when 'diff_in_diff' then 'Skillnad i skillnader'
            else effects.method
        end as method_label,
        effects.effect,
        effects.is_estimated,
        case when effects.is_estimated then sv_signed(effects.effect, 1) else '–' end as effect_text,
        case when effects.is_estimated then sv_signed(effects.effect_pct, 1) || ' %' else '–' end
            as effect_pct_text,
        case
            when effects.ci_low is null or not isfinite(effects.ci_low) then '–'
            else sv_num(effects.ci_low, 1) || ' till ' || sv_num(effects.ci_high, 1)
        end as interval_text,
        sv_num(effects.p_value, 2) as p_value_text,
        sv_num(effects.pre_rmspe, 1) as pre_rmspe_text,
        coalesce(cast(effects.join_year as varchar), '–') as join_year,
        coalesce(effects.n_donors, 0) as n_donors,
        effects.flags_text
    from effects
)

select * from final
order by agreement_id, dimension, kpi_id, method, role_order, municipality_name
