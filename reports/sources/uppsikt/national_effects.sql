-- One row per area × form × KPI × years since start, and one overall row (event_year null): the national
-- estimate in the KPI's unit and in %, its interval, and the mart's Swedish texts. Derived figures: "Egna
-- beräkningar på data från Kolada".
with

national as (
    select * from marts.fct_national_effects
),

final as (
    select
        national.area_id,
        national.area_title,
        national.form,
        national.form_label,
        national.kpi_id,
        national.kpi_title,
        national.unit,
        national.dimension,
        national.event_year,
        national.is_overall,
        national.estimate,
        national.ci_low,
        national.ci_high,
        sv_signed(national.estimate, 1) as estimate_text,
        case when national.estimate_pct is null then '–' else sv_signed(national.estimate_pct, 1) || ' %' end
            as estimate_pct_text,
        case
            when national.ci_low is null or national.event_year = -1 then '–'
            else sv_num(national.ci_low, 1) || ' till ' || sv_num(national.ci_high, 1)
        end as interval_text,
        case
            when national.ci_low_pct is null or national.event_year = -1 then '–'
            else sv_num(national.ci_low_pct, 1) || ' till ' || sv_num(national.ci_high_pct, 1) || ' %'
        end as interval_pct_text,
        national.n_cooperations,
        national.n_municipalities,
        sv_num(national.pretrend_p, 2) as pretrend_p_text,
        national.pretrend_rejected,
        national.interpretation,
        coalesce(national.research_text, '') as research_text,
        '/i-hela-landet/' || national.area_id || '/' as page_link
    from national
)

select * from final
