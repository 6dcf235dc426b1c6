{#- The tables the national estimator asset writes, declared here once: the estimator
    (orchestration/lib/transform/analysis_tables.py) renders this macro to replace them, and the national marts run
    it as a pre-hook so that before the estimator has run a plain `dbt build` passes with empty marts.
    Plain Jinja only: it is rendered outside dbt too. -#}
{% macro ensure_national_tables() -%}
    create schema if not exists analysis;
    create table if not exists analysis.national_effects (
        area_id varchar not null, form varchar not null, kpi_id varchar not null, event_year integer,
        estimate double, estimate_pct double, se double, ci_low double, ci_high double, ci_low_pct double,
        ci_high_pct double, level double, n_cooperations integer, n_municipalities integer,
        pretrend_p double, pretrend_events integer
    );
    create table if not exists analysis.national_peer_estimates (
        agreement_id varchar not null, area_id varchar not null, form varchar not null,
        kpi_id varchar not null, own_estimate double, own_se double, own_pct double, own_level double,
        national_estimate double, national_pct double, tau double, shrunk_estimate double,
        shrunk_pct double, shrinkage double, n_peers integer, n_members integer,
        primary key (agreement_id, kpi_id)
    );
{%- endmacro %}
