with

overlap_pairs as (
    select * from {{ ref('int_member_overlaps') }}
),

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

kommuner as (
    select * from {{ ref('stg_registry__kommuner') }}
),

-- Each pair from this cooperation's side: whether its years go elsewhere, stay here or are shared
-- (int_member_overlaps holds the rule), and the sentence the report shows.
pairs as (
    select
        overlap_pairs.agreement_id,
        overlap_pairs.municipality_id,
        overlap_pairs.other_agreement_id,
        overlap_pairs.overlap_start,
        case
            when overlap_pairs.attributed_agreement_id is null then 'shared'
            when overlap_pairs.attributed_agreement_id = overlap_pairs.agreement_id then 'here'
            else 'elsewhere'
        end as kind,
        coalesce(kommuner.municipality_name, overlap_pairs.municipality_id) as kommun_name,
        coalesce(this_agreement.agreement_name, overlap_pairs.agreement_id) as this_name,
        coalesce(other_agreement.agreement_name, overlap_pairs.other_agreement_id) as other_name,
        year(overlap_pairs.overlap_start) as first_year,
        coalesce(cast(year(overlap_pairs.overlap_end) as varchar), '') as last_year_text
    from overlap_pairs
    left join kommuner
        on overlap_pairs.municipality_id = kommuner.municipality_id
    left join agreements as this_agreement
        on overlap_pairs.agreement_id = this_agreement.agreement_id
    left join agreements as other_agreement
        on overlap_pairs.other_agreement_id = other_agreement.agreement_id
),

worded as (
    select
        pairs.*,
        case pairs.kind
            when 'elsewhere'
                then
                    pairs.kommun_name || ' är från ' || pairs.first_year || ' också medlem i '
                    || pairs.other_name || ' inom samma område och gick med där senare. Effekten i '
                    || pairs.kommun_name || ' från ' || pairs.first_year || ' tillskrivs ' || pairs.other_name
                    || ' och räknas inte här.'
            when 'here'
                then
                    pairs.kommun_name || ' är ' || pairs.first_year || '–' || pairs.last_year_text
                    || ' också medlem i ' || pairs.other_name || ' inom samma område. Effekten i '
                    || pairs.kommun_name || ' de åren tillskrivs ' || pairs.this_name
                    || ', som kommunen gick med i senare.'
            else
                pairs.kommun_name || ' gick med i ' || pairs.this_name || ' och ' || pairs.other_name
                || ' samma dag inom samma område. Effekten i ' || pairs.kommun_name
                || ' kan inte delas mellan dem och ger ingen dom för kommunen.'
        end as sentence
    from pairs
),

final as (
    select
        worded.agreement_id,
        worded.municipality_id,
        cast(min(case when worded.kind = 'elsewhere' then worded.first_year end) as integer)
            as credited_elsewhere_year,
        arg_min(
            case when worded.kind = 'elsewhere' then worded.other_agreement_id end,
            case when worded.kind = 'elsewhere' then worded.overlap_start end
        ) as credited_to_agreement_id,
        bool_or(worded.kind = 'shared') as is_shared,
        string_agg(worded.sentence, ' ' order by worded.overlap_start, worded.other_agreement_id)
            as attribution_text
    from worded
    group by worded.agreement_id, worded.municipality_id
)

select * from final
