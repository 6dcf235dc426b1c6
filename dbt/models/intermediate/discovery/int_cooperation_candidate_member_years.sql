-- Candidates are the connected sets of kommuner linked by significant pairs; a member reports jointly in
-- a year when it shares a joint year with another member, inside that pair's run (chance equalities
-- outside it do not move a start).
with recursive

signature_pairs as (
    select * from {{ ref('int_signature_pairs') }}
),

pair_years as (
    select * from {{ ref('int_signature_pair_years') }}
),

edges as (
    select
        signature_pairs.family_id,
        signature_pairs.municipality_a as node_id,
        signature_pairs.municipality_b as other_id
    from signature_pairs
    where signature_pairs.is_significant
    union
    select
        signature_pairs.family_id,
        signature_pairs.municipality_b as node_id,
        signature_pairs.municipality_a as other_id
    from signature_pairs
    where signature_pairs.is_significant
),

reach (family_id, root_id, node_id) as (
    select distinct
        edges.family_id,
        edges.node_id as root_id,
        edges.node_id
    from edges
    union
    select
        reach.family_id,
        reach.root_id,
        edges.other_id as node_id
    from reach
    inner join edges
        on
            reach.family_id = edges.family_id
            and reach.node_id = edges.node_id
),

-- the candidate is named after its family and lowest kommunkod
components as (
    select
        reach.family_id,
        reach.node_id as municipality_id,
        reach.family_id || '-' || min(reach.root_id) as candidate_id
    from reach
    group by reach.family_id, reach.node_id
),

joint_member_years as (
    select
        component_a.candidate_id,
        pair_years.family_id,
        pair_years.year,
        pair_years.municipality_a,
        pair_years.municipality_b,
        pair_years.equal_kpis
    from pair_years
    inner join components as component_a
        on
            pair_years.family_id = component_a.family_id
            and pair_years.municipality_a = component_a.municipality_id
    inner join components as component_b
        on
            pair_years.family_id = component_b.family_id
            and pair_years.municipality_b = component_b.municipality_id
    inner join signature_pairs
        on
            pair_years.family_id = signature_pairs.family_id
            and pair_years.municipality_a = signature_pairs.municipality_a
            and pair_years.municipality_b = signature_pairs.municipality_b
            and pair_years.year between signature_pairs.first_year and signature_pairs.last_year
    where pair_years.is_joint and component_a.candidate_id = component_b.candidate_id
),

member_rows as (
    select
        joint_member_years.candidate_id,
        joint_member_years.family_id,
        joint_member_years.municipality_a as municipality_id,
        joint_member_years.year,
        joint_member_years.equal_kpis
    from joint_member_years
    union all
    select
        joint_member_years.candidate_id,
        joint_member_years.family_id,
        joint_member_years.municipality_b as municipality_id,
        joint_member_years.year,
        joint_member_years.equal_kpis
    from joint_member_years
),

final as (
    select
        member_rows.candidate_id,
        member_rows.family_id,
        member_rows.municipality_id,
        member_rows.year,
        list_sort(list_distinct(flatten(list(member_rows.equal_kpis)))) as equal_kpis
    from member_rows
    group by
        member_rows.candidate_id,
        member_rows.family_id,
        member_rows.municipality_id,
        member_rows.year
)

select * from final
