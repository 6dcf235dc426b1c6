with

targets as (
    select * from {{ ref('stg_registry__targets') }}
),

kpi_values as (
    select * from {{ ref('fct_agreement_kpi_values') }}
),

costs as (
    select * from {{ ref('fct_member_costs') }}
),

kpis as (
    select * from {{ ref('dim_kpis') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

-- Measures derived from SCB and the ledger (registry/areas.yaml, derived_measures): no staging model
-- carries their titles.
derived_titles (measure, title, unit) as (
    values
    ('nettokostnad_kr_per_inv', 'Nettokostnad för området enligt RS, kr/inv', 'kr/inv'),
    ('nettokostnad_tkr', 'Nettokostnad för området enligt RS, tkr', 'tkr'),
    (
        'nettokostnad_forandring_pct',
        'Årlig förändring av nettokostnad kr/inv enligt RS, procent',
        '%'
    ),
    ('avgift_tkr', 'Betalt till samverkan enligt reskontran, tkr', 'tkr'),
    ('avgift_kr_per_inv', 'Betalt till samverkan enligt reskontran, kr/inv', 'kr/inv')
),

member_kpis as (
    select
        kpi_values.agreement_id,
        kpi_values.municipality_id as scope,
        kpi_values.kpi_id as measure,
        kpi_values.year,
        kpi_values.value,
        kpi_values.population
    from kpi_values
    where kpi_values.is_member_that_year and kpi_values.value is not null
),

-- The whole cooperation: population-weighted, not Kolada's unweighted group mean.
total_kpis as (
    select
        member_kpis.agreement_id,
        'total' as scope,
        member_kpis.measure,
        member_kpis.year,
        sum(member_kpis.value * member_kpis.population)
        / sum(member_kpis.population) as value
    from member_kpis
    where member_kpis.population > 0
    group by member_kpis.agreement_id, member_kpis.measure, member_kpis.year
),

member_costs as (
    select
        costs.agreement_id,
        costs.municipality_id as scope,
        costs.year,
        costs.scb_net_cost_tkr as net_tkr,
        costs.paid_tkr,
        costs.population
    from costs
    where costs.is_member_that_year
),

cost_scopes as (
    select
        member_costs.agreement_id,
        member_costs.scope,
        member_costs.year,
        member_costs.net_tkr,
        member_costs.paid_tkr,
        member_costs.population
    from member_costs
    union all
    select
        member_costs.agreement_id,
        'total' as scope,
        member_costs.year,
        sum(member_costs.net_tkr) as net_tkr,
        sum(member_costs.paid_tkr) as paid_tkr,
        sum(member_costs.population) as population
    from member_costs
    group by member_costs.agreement_id, member_costs.year
),

cost_measures as (
    select
        cost_scopes.agreement_id,
        cost_scopes.scope,
        cost_scopes.year,
        'nettokostnad_tkr' as measure,
        cost_scopes.net_tkr as value
    from cost_scopes
    union all
    select
        cost_scopes.agreement_id,
        cost_scopes.scope,
        cost_scopes.year,
        'nettokostnad_kr_per_inv' as measure,
        cost_scopes.net_tkr * 1000 / nullif(cost_scopes.population, 0) as value
    from cost_scopes
    union all
    select
        cost_scopes.agreement_id,
        cost_scopes.scope,
        cost_scopes.year,
        'avgift_tkr' as measure,
        cost_scopes.paid_tkr as value
    from cost_scopes
),

change_measures as (
    select
        cost_measures.agreement_id,
        cost_measures.scope,
        cost_measures.year,
        'nettokostnad_forandring_pct' as measure,
        100 * (
            cost_measures.value / lag(cost_measures.value) over (
                partition by cost_measures.agreement_id, cost_measures.scope
                order by cost_measures.year
            ) - 1
        ) as value
    from cost_measures
    where
        cost_measures.measure = 'nettokostnad_kr_per_inv'
        -- A year without a value is skipped: the change is to the previous year with one.
        and cost_measures.value is not null
),

measure_values as (
    select
        member_kpis.agreement_id,
        member_kpis.scope,
        member_kpis.measure,
        member_kpis.year,
        member_kpis.value
    from member_kpis
    union all
    select
        total_kpis.agreement_id,
        total_kpis.scope,
        total_kpis.measure,
        total_kpis.year,
        total_kpis.value
    from total_kpis
    union all
    select
        cost_measures.agreement_id,
        cost_measures.scope,
        cost_measures.measure,
        cost_measures.year,
        cost_measures.value
    from cost_measures
    union all
    select
        change_measures.agreement_id,
        change_measures.scope,
        change_measures.measure,
        change_measures.year,
        change_measures.value
    from change_measures
),

target_values as (
    select
        targets.agreement_id,
        targets.target_no,
        measure_values.year,
        measure_values.value
    from targets
    inner join measure_values
        on
            targets.agreement_id = measure_values.agreement_id
            and targets.measure = measure_values.measure
            and targets.scope = measure_values.scope
    where measure_values.value is not null
),

-- The trend is fitted on the last five years up to the latest year with a value.
recent_values as (
    select
        target_values.agreement_id,
        target_values.target_no,
        target_values.year,
        target_values.value
    from target_values
    qualify target_values.year >= max(target_values.year) over (
        partition by target_values.agreement_id, target_values.target_no
    ) - 4
),

trends as (
    select
        recent_values.agreement_id,
        recent_values.target_no,
        max(recent_values.year) as latest_year,
        arg_max(recent_values.value, recent_values.year) as latest_value,
        -- One year gives no trend (regr_slope would say NaN): the value is then held flat.
        case
            when count(*) > 1
                then regr_slope(recent_values.value, recent_values.year)
        end as slope_per_year
    from recent_values
    group by recent_values.agreement_id, recent_values.target_no
),

evaluated as (
    select
        targets.agreement_id,
        targets.target_no,
        targets.measure,
        targets.comparison,
        targets.target_value,
        targets.scope,
        targets.from_year,
        targets.to_year,
        trends.latest_year,
        trends.latest_value,
        trends.slope_per_year,
        -- A target without an end year holds from its first year on: judge it on the latest year.
        coalesce(
            targets.to_year, greatest(targets.from_year, trends.latest_year)
        ) as target_year,
        trends.latest_value + coalesce(trends.slope_per_year, 0) * greatest(
            coalesce(targets.to_year, trends.latest_year) - trends.latest_year, 0
        ) as projected_value
    from targets
    left join trends
        on
            targets.agreement_id = trends.agreement_id
            and targets.target_no = trends.target_no
),

judged as (
    select
        evaluated.*,
        case
            when evaluated.latest_value is null then 'saknas'
            when
                {{
                    meets_target('evaluated.latest_value', 'evaluated.comparison', 'evaluated.target_value')
                }}
                then 'uppnatt'
            when evaluated.latest_year >= evaluated.target_year then 'ej_uppnatt'
            when
                {{
                    meets_target('evaluated.projected_value', 'evaluated.comparison', 'evaluated.target_value')
                }}
                then 'pa_vag'
            else 'inte_pa_vag'
        end as status
    from evaluated
),

-- A latest value is preliminary where Kolada marks it so for the member, or for any member of a total.
preliminary as (
    select
        kpi_values.agreement_id,
        kpi_values.kpi_id as measure,
        kpi_values.year,
        kpi_values.municipality_id as scope,
        bool_or(kpi_values.is_preliminary) as is_preliminary
    from kpi_values
    where kpi_values.is_member_that_year
    group by grouping sets (
        (kpi_values.agreement_id, kpi_values.kpi_id, kpi_values.year, kpi_values.municipality_id),
        (kpi_values.agreement_id, kpi_values.kpi_id, kpi_values.year)
    )
),

final as (
    select
        judged.agreement_id,
        judged.target_no,
        judged.measure,
        coalesce(kpis.kpi_title, derived_titles.title, judged.measure) as measure_title,
        coalesce(kpis.unit, derived_titles.unit, '') as unit,
        judged.comparison,
        case judged.comparison when '<=' then 'högst' else 'minst' end as comparison_text,
        judged.target_value,
        judged.scope,
        case
            when judged.scope = 'total' then 'Samverkan som helhet'
            else coalesce(municipalities.municipality_name, judged.scope)
        end as scope_name,
        judged.from_year,
        judged.to_year,
        judged.target_year,
        judged.latest_year,
        judged.latest_value,
        judged.slope_per_year,
        judged.projected_value,
        judged.status,
        case judged.status
            when 'uppnatt' then 'Uppnått'
            when 'pa_vag' then 'På väg'
            when 'inte_pa_vag' then 'Inte på väg'
            when 'ej_uppnatt' then 'Inte uppnått'
            else 'Uppgifter saknas'
        end as status_text,
        case judged.status
            when 'uppnatt' then 'Senaste värdet når målet.'
            when 'pa_vag' then 'Senaste värdet når inte målet, men trenden når det till målåret.'
            when 'inte_pa_vag' then 'Varken senaste värdet eller trenden till målåret når målet.'
            when 'ej_uppnatt' then 'Målåret har passerats utan att målet nåtts.'
            else 'Inga värden för måttet.'
        end as status_rule_text,
        coalesce(preliminary.is_preliminary, false) as latest_is_preliminary,
        targets.comment,
        targets.action
    from judged
    left join kpis on judged.measure = kpis.kpi_id
    left join derived_titles on judged.measure = derived_titles.measure
    left join municipalities on judged.scope = municipalities.municipality_id
    left join targets on judged.agreement_id = targets.agreement_id and judged.target_no = targets.target_no
    left join preliminary
        on
            judged.agreement_id = preliminary.agreement_id
            and judged.measure = preliminary.measure
            and judged.latest_year = preliminary.year
            and judged.scope = coalesce(preliminary.scope, 'total')
)

select * from final
