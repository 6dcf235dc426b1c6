{#- A number as Swedish text in a mart's sentences: decimal comma, real minus sign, '–' when missing. -#}
{% macro sv_number(x, digits) -%}
    case
        when {{ x }} is null or not isfinite(cast({{ x }} as double)) then '–'
        else replace(replace(
            cast(round(cast({{ x }} as double), {{ digits }}) + 0.0 as decimal(18, {{ digits }}))::varchar,
            '.', ','), '-', chr(8722))
    end
{%- endmacro %}

{#- The form of a cooperation in Swedish, plural, as the national pages speak of a kind. -#}
{% macro sv_form_plural(form) -%}
    case {{ form }}
        when 'kommunalforbund' then 'kommunalförbund'
        when 'gemensam_namnd' then 'gemensamma nämnder'
        when 'avtalssamverkan' then 'avtalssamverkan'
        when 'bolag' then 'gemensamma bolag'
        else 'samverkan av annat slag'
    end
{%- endmacro %}
