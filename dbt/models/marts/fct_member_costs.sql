with

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

area_kpis as (
    select * from {{ ref('stg_registry__area_kpis') }}
),

area_scb as (
    select * from {{ ref('stg_registry__area_scb') }}
),

kolada_values as (
    select * from {{ ref('stg_kolada__values') }}
),

rs_values as (
    select * from {{ ref('stg_scb__rs_values') }}
),

ledger as (
    select * from {{ ref('stg_registry__ledger') }}
),

members_by_year as (
    select * from {{ ref('int_agreement_members_by_year') }}
),

population as (
    select * from {{ ref('int_population_by_year') }}
),

cost_keys as (
    select * from {{ ref('int_cost_keys_by_year') }}
),

-- The area's cost KPIs per inhabitant: Nettokostnad (sales to other kommuner not deducted) and Kostnad
-- (deducted, the comparable one for a host that sells the service).
area_cost_kpis as (
    select
        area_kpis.area_id,
        min(area_kpis.kpi_id) filter (where area_kpis.cost_basis = 'nettokostnad') as net_cost_kpi_id,
        min(area_kpis.kpi_id) filter (where area_kpis.cost_basis = 'kostnad') as cost_kpi_id
    from area_kpis
    where area_kpis.dimension = 'kostnad' and area_kpis.unit = 'kr/inv'
    group by area_kpis.area_id
),

total_values as (
    select
        kolada_values.kpi_id,
        kolada_values.municipality_id,
        kolada_values.year,
        kolada_values.value
    from kolada_values
    where kolada_values.gender = 'T' and not coalesce(kolada_values.is_deleted, false)
),

scb_net_costs as (
    select
        area_scb.area_id,
        rs_values.region_id as municipality_id,
        rs_values.year,
        sum(rs_values.value_tkr) as net_cost_tkr,
        min(rs_values.response_id) as response_id
    from rs_values
    inner join area_scb
        on rs_values.verksamhet_id = area_scb.verksamhet_id
    where rs_values.contents_code = '{{ var("scb_net_cost_code") }}'
    group by area_scb.area_id, rs_values.region_id, rs_values.year
),

latest_data_year as (
    select max(data_years.year) as latest_year
    from (
        select total_values.year
        from total_values
        where total_values.value is not null
        union all
        select scb_net_costs.year
        from scb_net_costs
    ) as data_years
),

member_rows as (
    select
        members_by_year.agreement_id,
        members_by_year.municipality_id,
        members_by_year.year,
        members_by_year.is_member as is_member_that_year,
        members_by_year.is_host,
        agreements.area_id,
        coalesce(
            list_has_any(agreements.illustrative_sections, ['cost_keys', 'ledger']), false
        ) as is_illustrative,
        population.population,
        area_cost_kpis.net_cost_kpi_id,
        net_cost.value as net_cost_kr_per_inv,
        area_cost_kpis.cost_kpi_id,
        own_cost.value as cost_kr_per_inv,
        scb_net_costs.net_cost_tkr as scb_net_cost_tkr,
        scb_net_costs.response_id as scb_response_id,
        ledger.paid_tkr,
        cost_keys.key_rule,
        cost_keys.key_from_year,
        cost_keys.share_pct
    from members_by_year
    inner join agreements
        on members_by_year.agreement_id = agreements.agreement_id
    left join population
        on
            members_by_year.municipality_id = population.municipality_id
            and members_by_year.year = population.year
    left join area_cost_kpis
        on agreements.area_id = area_cost_kpis.area_id
    left join total_values as net_cost
        on
            area_cost_kpis.net_cost_kpi_id = net_cost.kpi_id
            and members_by_year.municipality_id = net_cost.municipality_id
            and members_by_year.year = net_cost.year
    left join total_values as own_cost
        on
            area_cost_kpis.cost_kpi_id = own_cost.kpi_id
            and members_by_year.municipality_id = own_cost.municipality_id
            and members_by_year.year = own_cost.year
    left join scb_net_costs
        on
            agreements.area_id = scb_net_costs.area_id
            and members_by_year.municipality_id = scb_net_costs.municipality_id
            and members_by_year.year = scb_net_costs.year
    left join ledger
        on
            members_by_year.agreement_id = ledger.agreement_id
            and members_by_year.municipality_id = ledger.municipality_id
            and members_by_year.year = ledger.year
    left join cost_keys
        on
            members_by_year.agreement_id = cost_keys.agreement_id
            and members_by_year.municipality_id = cost_keys.municipality_id
            and members_by_year.year = cost_keys.year
),

