-- What each member paid against the cost key, the host's självkostnad judged against a stated
-- tolerance, and the trail of every figure (RS line, Kolada KPI, responses with address and fetch time).
-- The report's Revisorer page and the Excel workbooks read this one mart.
{%- set tolerance = var('self_cost_tolerance_pct') %}
with

costs as (
    select * from {{ ref('fct_member_costs') }}
),

kpi_values as (
    select * from {{ ref('fct_agreement_kpi_values') }}
),

responses as (
    select * from {{ ref('stg_extract__responses') }}
),

area_scb as (
    select * from {{ ref('stg_registry__area_scb') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

rs_lines as (
    select
        area_scb.area_id,
        string_agg(distinct area_scb.verksamhet_id, ', ' order by area_scb.verksamhet_id) as rs_lines
    from area_scb
    group by area_scb.area_id
),

final as (
    select
        costs.agreement_id,
        coalesce(agreements.agreement_name, costs.agreement_id) as agreement_name,
        costs.municipality_id,
        coalesce(municipalities.municipality_name, costs.municipality_id) as municipality_name,
        cast(costs.year as integer) as year,
        costs.is_host,
        case when costs.is_host then 'Värdkommun' else 'Medlem' end as role_label,
        costs.is_illustrative,
        case when costs.is_illustrative then 'Ja' else 'Nej' end as illustrative_label,
        costs.paid_tkr,
        costs.share_pct,
        case costs.key_rule when 'fixed' then 'Fasta andelar' when 'population' then 'Folkmängd' end
            as key_rule_label,
        costs.expected_tkr,
        costs.difference_tkr,
        costs.net_cost_kr_per_inv,
        costs.scb_net_cost_tkr,
        costs.agreement_host_cost_tkr,
        costs.agreement_charged_to_others_tkr,
        costs.agreement_host_surplus_tkr,
        cast({{ tolerance }} as double) as self_cost_tolerance_pct,
        case
            when costs.agreement_host_surplus_tkr is null or costs.agreement_host_cost_tkr is null
                then 'Underlag saknas'
            when costs.agreement_host_surplus_tkr > abs(costs.agreement_host_cost_tkr) * {{ tolerance }} / 100
                then 'Över självkostnad (mer än {{ tolerance }} % över kostnaden)'
            else 'Inom självkostnad (högst {{ tolerance }} % över kostnaden)'
        end as self_cost_status,
        costs.net_cost_kpi_id as kpi_id,
        rs_lines.rs_lines as rs_line,
        kpi_values.response_id as kolada_response_id,
        kolada_responses.url as kolada_url,
        kolada_responses.fetched_at as kolada_fetched_at,
        costs.scb_response_id,
        scb_responses.url as scb_url,
        scb_responses.fetched_at as scb_fetched_at,
        'marts.fct_member_costs' as model
    from costs
    left join agreements on costs.agreement_id = agreements.agreement_id
    left join municipalities on costs.municipality_id = municipalities.municipality_id
    left join rs_lines on costs.area_id = rs_lines.area_id
    left join kpi_values
        on
            costs.agreement_id = kpi_values.agreement_id
            and costs.municipality_id = kpi_values.municipality_id
            and costs.net_cost_kpi_id = kpi_values.kpi_id
            and costs.year = kpi_values.year
    left join responses as kolada_responses on kpi_values.response_id = kolada_responses.response_id
    left join responses as scb_responses on costs.scb_response_id = scb_responses.response_id
    where
        costs.is_member_that_year
        and (costs.paid_tkr is not null or costs.scb_net_cost_tkr is not null)
)

select * from final
