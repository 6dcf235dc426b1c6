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

named_members as (
    select
        candidate_members.*,
        candidate_members.municipality_id || ' ' || kommuner.municipality_name as member_label
    from candidate_members
    inner join kommuner
        on candidate_members.municipality_id = kommuner.municipality_id
),

-- members the data shows but the registry lacks, and the other way round
data_only as (
    select
        best.candidate_id,
        string_agg(named_members.member_label, ', ' order by named_members.municipality_id) as members_text
    from best
    inner join named_members
        on best.candidate_id = named_members.candidate_id
    left join registered
        on
            best.agreement_id = registered.agreement_id
            and named_members.municipality_id = registered.municipality_id
    where registered.municipality_id is null
    group by all
),

registry_only as (
    select
        best.candidate_id,
        string_agg(
            registered.municipality_id || ' ' || kommuner.municipality_name, ', '
            order by registered.municipality_id
        ) as members_text
    from best
    inner join registered
        on best.agreement_id = registered.agreement_id
    inner join kommuner
        on registered.municipality_id = kommuner.municipality_id
    left join named_members
        on
            best.candidate_id = named_members.candidate_id
            and registered.municipality_id = named_members.municipality_id
    where named_members.municipality_id is null
    group by all
),

-- shared members whose first year or leaving year differ (a first year at a censored start is no
-- disagreement when the registry's is earlier)
member_differences as (
    select
        best.candidate_id,
        string_agg(
            named_members.member_label || ' från ' || named_members.first_year
            || ' (registret ' || registered.registry_first_year || ')', ', '
            order by named_members.municipality_id
        ) filter (
            where named_members.first_year <> registered.registry_first_year
            and not (
                spans.start_censored and named_members.first_year = spans.first_year
                and registered.registry_first_year <= named_members.first_year
            )
        ) as joined_text,
        string_agg(
            named_members.member_label || ' ' || coalesce(cast(named_members.left_year as varchar), 'inget')
            || ' (registret ' || coalesce(cast(registered.registry_left_year as varchar), 'inget') || ')',
            ', '
            order by named_members.municipality_id
        ) filter (
            where coalesce(named_members.left_year, 0) <> coalesce(registered.registry_left_year, 0)
        ) as left_text
    from best
    inner join named_members
        on best.candidate_id = named_members.candidate_id
    inner join registered
        on
            best.agreement_id = registered.agreement_id
            and named_members.municipality_id = registered.municipality_id
    inner join spans
        on best.candidate_id = spans.candidate_id
    group by all
),

final as (
    select
        spans.candidate_id,
        best.agreement_id,
        best.shared_members,
        data_only.members_text as members_missing_in_registry,
        registry_only.members_text as members_missing_in_data,
        member_differences.joined_text as joined_differences,
        member_differences.left_text as left_differences,
        case
            when best.agreement_id is null then 'ej_registrerad'
            when
                data_only.members_text is null
                and registry_only.members_text is null
                and member_differences.joined_text is null
                and member_differences.left_text is null
                then 'registrerad'
            else 'avviker'
        end as registry_match
    from spans
    left join best
        on spans.candidate_id = best.candidate_id
    left join data_only
        on spans.candidate_id = data_only.candidate_id
    left join registry_only
        on spans.candidate_id = registry_only.candidate_id
    left join member_differences
        on spans.candidate_id = member_differences.candidate_id
)

select * from final
