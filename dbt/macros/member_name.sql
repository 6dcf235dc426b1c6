{#- What a member-or-total row is called in the effect marts: the kommun's name, or the whole cooperation. -#}
{% macro member_name(id_column, name_column) -%}
    case
        when {{ id_column }} = 'total' then 'Samverkan som helhet'
        when {{ id_column }} = 'ovriga' then 'Övriga medlemmar tillsammans'
        else coalesce({{ name_column }}, {{ id_column }})
    end
{%- endmacro %}
