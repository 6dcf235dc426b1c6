-- Each candidate against the registry: the registered cooperation of the same area sharing most members
-- (at least two), and what differs in members, start and leaving. Reporting years follow the registry's
-- dates: a member reports jointly from the first full year it is in, until the last full year.
with

candidate_members as (
    select * from {{ ref('int_cooperation_candidate_members') }}
),

spans as (
    select * from {{ ref('int_cooperation_candidate_spans') }}
),

agreements as (
    select * from {{ ref('stg_registry__agreements') }}
),

registry_members as (
    select * from {{ ref('stg_registry__members') }}
),

kommuner as (
    select * from {{ ref('stg_registry__kommuner') }}
),

registered as (
    select
        registry_members.agreement_id,
        agreements.area_id,
        registry_members.municipality_id,
        year(registry_members.joined_on)
        + case when strftime(registry_members.joined_on, '%m-%d') = '01-01' then 0 else 1 end
            as registry_first_year,
        case
            when
                registry_members.left_on is not null
                and (agreements.end_date is null or registry_members.left_on < agreements.end_date)
                then
                    year(registry_members.left_on)
                    + case when strftime(registry_members.left_on, '%m-%d') = '12-31' then 1 else 0 end
        end as registry_left_year
    from registry_members
    inner join agreements
        on registry_members.agreement_id = agreements.agreement_id
),

shared as (
    select
        candidate_members.candidate_id,
        registered.agreement_id,
        count(*) as shared_members
    from candidate_members
    inner join registered
        on
            candidate_members.area_id = registered.area_id
            and candidate_members.municipality_id = registered.municipality_id
    group by all
    having count(*) >= 2
),

best as (
    select shared.* from shared
    qualify row_number() over (
        partition by shared.candidate_id order by shared.shared_members desc, shared.agreement_id asc
    ) = 1
),

-- a kommun as the texts name it: code and name
labels as (
    select
        kommuner.municipality_id,
        kommuner.municipality_id || ' ' || kommuner.municipality_name as member_label
    from kommuner
),

-- the best match's members on both sides, paired by kommun: in the data, in the registry, or both
data_side as (
    select
        best.candidate_id,
        candidate_members.municipality_id,
        candidate_members.first_year,
        candidate_members.left_year
    from best
    inner join candidate_members
        on best.candidate_id = candidate_members.candidate_id
),

registry_side as (
    select
        best.candidate_id,
        registered.municipality_id,
        registered.registry_first_year,
        registered.registry_left_year
    from best
    inner join registered
        on best.agreement_id = registered.agreement_id
),

paired as (
    select
        coalesce(data_side.candidate_id, registry_side.candidate_id) as candidate_id,
        coalesce(data_side.municipality_id, registry_side.municipality_id) as municipality_id,
        labels.member_label,
        data_side.municipality_id is not null as in_data,
        registry_side.municipality_id is not null as in_registry,
        data_side.first_year,
        data_side.left_year,
        registry_side.registry_first_year,
        registry_side.registry_left_year
    from data_side
    full outer join registry_side
        on
            data_side.candidate_id = registry_side.candidate_id
            and data_side.municipality_id = registry_side.municipality_id
    inner join labels
        on coalesce(data_side.municipality_id, registry_side.municipality_id) = labels.municipality_id
),

-- members the data shows but the registry lacks, and the other way round; shared members whose first
-- year or leaving year differ (a first year at a censored start is no disagreement when the registry's
-- is earlier)
differences as (
    select
        paired.candidate_id,
        string_agg(paired.member_label, ', ' order by paired.municipality_id)
        filter (where not paired.in_registry) as members_missing_in_registry,
        string_agg(paired.member_label, ', ' order by paired.municipality_id)
        filter (where not paired.in_data) as members_missing_in_data,
        string_agg(
            paired.member_label || ' från ' || paired.first_year
            || ' (registret ' || paired.registry_first_year || ')', ', '
            order by paired.municipality_id
        ) filter (
            where paired.in_data and paired.in_registry
            and paired.first_year <> paired.registry_first_year
            and not (
                spans.start_censored and paired.first_year = spans.first_year
                and paired.registry_first_year <= paired.first_year
            )
        ) as joined_differences,
        string_agg(
            paired.member_label || ' ' || coalesce(cast(paired.left_year as varchar), 'inget')
            || ' (registret ' || coalesce(cast(paired.registry_left_year as varchar), 'inget') || ')',
            ', '
            order by paired.municipality_id
        ) filter (
            where paired.in_data and paired.in_registry
            and coalesce(paired.left_year, 0) <> coalesce(paired.registry_left_year, 0)
        ) as left_differences
    from paired
    inner join spans
        on paired.candidate_id = spans.candidate_id
    group by paired.candidate_id
),

final as (
    select
        spans.candidate_id,
        best.agreement_id,
        best.shared_members,
        differences.members_missing_in_registry,
        differences.members_missing_in_data,
        differences.joined_differences,
        differences.left_differences,
        case
            when best.agreement_id is null then 'ej_registrerad'
            when
                differences.members_missing_in_registry is null
                and differences.members_missing_in_data is null
                and differences.joined_differences is null
                and differences.left_differences is null
                then 'registrerad'
            else 'avviker'
        end as registry_match
    from spans
    left join best
        on spans.candidate_id = best.candidate_id
    left join differences
        on spans.candidate_id = differences.candidate_id
)

select * from final
