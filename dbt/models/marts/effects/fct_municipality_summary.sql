-- Every kommun's page in a few plain sentences: which of its cooperations deliver, which do not, which
-- cannot be judged and why, which have ended; or, where it has none, that and how to add one.
with

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

members as (
    select * from {{ ref('fct_agreement_members') }}
),

verdicts as (
    select * from {{ ref('fct_agreement_verdict_rows') }}
),

questions as (
    select * from {{ ref('fct_municipality_questions') }}
),

candidates as (
    select * from {{ ref('fct_municipality_candidates') }}
),

kommuner as (
    select municipalities.*
    from municipalities
    where municipalities.is_in_kolada or municipalities.is_in_registry
),

judged as (
    select
        members.municipality_id,
        members.agreement_id,
        members.agreement_name,
        members.is_current,
        members.ended_on,
        coalesce(verdicts.verdict, 'saknas') as verdict,
        verdicts.undecided_text
    from members
    left join verdicts
        on members.agreement_id = verdicts.agreement_id and verdicts.dimension = 'samlat'
),

sentences as (
    select
        judged.municipality_id,
        count(*) filter (where judged.is_current) as current_count,
        count(*) filter (where not judged.is_current) as ended_count,
        string_agg(judged.agreement_name, ', ' order by judged.agreement_name)
        filter (where judged.is_current and judged.verdict = 'levererar') as delivering,
        string_agg(judged.agreement_name, ', ' order by judged.agreement_name)
        filter (where judged.is_current and judged.verdict = 'levererar_delvis') as partly,
        string_agg(judged.agreement_name, ', ' order by judged.agreement_name)
        filter (where judged.is_current and judged.verdict = 'levererar_inte') as not_delivering,
        string_agg(
            judged.agreement_name || coalesce(' (' || judged.undecided_text || ')', ''),
            ', ' order by judged.agreement_name
        ) filter (
            where judged.is_current
            and judged.verdict not in ('levererar', 'levererar_delvis', 'levererar_inte')
        )
            as undecided,
        string_agg(
            judged.agreement_name || ' (avslutad ' || strftime(judged.ended_on, '%Y-%m-%d') || ')',
            ', ' order by judged.agreement_name
        ) filter (where not judged.is_current) as ended
    from judged
    group by judged.municipality_id
),

question_counts as (
    select
        questions.municipality_id,
        count(*) as question_count
    from questions
    group by questions.municipality_id
),

candidate_counts as (
    select
        candidates.municipality_id,
        count(*) as candidate_count
    from candidates
    group by candidates.municipality_id
),

final as (
    select
        kommuner.municipality_id,
        kommuner.municipality_name,
        kommuner.county_name,
        kommuner.population_latest,
        kommuner.population_year,
        -- sv is the ICU collation (Swedish order: Å, Ä, Ö last), not a column.
        cast(
            row_number() over (order by kommuner.municipality_name collate sv)  -- noqa: RF02
            as integer
        ) as name_order,
        cast(coalesce(sentences.current_count, 0) as integer) as current_count,
        cast(coalesce(sentences.ended_count, 0) as integer) as ended_count,
        coalesce(sentences.current_count, 0) + coalesce(sentences.ended_count, 0) > 0 as has_cooperations,
        cast(coalesce(question_counts.question_count, 0) as integer) as question_count,
        case
            when coalesce(sentences.current_count, 0) + coalesce(sentences.ended_count, 0) = 0
                then
                    kommuner.municipality_name
                    || ' har ingen samverkan med andra kommuner i uppsikts register ännu. Det betyder inte'
                    || ' att kommunen saknar samverkan, bara att ingen är registrerad.'
            else
                kommuner.municipality_name || ' ingår i ' || coalesce(sentences.current_count, 0)
                || case
                    when coalesce(sentences.current_count, 0) = 1 then ' pågående samverkan' else
                        ' pågående samverkansavtal'
                end
                || ' i registret.'
                || coalesce(' Levererar: ' || sentences.delivering || '.', '')
                || coalesce(' Levererar delvis: ' || sentences.partly || '.', '')
                || coalesce(' Levererar inte: ' || sentences.not_delivering || '.', '')
                || coalesce(' Kan inte avgöras: ' || sentences.undecided || '.', '')
                || coalesce(' Avslutad: ' || sentences.ended || '.', '')
        end as summary_text,
        case
            when coalesce(sentences.current_count, 0) + coalesce(sentences.ended_count, 0) = 0
                then
                    'Saknas en samverkan? Lägg till den som en fil under registry/cooperations/ (se'
                    || ' registry/README.md) med medlemmar, start och källa, eller be den som förvaltar'
                    || ' uppsikt att göra det. Nästa körning ger den en egen sida och en dom.'
        end as add_cooperation_text,
        cast(coalesce(candidate_counts.candidate_count, 0) as integer) as candidate_count,
        case
            when coalesce(candidate_counts.candidate_count, 0) = 0
                then
                    'Kolada visar ingen gemensam redovisning för ' || kommuner.municipality_name
                    || ' som tyder på en samverkan som saknas i registret eller avviker från det.'
            when candidate_counts.candidate_count = 1
                then
                    'Kolada tyder på en samverkan som saknas i registret eller avviker från det: den'
                    || ' behöver bekräftas med en källa innan uppsikt kan följa upp den.'
            else
                'Kolada tyder på ' || cast(candidate_counts.candidate_count as varchar)
                || ' samverkan som saknas i registret eller avviker från det: de behöver bekräftas med en'
                || ' källa innan uppsikt kan följa upp dem.'
        end as candidates_text,
        '/kommun/' || kommuner.municipality_id || '/' as page_link
    from kommuner
    left join sentences on kommuner.municipality_id = sentences.municipality_id
    left join question_counts on kommuner.municipality_id = question_counts.municipality_id
    left join candidate_counts on kommuner.municipality_id = candidate_counts.municipality_id
)

select * from final
