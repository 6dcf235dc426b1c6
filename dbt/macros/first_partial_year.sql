{#- The first calendar year that is no longer a full year after `date_column` ends something (a
    membership, a cooperation): 31 December ends its own year, any other date ends the year part-way;
    null when it has not ended. The estimators' post-period stops before this year. -#}
{% macro first_partial_year(date_column) -%}
    case
        when {{ date_column }} is null then null
        when strftime({{ date_column }}, '%m-%d') = '12-31' then year({{ date_column }}) + 1
        else year({{ date_column }})
    end
{%- endmacro %}
