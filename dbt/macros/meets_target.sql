{#- Whether a value meets a registry target: comparison '<=' (at most the target) or '>=' (at least). -#}
{% macro meets_target(value, comparison, target) -%}
    (
        ({{ comparison }} = '<=' and {{ value }} <= {{ target }})
        or ({{ comparison }} = '>=' and {{ value }} >= {{ target }})
    )
{%- endmacro %}
