{#- The order a cooperation's rows and charts are shown in: the whole first, then the host, then the other
    members (as the effects table and its charts list them). -#}
{% macro role_order(is_total, is_host) -%}
    case when {{ is_total }} then 0 when {{ is_host }} then 1 else 2 end
{%- endmacro %}
