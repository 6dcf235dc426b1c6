{#- Schema history keeps what each built report said, so the next report can say what changed since.
    The report_history asset (orchestration/lib/report/history.py) appends to it after every successful site
    build; dbt never rebuilds it. Before the first report it is empty, and the change marts say so.
    Keep the columns in step with history.py. -#}
{% macro ensure_history_tables() -%}
    create schema if not exists history;
    create table if not exists history.report_verdicts (
        report_built_at timestamptz, data_source varchar, latest_data_year integer, run_id varchar,
        recorded_at timestamptz, agreement_id varchar, dimension varchar, verdict varchar, rule varchar,
        reasons varchar
    );
    {#- What a complete run read after the pull, hashed (orchestration/lib/ops/incremental.py): a run whose
        inputs hash the same stops after the pull, with nothing to rebuild. -#}
    create table if not exists history.run_inputs (
        fingerprint varchar, run_id varchar, recorded_at timestamptz
    );
{%- endmacro %}
