{#- The national marts read analysis.national_*, which the national estimator asset
    (orchestration/lib/effects/national_store.py) writes. Before it has run, empty tables with the same
    columns let a plain `dbt build` pass with empty marts. Keep the columns in step with national_store.py. -#}
{% macro ensure_national_tables() -%}
    create schema if not exists analysis;
    create table if not exists analysis.national_effects (
        area_id varchar, form varchar, kpi_id varchar, event_year integer, estimate double,
        estimate_pct double, se double, ci_low double, ci_high double, ci_low_pct double,
        ci_high_pct double, level double, n_cooperations integer, n_municipalities integer,
        pretrend_p double, pretrend_events integer
    );
    create table if not exists analysis.national_peer_estimates (
        agreement_id varchar, area_id varchar, form varchar, kpi_id varchar, own_estimate double,
        own_se double, own_pct double, own_level double, national_estimate double, national_pct double,
        tau double, shrunk_estimate double, shrunk_pct double, shrinkage double, n_peers integer,
        n_members integer
    );
{%- endmacro %}
