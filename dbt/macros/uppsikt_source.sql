{#- demo or live: the var the Dagster asset passes, else UPPSIKT_SOURCE, else demo; anything else stops the build. -#}
{% macro uppsikt_source() -%}
    {%- set data_source = var('uppsikt_source', env_var('UPPSIKT_SOURCE', 'demo')) | trim | lower -%}
    {%- if data_source not in ['demo', 'live'] -%}
        {{ exceptions.raise_compiler_error(
            "uppsikt_source måste vara 'demo' eller 'live', inte '" ~ data_source ~ "'"
        ) }}
    {%- endif -%}
    {{ return(data_source) }}
{%- endmacro %}
