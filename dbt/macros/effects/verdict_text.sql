{#- A verdict as the report writes it, in Swedish. -#}
{% macro verdict_text(column) -%}
    case {{ column }}
        when 'levererar' then 'Levererar'
        when 'levererar_delvis' then 'Levererar delvis'
        when 'levererar_inte' then 'Levererar inte'
        else 'Kan inte avgöras'
    end
{%- endmacro %}

{#- Verdicts in order from worst to best; kan_inte_avgoras has no place (null), so no better or worse. -#}
{% macro verdict_rank(column) -%}
    case {{ column }}
        when 'levererar_inte' then 1
        when 'levererar_delvis' then 2
        when 'levererar' then 3
    end
{%- endmacro %}
