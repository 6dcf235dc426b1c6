with

members as (
    select * from {{ ref('int_cooperation_candidate_members') }}
),

member_years as (
    select * from {{ ref('int_cooperation_candidate_member_years') }}
),

signature_values as (
    select * from {{ ref('int_signature_values') }}
),

-- the first year the family's joint KPIs have values at all: a candidate starting then is censored
data_start as (
    select
        signature_values.family_id,
        min(signature_values.year) as first_data_year,
        max(signature_values.year) as last_data_year
    from signature_values
    where signature_values.kind = 'joint_value'
    group by all
),

candidate_years as (
    select distinct
        member_years.candidate_id,
        member_years.year
    from member_years
),

spans as (
    select
        members.candidate_id,
        any_value(members.family_id) as family_id,
        any_value(members.area_id) as area_id,
        count(*) as member_count,
        min(members.first_year) as first_year,
        max(members.last_year) as last_year
    from members
    group by all
),

gaps as (
    select
        spans.candidate_id,
        unnest(generate_series(spans.first_year, spans.last_year)) as year
    from spans
),

missing as (
    select
        gaps.candidate_id,
        gaps.year
    from gaps
    except
    select
        candidate_years.candidate_id,
        candidate_years.year
    from candidate_years
),

gap_lists as (
    select
        missing.candidate_id,
        string_agg(cast(missing.year as varchar), ', ' order by missing.year) as gap_years,
        count(*) as gap_year_count
    from missing
    group by all
),

current_members as (
    select
        members.candidate_id,
        count(*) as current_member_count
    from members
    inner join spans
        on members.candidate_id = spans.candidate_id and members.last_year = spans.last_year
    group by all
),

final as (
    select
        spans.*,
        current_members.current_member_count,
        spans.first_year <= data_start.first_data_year as start_censored,
        spans.last_year < data_start.last_data_year as is_ended,
        gap_lists.gap_years,
        coalesce(gap_lists.gap_year_count, 0) as gap_year_count
    from spans
    inner join data_start
        on spans.family_id = data_start.family_id
    inner join current_members
        on spans.candidate_id = current_members.candidate_id
    left join gap_lists
        on spans.candidate_id = gap_lists.candidate_id
)

select * from final
