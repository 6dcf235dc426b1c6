{#- The tables the effect estimator asset writes (schema analysis), declared here once: the estimator
    (orchestration/lib/transform/analysis_tables.py) renders this macro to replace them, and the effect marts run it
    as a pre-hook so that before the estimator has ever run a plain `dbt build` passes with empty marts.
    Plain Jinja only: it is rendered outside dbt too. -#}
{% macro ensure_analysis_tables() -%}
    create schema if not exists analysis;
    create table if not exists analysis.effect_estimates (
        agreement_id varchar not null, municipality_id varchar not null, is_host boolean,
        kpi_id varchar not null, dimension varchar, better varchar, method varchar not null, effect double,
        effect_pct double, ci_low double, ci_high double, p_value double, mde double, mde_pct double,
        pre_level double, pre_rmspe double, pre_years integer, post_years integer, join_year integer,
        n_donors integer, n_placebos integer, pretrend_violated boolean, pre_fit_p double, in_time_p double,
        flags varchar,
        primary key (agreement_id, municipality_id, kpi_id, method)
    );
    create table if not exists analysis.effect_series (
        agreement_id varchar not null, municipality_id varchar not null, kpi_id varchar not null,
        method varchar not null, year integer not null, period varchar, observed double,
        counterfactual double,
        primary key (agreement_id, municipality_id, kpi_id, method, year)
    );
    create table if not exists analysis.effect_verdicts (
        agreement_id varchar not null, dimension varchar not null, in_purpose boolean,
        verdict varchar not null, rule varchar not null, reasons varchar, undecided_kind varchar,
        undecided_text varchar, mde_abs double, mde_pct double, judgeable_from_year integer,
        primary key (agreement_id, dimension)
    );
    create table if not exists analysis.member_verdicts (
        agreement_id varchar not null, municipality_id varchar not null, is_host boolean,
        dimension varchar not null, in_purpose boolean, verdict varchar not null, rule varchar not null,
        reasons varchar, undecided_kind varchar, undecided_text varchar, mde_abs double, mde_pct double,
        judgeable_from_year integer,
        primary key (agreement_id, municipality_id, dimension)
    );
    create table if not exists analysis.donor_weights (
        agreement_id varchar not null, municipality_id varchar not null, kpi_id varchar not null,
        method varchar not null, donor_id varchar not null, weight double not null,
        primary key (agreement_id, municipality_id, kpi_id, method, donor_id)
    );
    create table if not exists analysis.effect_bands (
        agreement_id varchar not null, municipality_id varchar not null, kpi_id varchar not null,
        method varchar not null, year integer not null, period varchar, counterfactual double,
        band_low double, band_high double, confidence double not null, n_placebos integer,
        primary key (agreement_id, municipality_id, kpi_id, method, year)
    );
    create table if not exists analysis.effect_kpi_roles (
        agreement_id varchar not null, dimension varchar not null, kpi_id varchar not null,
        kpi_role varchar not null,
        primary key (agreement_id, kpi_id)
    );
{%- endmacro %}
