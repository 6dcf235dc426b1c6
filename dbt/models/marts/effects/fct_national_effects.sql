with

national as (
    select * from {{ source('analysis', 'national_effects') }}
),

area_kpis as (
    select * from {{ ref('stg_registry__area_kpis') }}
),

areas as (
    select * from {{ ref('stg_registry__areas') }}
),

named as (
    select
        national.area_id,
        national.form,
        national.kpi_id,
        national.event_year,
        national.estimate,
        national.estimate_pct,
        national.se,
        national.ci_low,
        national.ci_high,
        national.ci_low_pct,
        national.ci_high_pct,
        national.level,
        national.n_cooperations,
        national.n_municipalities,
        national.pretrend_p,
        national.pretrend_events,
        national.event_year is null as is_overall,
        coalesce(areas.area_title, national.area_id) as area_title,
        {{ sv_form_plural('national.form') }} as form_label,
        coalesce(area_kpis.kpi_title, national.kpi_id) as kpi_title,
        coalesce(area_kpis.unit, '') as unit,
        -- A share's change is in percentage points; the % after it is relative to the level.
        case coalesce(area_kpis.unit, '') when '%' then 'procentenheter' else coalesce(area_kpis.unit, '') end
            as unit_text,
        area_kpis.dimension,
        area_kpis.better,
        case
            when national.ci_high < 0 then 'lower'
            when national.ci_low > 0 then 'higher'
            else 'unclear'
        end as direction
    from national
    left join area_kpis
        on national.area_id = area_kpis.area_id and national.kpi_id = area_kpis.kpi_id
    left join areas
        on national.area_id = areas.area_id
),

-- Better or worse follows the KPI's direction; a KPI without one (volumes) is only higher or lower.
judged as (
    select
        named.*,
        case
            when named.direction = 'unclear' or named.better not in ('lower', 'higher') then null
            when named.direction = named.better then 'bättre'
            else 'sämre'
        end as judgement,
        coalesce(named.pretrend_p < 0.05, false) as pretrend_rejected,
        {{ sv_number('named.estimate', 1) }} || ' ' || named.unit_text
        || case
            when named.estimate_pct is null then ''
            else ' (' || {{ sv_number('named.estimate_pct', 1) }} || ' %)'
        end as estimate_text,
        {{ sv_number('abs(named.estimate)', 1) }} || ' ' || named.unit_text
        || case
            when named.estimate_pct is null then ''
            else ' (' || {{ sv_number('abs(named.estimate_pct)', 1) }} || ' %)'
        end as size_text,
        {{ sv_number('named.ci_low', 1) }} || ' till ' || {{ sv_number('named.ci_high', 1) }} as interval_text
    from named
),

worded as (
    select
        judged.*,
        case
            when judged.event_year = -1 then 'Referensår: året före start, som varje jämförelse utgår från.'
            when judged.event_year < -1
                then -judged.event_year || ' år före start: ska ligga nära noll om jämförelsen håller.'
            when judged.ci_low is null
                then
                    'Bara ' || judged.n_cooperations || ' samverkan av slaget: för få för ett intervall, så '
                    || 'skattningen (' || judged.estimate_text || ') är bara en fingervisning.'
            when not judged.is_overall
                then
                    'År ' || judged.event_year || ' efter start: ' || judged.estimate_text
                    || ', 95 % intervall ' || judged.interval_text || '.'
            when judged.direction = 'unclear'
                then
                    'Kommuner i ' || judged.form_label || ' för ' || lower(judged.area_title)
                    || ' skiljer sig inte säkerställt från kommuner utan sådan samverkan i '
                    || lower(judged.kpi_title)
                    || ': i genomsnitt ' || judged.estimate_text || ' åren efter starten, men intervallet '
                    || judged.interval_text || ' rymmer både en minskning och en ökning.'
            else
                'Kommuner i '
                || judged.form_label
                || ' för '
                || lower(judged.area_title)
                || ' har i genomsnitt '
                || judged.size_text
                || ' '
                || case judged.direction when 'lower' then 'lägre' else 'högre' end
                || ' '
                || lower(judged.kpi_title)
                || ' åren efter starten än de hade haft utan samverkan (95 % intervall '
                || judged.interval_text || ')' || coalesce(', alltså ' || judged.judgement, '') || '.'
        end
        || case
            when judged.is_overall and judged.pretrend_rejected
                then
                    ' Varning: medlemmarna utvecklades redan före starten annorlunda än jämförelsekommunerna '
                    || '(förtrendtest p = ' || {{ sv_number('judged.pretrend_p', 3) }}
                    || '), så skattningen kan vara snedvriden.'
            else ''
        end as interpretation
    from judged
),

-- What the research found, and whether this estimate agrees: Sandberg (2024) on Swedish
-- gymnasieförbund (costs and results down), Ferraresi et al. (2018) on Italian municipal unions
-- (costs about −5 %, growing over 6–9 years).
final as (
    select
        worded.*,
        case
            when not worded.is_overall or worded.dimension not in ('kostnad', 'kvalitet') then null
            when worded.area_id like 'gymnasie%' and worded.dimension = 'kostnad'
                then
                    'Sandberg (2024) fann att gymnasieförbund sänkte kostnaderna. '
                    || case worded.direction
                        when 'lower' then 'Skattningen här stämmer med det.'
                        when 'higher' then 'Skattningen här går emot det: kostnaden blev högre.'
                        else 'Skattningen här kan varken bekräfta eller motsäga det.'
                    end
            when worded.area_id like 'gymnasie%'
                then
                    'Sandberg (2024) fann att gymnasieförbund också sänkte elevernas resultat. '
                    || case worded.judgement
                        when 'sämre' then 'Skattningen här stämmer med det.'
                        when 'bättre' then 'Skattningen här går emot det: resultatet blev bättre.'
                        else 'Skattningen här kan varken bekräfta eller motsäga det.'
                    end
            when worded.dimension = 'kvalitet' then null
            when worded.ci_low_pct is null
                then
                    'Ferraresi m.fl. (2018) fann omkring −5 % lägre kostnader, '
                    || 'en effekt som växte över 6–9 år; här går effekten inte att uttrycka i procent.'
            else
                'Ferraresi m.fl. (2018) fann omkring −5 % lägre kostnader, en effekt som växte över 6–9 år. '
                || case
                    when worded.ci_low_pct <= -5 and worded.ci_high_pct >= -5
                        then 'Skattningen här stämmer med det (intervallet rymmer −5 %).'
                    when worded.ci_high_pct < -5 then 'Skattningen här visar en större minskning än så.'
                    else 'Skattningen här visar en mindre minskning än så, eller ingen.'
                end
        end as research_text
    from worded
)

select * from final
