{#- Every row of a model has a value in each of these columns. One query per model where a not_null test
    per column took one each; a model under an enforced contract states it as a column constraint instead
    (constraints: [{type: not_null}]), which DuckDB checks as the table is written, with no query at all. -#}
{% test not_null_columns(model, columns) %}
    select {{ columns | join(', ') }}
    from {{ model }}
    where
    {%- for column in columns %}
        {{ 'or ' if not loop.first }}{{ column }} is null
    {%- endfor %}
{% endtest %}
