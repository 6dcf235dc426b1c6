with

peers as (
    select * from {{ source('analysis', 'national_peer_estimates') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

area_kpis as (
    select * from {{ ref('stg_registry__area_kpis') }}
),

-- Discovered candidates are peers in the national estimate but get no row of their own here.
registered as (
    select
        peers.agreement_id,
        peers.area_id,
        peers.form,
        peers.kpi_id,
        peers.own_estimate,
        peers.own_se,
        peers.own_pct,
        peers.own_level,
        peers.national_estimate,
        peers.national_pct,
        peers.tau,
        peers.shrunk_estimate,
        peers.shrunk_pct,
        peers.shrinkage,
        peers.n_peers,
        peers.n_members,
        agreements.agreement_name,
        coalesce(area_kpis.kpi_title, peers.kpi_id) as kpi_title,
        coalesce(area_kpis.unit, '') as unit,
        area_kpis.dimension,
        {{ sv_form_plural('peers.form') }} as form_label,
        peers.own_estimate - 1.96 * peers.own_se as own_ci_low,
        peers.own_estimate + 1.96 * peers.own_se as own_ci_high
    from peers
    inner join agreements
        on peers.agreement_id = agreements.agreement_id
    left join area_kpis
        on peers.area_id = area_kpis.area_id and peers.kpi_id = area_kpis.kpi_id
),

final as (
    select
        registered.*,
        case
            when registered.shrinkage is null or registered.n_peers < 2
                then 'För få andra ' || registered.form_label || ' för en jämförelse.'
            else
                'Er egen skattning är ' || {{ sv_number('registered.own_estimate', 1) }} || ' '
                || registered.unit || ' (95 % intervall ' || {{ sv_number('registered.own_ci_low', 1) }}
                || ' till '
                || {{ sv_number('registered.own_ci_high', 1) }}
                || '); i hela landet är genomsnittet för '
                || registered.form_label
                || ' inom området '
                || {{ sv_number('registered.national_estimate', 1) }} || ' (' || registered.n_peers
                || ' andra av samma slag)'
                || '. Vägt samman blir er skattning '
                || {{ sv_number('registered.shrunk_estimate', 1) }} || ', där '
                || {{ sv_number('100 * registered.shrinkage', 0) }}
                || ' % av vikten ligger på det nationella '
                || 'genomsnittet: '
                || case
                    when registered.shrinkage >= 0.5
                        then 'era egna år säger lite på egen hand, så jämförelsen med de andra väger tyngst.'
                    else 'era egna år säger mycket på egen hand, så den egna skattningen väger tyngst.'
                end
        end as comparison_text
    from registered
)

select * from final
