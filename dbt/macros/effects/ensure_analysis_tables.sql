{#- The effect marts read schema analysis, which the estimator asset (orchestration/lib/effects/store.py)
    writes. Before it has ever run, empty tables with the same columns let a plain `dbt build` pass and
    leave the effect marts empty instead of failing. Keep the columns in step with store.py. -#}
{% macro ensure_analysis_tables() -%}
    create schema if not exists analysis;
    create table if not exists analysis.effect_estimates (
        agreement_id varchar, municipality_id varchar, is_host boolean, kpi_id varchar,
        dimension varchar, better varchar, method varchar, effect double, effect_pct double,
        ci_low double, ci_high double, p_value double, mde double, mde_pct double, pre_level double,
        pre_rmspe double, pre_years integer, post_years integer, join_year integer, n_donors integer,
        n_placebos integer, pretrend_violated boolean, pre_fit_p double, in_time_p double, flags varchar
    );
    create table if not exists analysis.effect_series (
        agreement_id varchar, municipality_id varchar, kpi_id varchar, method varchar, year integer,
        period varchar, observed double, counterfactual double
    );
    create table if not exists analysis.effect_verdicts (
        agreement_id varchar, dimension varchar, in_purpose boolean, verdict varchar, rule varchar,
        reasons varchar, undecided_kind varchar, undecided_text varchar, mde_abs double, mde_pct double,
        judgeable_from_year integer
    );
    create table if not exists analysis.member_verdicts (
        agreement_id varchar, municipality_id varchar, is_host boolean, dimension varchar,
        in_purpose boolean, verdict varchar, rule varchar, reasons varchar, undecided_kind varchar,
        undecided_text varchar, mde_abs double, mde_pct double, judgeable_from_year integer
    );
    create table if not exists analysis.donor_weights (
        agreement_id varchar, municipality_id varchar, kpi_id varchar, method varchar, donor_id varchar,
        weight double
    );
{%- endmacro %}
