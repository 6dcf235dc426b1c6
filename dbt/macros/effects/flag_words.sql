{#- A flag in words on a member-or-total row: said of the members together on a row of several members (the
    whole, the members other than the host), of the member otherwise; a code without words is shown as it is.
    Needs `flag_texts` (stg of dim_effect_flags' texts) joined on the code. -#}
{% macro flag_words(id_column, flag_column) -%}
    coalesce(
        case
            when {{ id_column }} in ('total', 'ovriga') then flag_texts.group_flag_text
            else flag_texts.flag_text
        end,
        {{ flag_column }}
    )
{%- endmacro %}
