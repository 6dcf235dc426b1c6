with

verdicts as (
    select * from {{ ref('fct_agreement_verdicts') }}
),

report_meta as (
    select * from {{ ref('dim_report_meta') }}
),

history as (
    select * from {{ source('history', 'report_verdicts') }}
),

dimensions as (
    select * from {{ ref('dim_dimensions') }}
),

-- The last report built before this one from the same kind of data: demo is never compared with live.
previous_report as (
    select max(history.report_built_at) as report_built_at
    from history
    inner join report_meta
        on
            history.data_source = report_meta.data_source
            and history.report_built_at < report_meta.built_at
),

previous_verdicts as (
    select
        history.agreement_id,
        history.dimension,
        history.verdict,
        history.latest_data_year
    from history
    inner join report_meta
        on history.data_source = report_meta.data_source
    inner join previous_report
        on history.report_built_at = previous_report.report_built_at
),

compared as (
    select
        verdicts.agreement_id,
        verdicts.agreement_name,
        verdicts.dimension,
        verdicts.dimension_order,
        verdicts.verdict,
        verdicts.verdict_text,
        previous_report.report_built_at as previous_report_built_at,
        previous_verdicts.latest_data_year as previous_data_year,
        previous_verdicts.verdict as previous_verdict,
        case
            when previous_report.report_built_at is null then 'forsta_rapporten'
            when previous_verdicts.verdict is null then 'ny'
            when previous_verdicts.verdict = verdicts.verdict then 'oforandrad'
            when
                {{ verdict_rank('verdicts.verdict') }} > {{ verdict_rank('previous_verdicts.verdict') }}
                then 'battre'
            when
                {{ verdict_rank('verdicts.verdict') }} < {{ verdict_rank('previous_verdicts.verdict') }}
                then 'samre'
            else 'andrad'
        end as change
    from verdicts
    cross join previous_report
    left join previous_verdicts
        on
            verdicts.agreement_id = previous_verdicts.agreement_id
            and verdicts.dimension = previous_verdicts.dimension
),

final as (
    select
        compared.*,
        (
            select dimensions.dimension_label from dimensions
            where dimensions.dimension = compared.dimension)
            as dimension_label,
        case when compared.previous_verdict is not null then {{ verdict_text('compared.previous_verdict') }}
        end as previous_verdict_text,
        compared.change in ('battre', 'samre', 'andrad', 'ny') as is_changed,
        case compared.change
            when 'forsta_rapporten' then 'Första rapporten: inget att jämföra med'
            when 'ny' then 'Ny sedan förra rapporten'
            when 'oforandrad' then 'Oförändrad'
            when 'battre' then 'Bättre, var ' || lower({{ verdict_text('compared.previous_verdict') }})
            when 'samre' then 'Sämre, var ' || lower({{ verdict_text('compared.previous_verdict') }})
            else 'Ändrad, var ' || lower({{ verdict_text('compared.previous_verdict') }})
        end as change_text
    from compared
)

select * from final
