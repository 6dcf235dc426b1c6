{#- The model has exactly `expected` rows (e.g. a one-row metadata table). -#}
{% test row_count_equals(model, expected) %}
    select count(*) as n_rows
    from {{ model }}
    having count(*) != {{ expected }}
{% endtest %}
