-- One row per cooperation × member kommun × year with a payment or a cost: what was paid against the
-- cost key, the host's självkostnad with its tolerance, and the trail of every figure (RS line, Kolada
-- KPI, response address and fetch time), as marts.fct_member_cost_trail has them (the Excel files read
-- the same mart). Only Swedish formats here.
select
    agreement_id,
    agreement_name,
    municipality_id,
    municipality_name,
    year,
    cast(year as varchar) as year_label,
    is_host,
    role_label,
    is_illustrative,
    paid_tkr,
    sv_num(paid_tkr, 0) as paid_text,
    share_pct,
    sv_num(share_pct, 1) as share_text,
    coalesce(key_rule_label, '–') as key_rule_text,
    expected_tkr,
    sv_num(expected_tkr, 0) as expected_text,
    difference_tkr,
    sv_signed(difference_tkr, 0) as difference_text,
    net_cost_kr_per_inv,
    sv_num(net_cost_kr_per_inv, 0) as net_cost_kr_per_inv_text,
    scb_net_cost_tkr,
    sv_num(scb_net_cost_tkr, 0) as scb_net_cost_text,
    agreement_host_cost_tkr,
    sv_num(agreement_host_cost_tkr, 0) as host_cost_text,
    agreement_host_surplus_tkr,
    sv_signed(agreement_host_surplus_tkr, 0) as host_surplus_text,
    self_cost_status,
    coalesce(kpi_id, '–') as kpi_id,
    coalesce(rs_line, '–') as rs_line,
    coalesce(kolada_url, '') as kolada_url,
    sv_time(kolada_fetched_at) as kolada_fetched_at,
    coalesce(kolada_response_id, '–') as kolada_response_id,
    coalesce(scb_url, '') as scb_url,
    sv_time(scb_fetched_at) as scb_fetched_at,
    coalesce(scb_response_id, '–') as scb_response_id,
    model
from marts.fct_member_cost_trail
order by agreement_name, year desc, is_host desc, municipality_name