-- What the cooperation cost in a year, and what the host charged the others against its own cost.
agreement_years as (
    select
        member_rows.agreement_id,
        member_rows.year,
        sum(member_rows.paid_tkr) as total_paid_tkr,
        sum(member_rows.paid_tkr) filter (where not member_rows.is_host) as charged_to_others_tkr,
        sum(member_rows.share_pct) filter (where not member_rows.is_host) as others_share_pct,
        sum(member_rows.net_cost_kr_per_inv * member_rows.population)
        / sum(member_rows.population) filter (where member_rows.net_cost_kr_per_inv is not null)
            as weighted_net_cost_kr_per_inv
    from member_rows
    where member_rows.is_member_that_year
    group by member_rows.agreement_id, member_rows.year
),

host_costs as (
    select
        ledger.agreement_id,
        ledger.year,
        sum(ledger.host_cost_tkr) as host_cost_tkr
    from ledger
    where ledger.host_cost_tkr is not null
    group by ledger.agreement_id, ledger.year
),

costed as (
    select
        member_rows.*,
        member_rows.net_cost_kr_per_inv * member_rows.population / 1000 as kolada_net_cost_tkr,
        agreement_years.total_paid_tkr as agreement_paid_tkr,
        host_costs.host_cost_tkr as agreement_host_cost_tkr,
        case
            when host_costs.host_cost_tkr is not null then 'host_cost'
            when agreement_years.total_paid_tkr is not null then 'total_paid'
        end as expected_basis,
        member_rows.share_pct
        * coalesce(host_costs.host_cost_tkr, agreement_years.total_paid_tkr)
        / 100 as expected_tkr,
        agreement_years.charged_to_others_tkr as agreement_charged_to_others_tkr,
        agreement_years.charged_to_others_tkr
        - host_costs.host_cost_tkr * agreement_years.others_share_pct / 100 as agreement_host_surplus_tkr,
        agreement_years.weighted_net_cost_kr_per_inv as agreement_net_cost_kr_per_inv_weighted
    from member_rows
    left join agreement_years
        on
            member_rows.agreement_id = agreement_years.agreement_id
            and member_rows.year = agreement_years.year
            and member_rows.is_member_that_year
    left join host_costs
        on
            member_rows.agreement_id = host_costs.agreement_id
            and member_rows.year = host_costs.year
            and member_rows.is_member_that_year
),

final as (
    select
        costed.agreement_id,
        costed.municipality_id,
        costed.year,
        costed.is_member_that_year,
        costed.is_host,
        costed.area_id,
        costed.is_illustrative,
        costed.population,
        costed.net_cost_kpi_id,
        costed.net_cost_kr_per_inv,
        costed.cost_kpi_id,
        costed.cost_kr_per_inv,
        costed.kolada_net_cost_tkr,
        costed.scb_net_cost_tkr,
        costed.scb_response_id,
        costed.paid_tkr,
        costed.key_rule,
        costed.key_from_year,
        costed.share_pct,
        costed.expected_basis,
        costed.expected_tkr,
        costed.paid_tkr - costed.expected_tkr as difference_tkr,
        costed.agreement_paid_tkr,
        costed.agreement_host_cost_tkr,
        costed.agreement_charged_to_others_tkr,
        costed.agreement_host_surplus_tkr,
        costed.agreement_net_cost_kr_per_inv_weighted,
        coalesce(costed.year = latest_data_year.latest_year, false) as is_preliminary
    from costed
    cross join latest_data_year
)

select * from final
