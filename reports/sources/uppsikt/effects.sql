-- One row per cooperation × member kommun or whole × KPI × method: the effect, its interval and p-value
-- as Swedish text, and the flags in words. Derived figures: "Egna beräkningar på data från Kolada och SCB".
with

effects as (
    select * from marts.fct_agreement_effects
),

-- The estimator's flag codes in words (fct_agreement_effects carries only the codes).
flag_texts (flag, flag_text) as (
    values
        ('data_saknas', 'uppgifter saknas'),
        ('kort_forperiod', 'för kort förperiod'),
        ('kort_efterperiod', 'för kort efterperiod'),
        ('metodbrott', 'metodbytet 2019 lämnar för få jämförbara år'),
        ('metodbrott_fonster_kortat', 'perioden har kortats så att den inte korsar metodbytet'),
        ('fa_givare', 'för få jämförbara kommuner utanför samverkan'),
        ('dalig_anpassning', 'kontrollen följer inte kommunen väl före inträdet'),
        ('svagt_test', 'testet är för svagt för att upptäcka rimliga effekter'),
        ('for_fa_placebo', 'för få placebojämförelser för ett intervall'),
        ('preliminart_ar', 'senaste året är preliminärt'),
        ('preliminart_ar_utelamnat', 'det preliminära senaste året är utelämnat'),
        ('nettokostnad_vardkommun', 'nettokostnad för en värdkommun som säljer tjänsten är inte jämförbar'),
        ('redovisas_gemensamt', 'redovisas för samverkan och kopieras till varje medlem'),
        ('efterperiod_redovisas_gemensamt', 'värdet efter inträdet redovisas gemensamt för alla medlemmar'),
        ('tidigare_samverkan', 'medlem ingick i en tidigare samverkan inom området under förperioden'),
        ('medlemmar_tillkom_senare', 'medlemmar har tillkommit efter starten'),
        ('medlem_har_lamnat', 'medlem har lämnat samverkan'),
        ('medlem_utan_data', 'uppgifter saknas för någon medlem'),
        ('fortrend_bruten', 'olika trend före inträdet än jämförelsegruppen'),
        ('jamforelse_kolada', 'jämförelsegrupp: Koladas liknande kommuner'),
        ('jamforelse_grannar', 'jämförelsegrupp: närmaste kommuner i storlek och nivå')
),

flags as (
    select
        effects.agreement_id,
        effects.municipality_id,
        effects.kpi_id,
        effects.method,
        string_agg(coalesce(flag_texts.flag_text, codes.flag), '; ' order by codes.flag) as flags_text
    from effects
    cross join unnest(effects.flag_list) as codes (flag)
    left join flag_texts on codes.flag = flag_texts.flag
    group by all
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
        coalesce(flags.flags_text, '') as flags_text
    from effects
    left join flags
        on
            effects.agreement_id = flags.agreement_id
            and effects.municipality_id = flags.municipality_id
            and effects.kpi_id = flags.kpi_id
            and effects.method = flags.method
)

select * from final
order by agreement_id, dimension, kpi_id, method, role_order, municipality_name
