-- One row per target of a cooperation: the latest value of its measure, the trend projected to the
-- target year and the status (Uppnått, På väg, Inte på väg, Uppgifter saknas).
-- No mart evaluates targets yet: the registry's targets come from staging.stg_registry__targets.
with

targets as (
    select * from staging.stg_registry__targets
),

kpi_values as (
    select * from marts.fct_agreement_kpi_values
),

costs as (
    select * from marts.fct_member_costs
),

kpis as (
    select * from marts.dim_kpis
),

municipalities as (
    select * from marts.dim_municipalities
),

-- Measures derived from SCB and the ledger (registry/areas.yaml, derived_measures).
derived_titles (measure, title, unit) as (
    values
        ('nettokostnad_kr_per_inv', 'Nettokostnad för området enligt RS, kr/inv', 'kr/inv'),
        ('nettokostnad_tkr', 'Nettokostnad för området enligt RS, tkr', 'tkr'),
        ('nettokostnad_forandring_pct', 'Årlig förändring av nettokostnad kr/inv enligt RS, procent', '%'),
        ('avgift_tkr', 'Betalt till samverkan enligt reskontran, tkr', 'tkr'),
        ('avgift_kr_per_inv', 'Betalt till samverkan enligt reskontran, kr/inv', 'kr/inv')
),

member_kpis as (
    select kpi_values.agreement_id, kpi_values.municipality_id as scope, kpi_values.kpi_id as measure,
        kpi_values.year, kpi_values.value, kpi_values.population
    from kpi_values
    where kpi_values.is_member_that_year and kpi_values.value is not null
),

-- The whole cooperation: population-weighted, not Kolada's unweighted group mean.
total_kpis as (
    select member_kpis.agreement_id, 'total' as scope, member_kpis.measure, member_kpis.year,
        sum(member_kpis.value * member_kpis.population) / sum(member_kpis.population) as value
    from member_kpis
    where member_kpis.population > 0
    group by all
),

member_costs as (
    select costs.agreement_id, costs.municipality_id as scope, costs.year,
        costs.scb_net_cost_tkr as net_tkr, costs.paid_tkr, costs.population
    from costs
    where costs.is_member_that_year
),

cost_scopes as (
    select * from member_costs
    union all
    select member_costs.agreement_id, 'total', member_costs.year, sum(member_costs.net_tkr),
        sum(member_costs.paid_tkr), sum(member_costs.population)
    from member_costs
    group by all
),

cost_measures as (
    select agreement_id, scope, year, measure, value
    from (
        select cost_scopes.*,
            cost_scopes.net_tkr * 1000 / nullif(cost_scopes.population, 0) as net_kr_per_inv
        from cost_scopes
    ) as c
    unpivot (value for measure in (
        net_tkr as 'nettokostnad_tkr',
        net_kr_per_inv as 'nettokostnad_kr_per_inv',
        paid_tkr as 'avgift_tkr'
    ))
),

change_measures as (
    select agreement_id, scope, year, 'nettokostnad_forandring_pct' as measure,
        100 * (value / lag(value) over (partition by agreement_id, scope order by year) - 1) as value
    from cost_measures
    where measure = 'nettokostnad_kr_per_inv'
),

measure_values as (
    select agreement_id, scope, measure, year, value from member_kpis
    union all select agreement_id, scope, measure, year, value from total_kpis
    union all select agreement_id, scope, measure, year, value from cost_measures
    union all select agreement_id, scope, measure, year, value from change_measures
),

target_values as (
    select targets.agreement_id, targets.target_no, measure_values.year, measure_values.value
    from targets
    inner join measure_values
        on
            targets.agreement_id = measure_values.agreement_id
            and targets.measure = measure_values.measure
            and targets.scope = measure_values.scope
    where measure_values.value is not null
),

-- The latest value and the trend over the last five years with a value.
recent_values as (
    select * from target_values
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
        regr_slope(recent_values.value, recent_values.year) as slope
    from recent_values
    group by all
),

evaluated as (
    select
        targets.*,
        trends.latest_year,
        trends.latest_value,
        -- A target without an end year holds from its first year on: judge it on the latest year.
        coalesce(targets.to_year, greatest(targets.from_year, trends.latest_year)) as target_year,
        trends.latest_value
        + coalesce(trends.slope, 0) * greatest(coalesce(targets.to_year, trends.latest_year) - trends.latest_year, 0)
            as projected_value
    from targets
    left join trends
        on targets.agreement_id = trends.agreement_id and targets.target_no = trends.target_no
),

final as (
    select
        evaluated.agreement_id,
        evaluated.target_no,
        evaluated.measure,
        coalesce(kpis.kpi_title, derived_titles.title, evaluated.measure) as measure_title,
        coalesce(kpis.unit, derived_titles.unit, '') as unit,
        case when evaluated.scope = 'total' then 'Samverkan som helhet'
            else coalesce(municipalities.municipality_name, evaluated.scope) end as scope_name,
        (case evaluated.comparison when '<=' then 'högst ' else 'minst ' end)
            || sv_num(evaluated.target_value, 1) as target_text,
        cast(evaluated.target_year as varchar) as target_year,
        coalesce(cast(evaluated.latest_year as varchar), '–') as latest_year,
        sv_num(evaluated.latest_value, 1) as latest_text,
        sv_num(evaluated.projected_value, 1) as projected_text,
        case
            when evaluated.latest_value is null then 'saknas'
            when (evaluated.comparison = '<=' and evaluated.latest_value <= evaluated.target_value)
                or (evaluated.comparison = '>=' and evaluated.latest_value >= evaluated.target_value)
                then 'uppnatt'
            when evaluated.latest_year >= evaluated.target_year then 'ej_uppnatt'
            when (evaluated.comparison = '<=' and evaluated.projected_value <= evaluated.target_value)
                or (evaluated.comparison = '>=' and evaluated.projected_value >= evaluated.target_value)
                then 'pa_vag'
            else 'inte_pa_vag'
        end as status
    from evaluated
    left join kpis on evaluated.measure = kpis.kpi_id
    left join derived_titles on evaluated.measure = derived_titles.measure
    left join municipalities on evaluated.scope = municipalities.municipality_id
)

select
    final.*,
    case final.status
        when 'uppnatt' then 'Uppnått'
        when 'pa_vag' then 'På väg'
        when 'inte_pa_vag' then 'Inte på väg'
        when 'ej_uppnatt' then 'Inte uppnått'
        else 'Uppgifter saknas'
    end as status_text
from final
order by agreement_id, target_no
