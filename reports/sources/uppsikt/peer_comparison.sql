-- One row per registered cooperation × KPI: its own estimate, the national one and the shrunken one, with
-- the mart's Swedish text. Derived figures: "Egna beräkningar på data från Kolada".
with

peers as (
    select * from marts.fct_agreement_peer_comparison
),

final as (
    select
        peers.agreement_id,
        peers.area_id,
        peers.form,
        peers.form_label,
        peers.kpi_id,
        peers.kpi_title,
        peers.unit,
        peers.dimension,
        peers.n_peers,
        sv_signed(peers.own_estimate, 1) as own_text,
        case
            when peers.own_se is null then '–'
            else sv_num(peers.own_ci_low, 1) || ' till ' || sv_num(peers.own_ci_high, 1)
        end as own_interval_text,
        sv_signed(peers.national_estimate, 1) as national_text,
        sv_signed(peers.shrunk_estimate, 1) as shrunk_text,
        case when peers.shrinkage is null then '–' else sv_num(100 * peers.shrinkage, 0) || ' %' end
            as shrinkage_text,
        peers.comparison_text,
        '/i-hela-landet/' || peers.area_id || '/' as page_link
    from peers
)

select * from final
