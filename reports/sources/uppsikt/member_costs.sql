-- One row per cooperation × member kommun × year with a payment or a cost: what was paid against the
-- cost key, the host's självkostnad, and the trail of every figure (KPI id, response, fetch time).
with

costs as (
    select * from marts.fct_member_costs
),

kpi_values as (
    select * from marts.fct_agreement_kpi_values
),

responses as (
    select * from staging.stg_extract__responses
),

municipalities as (
    select * from marts.dim_municipalities
),

agreements as (
    select * from marts.dim_agreements
),

checks as (
    select * from quality.validation_results
),

-- The latest validation run on this mart decides the test status shown next to every figure.
latest_checks as (
    select
        count(*) as check_count,
        count(*) filter (where not checks.success) as failed_count
    from checks
    where
        checks.table_name like '%fct_member_costs'
        and checks.run_id = (
            select last_run.run_id from checks as last_run
            where last_run.table_name like '%fct_member_costs'
            order by last_run.checked_at desc limit 1
        )
),

final as (
    select
        costs.agreement_id,
        agreements.agreement_name,
        costs.municipality_id,
        coalesce(municipalities.municipality_name, costs.municipality_id) as municipality_name,
        costs.year,
        cast(costs.year as varchar) as year_label,
        costs.is_host,
        case when costs.is_host then 'Värdkommun' else 'Medlem' end as role_label,
        costs.is_illustrative,
        costs.paid_tkr,
        sv_num(costs.paid_tkr, 0) as paid_text,
        costs.share_pct,
        sv_num(costs.share_pct, 1) as share_text,
        case costs.key_rule when 'fixed' then 'Fasta andelar' when 'population' then 'Folkmängd'
            else '–' end as key_rule_text,
        costs.expected_tkr,
        sv_num(costs.expected_tkr, 0) as expected_text,
        costs.difference_tkr,
        sv_signed(costs.difference_tkr, 0) as difference_text,
        costs.net_cost_kr_per_inv,
        sv_num(costs.net_cost_kr_per_inv, 0) as net_cost_kr_per_inv_text,
        costs.scb_net_cost_tkr,
        sv_num(costs.scb_net_cost_tkr, 0) as scb_net_cost_text,
        costs.agreement_host_cost_tkr,
        sv_num(costs.agreement_host_cost_tkr, 0) as host_cost_text,
        costs.agreement_charged_to_others_tkr,
        costs.agreement_host_surplus_tkr,
        sv_signed(costs.agreement_host_surplus_tkr, 0) as host_surplus_text,
        case
            when costs.agreement_host_surplus_tkr is null then 'Underlag saknas'
            when costs.agreement_host_surplus_tkr > 0 then 'Över självkostnad'
            else 'Inom självkostnad'
        end as self_cost_status,
        coalesce(costs.net_cost_kpi_id, '–') as kpi_id,
        coalesce(kpi_values.response_id, '–') as kolada_response_id,
        sv_time(kolada_responses.fetched_at) as kolada_fetched_at,
        coalesce(costs.scb_response_id, '–') as scb_response_id,
        sv_time(scb_responses.fetched_at) as scb_fetched_at,
        'marts.fct_member_costs' as model,
        case
            when latest_checks.check_count = 0 then 'Inte kontrollerad'
            when latest_checks.failed_count = 0 then 'Godkänd (' || latest_checks.check_count || ' kontroller)'
            else latest_checks.failed_count || ' av ' || latest_checks.check_count || ' kontroller avviker'
        end as test_status
    from costs
    left join agreements on costs.agreement_id = agreements.agreement_id
    left join municipalities on costs.municipality_id = municipalities.municipality_id
    left join kpi_values
        on
            costs.agreement_id = kpi_values.agreement_id
            and costs.municipality_id = kpi_values.municipality_id
            and costs.net_cost_kpi_id = kpi_values.kpi_id
            and costs.year = kpi_values.year
    left join responses as kolada_responses on kpi_values.response_id = kolada_responses.response_id
    left join responses as scb_responses on costs.scb_response_id = scb_responses.response_id
    cross join latest_checks
    where
        costs.is_member_that_year
        and (costs.paid_tkr is not null or costs.scb_net_cost_tkr is not null)
)

select * from final
order by agreement_name, year desc, is_host desc, municipality_name
