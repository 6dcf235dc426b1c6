-- The effects as the report shows them: labels for role, dimension and method, whether the method is
-- the primary one (rules.yaml), the KPI's part in its dimension's verdict as the estimator decided and
-- used it (stg_analysis__effect_kpi_roles; the rule lives in effects/roles.py only), and the data
-- cautions in words without a contradiction: a test cannot be "too weak" for an effect whose interval
-- already excludes zero.
with

effects as (
    select * from {{ ref('fct_agreement_effects') }}
),

methods as (
    select * from {{ ref('dim_effect_methods') }}
),

dimensions as (
    select * from {{ ref('dim_dimensions') }}
),

flag_texts as (
    select * from {{ ref('dim_effect_flags') }}
),

kpi_roles as (
    select * from {{ ref('stg_analysis__effect_kpi_roles') }}
),

judged as (
    select
        effects.*,
        coalesce(effects.ci_low > 0 or effects.ci_high < 0, false) as interval_excludes_zero
    from effects
),

shown_flags as (
    select
        judged.agreement_id,
        judged.municipality_id,
        judged.kpi_id,
        judged.method,
        string_agg(
            {{ flag_words('judged.municipality_id', 'codes.flag') }},
            '; ' order by codes.flag
        ) as flags_text
    from judged
    cross join unnest(judged.flag_list) as codes (flag)
    left join flag_texts on codes.flag = flag_texts.flag
    where not (codes.flag = 'svagt_test' and judged.interval_excludes_zero)
    group by judged.agreement_id, judged.municipality_id, judged.kpi_id, judged.method
),

final as (
    select
        judged.agreement_id,
        judged.agreement_name,
        judged.municipality_id,
        judged.is_total,
        judged.municipality_name,
        coalesce(judged.is_host, false) as is_host,
        case
            when judged.is_total then 'Helhet'
            when judged.is_host then 'Värdkommun'
            else 'Medlem'
        end as role_label,
        {{ role_order('judged.is_total', 'judged.is_host') }} as role_order,
        judged.kpi_id,
        judged.kpi_title,
        coalesce(judged.unit, '') as unit,
        judged.dimension,
        coalesce(dimensions.dimension_label, judged.dimension) as dimension_label,
        coalesce(dimensions.dimension_order, 9) as dimension_order,
        judged.method,
        coalesce(methods.method_label, judged.method) as method_label,
        coalesce(methods.is_primary, false) as is_primary_method,
        coalesce(kpi_roles.kpi_role, 'ger_ingen_dom') as kpi_role,
        coalesce(kpi_roles.kpi_role = 'primart', false) as is_primary_kpi,
        case coalesce(kpi_roles.kpi_role, 'ger_ingen_dom')
            when 'primart' then 'Primärt nyckeltal: avgör dimensionens dom'
            when 'sekundart' then 'Sekundärt nyckeltal: visas men avgör inte domen'
            when 'avgor_tillsammans' then 'Avgör domen tillsammans med dimensionens övriga nyckeltal'
            else 'Ger ingen dom'
        end as kpi_role_label,
        judged.effect,
        judged.effect_pct,
        judged.ci_low,
        judged.ci_high,
        judged.p_value,
        judged.mde,
        judged.mde_pct,
        judged.pre_rmspe,
        judged.join_year,
        coalesce(judged.n_donors, 0) as n_donors,
        coalesce(judged.n_placebos, 0) as n_placebos,
        judged.is_estimated,
        judged.interval_excludes_zero,
        judged.flag_list,
        coalesce(shown_flags.flags_text, '') as flags_text
    from judged
    left join kpi_roles
        on
            judged.agreement_id = kpi_roles.agreement_id
            and judged.kpi_id = kpi_roles.kpi_id
    left join methods on judged.method = methods.method
    left join dimensions on judged.dimension = dimensions.dimension
    left join shown_flags
        on
            judged.agreement_id = shown_flags.agreement_id
            and judged.municipality_id = shown_flags.municipality_id
            and judged.kpi_id = shown_flags.kpi_id
            and judged.method = shown_flags.method
)

select * from final
