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

{#- The outcome columns every verdict mart carries, from the estimator's table aliased `verdicts`
    (analysis.effect_verdicts, analysis.member_verdicts): one list for both marts. -#}
{% macro verdict_outcome_columns() -%}
    verdicts.in_purpose,
    verdicts.verdict,
    {{ verdict_text('verdicts.verdict') }} as verdict_text,
    verdicts.rule,
    verdicts.reasons,
    verdicts.undecided_kind,
    verdicts.undecided_text,
    verdicts.mde_abs,
    verdicts.mde_pct,
    verdicts.judgeable_from_year
{%- endmacro %}
