with

estimates as (
    select * from {{ source('analysis', 'effect_estimates') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

kpis as (
    select * from {{ ref('dim_kpis') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

flag_texts as (
    select * from {{ ref('dim_effect_flags') }}
),

named as (
    select
        estimates.agreement_id,
        agreements.agreement_name,
        estimates.municipality_id,
        estimates.municipality_id = 'total' as is_total,
        {{
            member_name('estimates.municipality_id', 'municipalities.municipality_name')
        }} as municipality_name,
        estimates.is_host,
        estimates.kpi_id,
        coalesce(kpis.kpi_title, estimates.kpi_id) as kpi_title,
        kpis.unit,
        estimates.dimension,
        estimates.better,
        estimates.method,
        estimates.effect,
        estimates.effect_pct,
        estimates.ci_low,
        estimates.ci_high,
        estimates.p_value,
        estimates.mde,
        estimates.mde_pct,
        estimates.pre_level,
        estimates.pre_rmspe,
        estimates.pre_years,
        estimates.post_years,
        estimates.join_year,
        estimates.n_donors,
        estimates.n_placebos,
        estimates.pretrend_violated,
        estimates.pre_fit_p,
        estimates.in_time_p,
        coalesce(estimates.flags, '') as flags
    from estimates
    left join agreements
        on estimates.agreement_id = agreements.agreement_id
    left join kpis
        on estimates.kpi_id = kpis.kpi_id
    left join municipalities
        on estimates.municipality_id = municipalities.municipality_id
),

flagged as (
    select
        named.*,
        named.effect is not null as is_estimated,
        case
            when named.flags = '' then cast([] as varchar[])
            else string_split(named.flags, ',')
        end as flag_list
    from named
),

-- The flags in words, in code order; a code without words is shown as it is.
flag_words as (
    select
        flagged.agreement_id,
        flagged.municipality_id,
        flagged.kpi_id,
        flagged.method,
        string_agg(
            coalesce(flag_texts.flag_text, codes.flag), '; ' order by codes.flag
        ) as flags_text
    from flagged
    cross join unnest(flagged.flag_list) as codes (flag)
    left join flag_texts on codes.flag = flag_texts.flag
    group by
        flagged.agreement_id,
        flagged.municipality_id,
        flagged.kpi_id,
        flagged.method
),

final as (
    select
        flagged.*,
        coalesce(flag_words.flags_text, '') as flags_text
    from flagged
    left join flag_words
        on
            flagged.agreement_id = flag_words.agreement_id
            and flagged.municipality_id = flag_words.municipality_id
            and flagged.kpi_id = flag_words.kpi_id
            and flagged.method = flag_words.method
)

select * from final
