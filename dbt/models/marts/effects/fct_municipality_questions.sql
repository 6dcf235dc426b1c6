-- Concrete questions for a kommunstyrelse to ask the förbund or the host about each of its current
-- cooperations, generated from the verdicts (and which kind of "kan inte avgöras"), and the targets.
with

members as (
    select * from {{ ref('fct_agreement_members') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

verdicts as (
    select * from {{ ref('fct_agreement_verdict_rows') }}
),

targets as (
    select * from {{ ref('fct_agreement_targets') }}
),

current_members as (
    select
        members.municipality_id,
        members.agreement_id,
        members.agreement_name,
        case
            when agreements.form = 'kommunalforbund' then 'förbundet'
            when agreements.host_name is not null then 'värdkommunen ' || agreements.host_name
            else 'samverkans ledning'
        end as addressee
    from members
    inner join agreements on members.agreement_id = agreements.agreement_id
    where members.is_current
),

verdict_questions as (
    select
        current_members.municipality_id,
        current_members.agreement_id,
        verdicts.dimension_order as topic_order,
        case
            when verdicts.verdict = 'levererar_inte' then 1
            when verdicts.undecided_kind = 'for_lite_data' then 2
            when verdicts.undecided_kind = 'ej_matbart' then 3
            else 4
        end as priority,
        case
            when verdicts.verdict = 'levererar_inte'
                then
                    'Fråga ' || current_members.addressee || ' varför ' || current_members.agreement_name
                    || ' har blivit sämre än jämförbara kommuner i ' || lower(verdicts.dimension_label)
                    || ', och vilka åtgärder som är beslutade.'
            when verdicts.undecided_kind = 'for_lite_data'
                then
                    'Be ' || current_members.addressee || ' redovisa hur ' || current_members.agreement_name
                    || ' följer upp ' || lower(verdicts.dimension_label)
                    || ': uppgifterna räcker inte för en säker bedömning.'
            when verdicts.undecided_kind = 'ej_matbart'
                then
                    lower(verdicts.dimension_label) || ' är ett syfte med ' || current_members.agreement_name
                    || ' men inget nyckeltal mäter det: fråga ' || current_members.addressee
                    || ' hur det följs upp och redovisas.'
            when verdicts.undecided_kind = 'ingen_saker_skillnad'
                then
                    'Ingen säker skillnad i ' || lower(verdicts.dimension_label) || ' syns för '
                    || current_members.agreement_name || ': fråga ' || current_members.addressee
                    || ' vilka mål samverkan har och hur de nås.'
        end as question
    from current_members
    inner join verdicts on current_members.agreement_id = verdicts.agreement_id
    where
        verdicts.dimension <> 'samlat'
        and (
            verdicts.verdict = 'levererar_inte'
            or (verdicts.in_purpose and verdicts.verdict = 'kan_inte_avgoras')
        )
),

target_questions as (
    select
        current_members.municipality_id,
        current_members.agreement_id,
        5 as topic_order,
        1 as priority,
        'Målet "' || targets.measure_title || '" (' || targets.scope_name || ') är '
        || lower(targets.status_text) || ': fråga ' || current_members.addressee
        || ' vad som görs för att nå det.' as question
    from current_members
    inner join targets on current_members.agreement_id = targets.agreement_id
    where targets.status in ('ej_uppnatt', 'inte_pa_vag')
),

questions as (
    select * from verdict_questions
    union all
    select * from target_questions
),

final as (
    select
        questions.municipality_id,
        questions.agreement_id,
        cast(row_number() over (
            partition by questions.municipality_id
            order by questions.priority, questions.agreement_id, questions.topic_order
        ) as integer) as question_no,
        upper(left(questions.question, 1)) || substr(questions.question, 2) as question
    from questions
)

select * from final
