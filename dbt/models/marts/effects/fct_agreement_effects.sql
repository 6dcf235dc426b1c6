with

estimates as (
    select * from {{ source('analysis', 'effect_estimates') }}
),

agreements as (
    select * from {{ ref('dim_agreements') }}
),

kpis as (
    select * from {{ ref('dim_kpis') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

flag_texts as (
    select * from {{ ref('dim_effect_flags') }}
),

overlap_pairs as (
    select * from {{ ref('int_member_overlaps') }}
),

-- Per member: the other cooperations of the area it is in at the same time, and the one its effect is
-- credited to (int_member_overlaps holds the rule); a member in no other one is credited here.
member_overlaps as (
    select
        overlap_pairs.agreement_id,
        overlap_pairs.municipality_id,
        list(distinct overlap_pairs.other_agreement_id order by overlap_pairs.other_agreement_id)
            as overlapping_agreement_ids,
        case
            when bool_and(overlap_pairs.attributed_agreement_id = overlap_pairs.agreement_id)
                then min(overlap_pairs.agreement_id)
            else min(
                case
                    when overlap_pairs.attributed_agreement_id != overlap_pairs.agreement_id
                        then overlap_pairs.attributed_agreement_id
                end
            )
        end as attributed_agreement_id
    from overlap_pairs
    group by overlap_pairs.agreement_id, overlap_pairs.municipality_id
),

-- The whole cooperation: every other cooperation any member shares, and how many members are credited
-- elsewhere (their series still weigh in the total).
total_overlaps as (
    select
        member_overlaps.agreement_id,
        'total' as municipality_id,
        list(distinct other_ids.id order by other_ids.id) as overlapping_agreement_ids,
        member_overlaps.agreement_id as attributed_agreement_id,
        count(
            distinct case
                when coalesce(member_overlaps.attributed_agreement_id, '') != member_overlaps.agreement_id
                    then member_overlaps.municipality_id
            end
        ) as members_credited_elsewhere
    from member_overlaps
    cross join unnest(member_overlaps.overlapping_agreement_ids) as other_ids (id)
    group by member_overlaps.agreement_id
),

attributions as (
    select
        member_overlaps.*,
        case when member_overlaps.attributed_agreement_id = member_overlaps.agreement_id then 0 else 1 end
            as members_credited_elsewhere
    from member_overlaps
    union all
    select * from total_overlaps
),

named as (
    select
        estimates.agreement_id,
        agreements.agreement_name,
        estimates.municipality_id,
        estimates.municipality_id = 'total' as is_total,
        {{
            member_name('estimates.municipality_id', 'municipalities.municipality_name')
        }} as municipality_name,
        estimates.is_host,
        estimates.kpi_id,
        coalesce(kpis.kpi_title, estimates.kpi_id) as kpi_title,
        kpis.unit,
        estimates.dimension,
        estimates.better,
        estimates.method,
        estimates.effect,
        estimates.effect_pct,
        estimates.ci_low,
        estimates.ci_high,
        estimates.p_value,
        estimates.mde,
        estimates.mde_pct,
        estimates.pre_level,
        estimates.pre_rmspe,
        estimates.pre_years,
        estimates.post_years,
        estimates.join_year,
        estimates.n_donors,
        estimates.n_placebos,
        estimates.pretrend_violated,
        estimates.pre_fit_p,
        estimates.in_time_p,
        coalesce(estimates.flags, '') as flags
    from estimates
    left join agreements
        on estimates.agreement_id = agreements.agreement_id
    left join kpis
        on estimates.kpi_id = kpis.kpi_id
    left join municipalities
        on estimates.municipality_id = municipalities.municipality_id
),

attributed as (
    select
        named.*,
        coalesce(attributions.overlapping_agreement_ids, cast([] as varchar[])) as overlapping_agreement_ids,
        case
            when attributions.agreement_id is null then named.agreement_id
            else attributions.attributed_agreement_id
        end as attributed_agreement_id,
        coalesce(attributions.members_credited_elsewhere, 0) as members_credited_elsewhere
    from named
    left join attributions
        on
            named.agreement_id = attributions.agreement_id
            and named.municipality_id = attributions.municipality_id
),

flagged as (
    select
        attributed.*,
        coalesce(attributed.attributed_agreement_id = attributed.agreement_id, false) as is_attributed,
        attributed.effect is not null as is_estimated,
        case
            when attributed.flags = '' then cast([] as varchar[])
            else string_split(attributed.flags, ',')
        end as flag_list
    from attributed
),

-- The flags in words (flag_words: of the member, or of several members together), in code order.
flag_words as (
    select
        flagged.agreement_id,
        flagged.municipality_id,
        flagged.kpi_id,
        flagged.method,
        string_agg(
            {{ flag_words('flagged.municipality_id', 'codes.flag') }},
            '; ' order by codes.flag
        ) as flags_text
    from flagged
    cross join unnest(flagged.flag_list) as codes (flag)
    left join flag_texts on codes.flag = flag_texts.flag
    group by
        flagged.agreement_id,
        flagged.municipality_id,
        flagged.kpi_id,
        flagged.method
),

final as (
    select
        flagged.*,
        coalesce(flag_words.flags_text, '') as flags_text
    from flagged
    left join flag_words
        on
            flagged.agreement_id = flag_words.agreement_id
            and flagged.municipality_id = flag_words.municipality_id
            and flagged.kpi_id = flag_words.kpi_id
            and flagged.method = flag_words.method
)

select * from final
