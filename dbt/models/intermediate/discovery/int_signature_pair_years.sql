-- Pairs of kommuner reporting identical values of a family's organisation-reported KPIs in a year, with
-- the chance of that equality if the two reported independently (METOD.md, "Upptäckt samverkan").
with

signature_values as (
    select * from {{ ref('int_signature_values') }}
),

joint_values as (
    select signature_values.* from signature_values
    where signature_values.kind = 'joint_value'
),

-- Values too common to be evidence (0, 1, 100: none, all, a flag) are left out before pairing.
evidence_values as (
    select joint_values.* from joint_values
    where joint_values.value not in ({{ var('discovery_excluded_values') | join(', ') }})
),

-- The chance that another kommun reports this very value: the share of the other reporting kommuner
-- that do (the partner itself counted, so never below 1 / (n - 1)).
value_frequency as (
    select
        evidence_values.family_id,
        evidence_values.kpi_id,
        evidence_values.year,
        evidence_values.value,
        count(*) as n_same
    from evidence_values
    group by all
),

reporting as (
    select
        joint_values.family_id,
        joint_values.kpi_id,
        joint_values.year,
        count(*) as n_reporting
    from joint_values
    group by all
),

equal_pairs as (
    select
        kommun_a.family_id,
        kommun_a.kpi_id,
        kommun_a.year,
        kommun_a.municipality_id as municipality_a,
        kommun_b.municipality_id as municipality_b,
        greatest(value_frequency.n_same - 1, 1) / greatest(reporting.n_reporting - 1, 1) as p_chance
    from evidence_values as kommun_a
    inner join evidence_values as kommun_b
        on
            kommun_a.family_id = kommun_b.family_id
            and kommun_a.kpi_id = kommun_b.kpi_id
            and kommun_a.year = kommun_b.year
            and kommun_a.value = kommun_b.value
            and kommun_a.municipality_id < kommun_b.municipality_id
    inner join value_frequency
        on
            kommun_a.family_id = value_frequency.family_id
            and kommun_a.kpi_id = value_frequency.kpi_id
            and kommun_a.year = value_frequency.year
            and kommun_a.value = value_frequency.value
    inner join reporting
        on
            kommun_a.family_id = reporting.family_id
            and kommun_a.kpi_id = reporting.kpi_id
            and kommun_a.year = reporting.year
),

equal_counts as (
    select
        equal_pairs.family_id,
        equal_pairs.municipality_a,
        equal_pairs.municipality_b,
        equal_pairs.year,
        count(*) as n_equal,
        sum(log10(equal_pairs.p_chance)) as log10_p_chance,
        list(equal_pairs.kpi_id order by equal_pairs.kpi_id) as equal_kpis
    from equal_pairs
    group by all
),

-- KPIs of the family both report that year with different values.
differing as (
    select
        equal_counts.family_id,
        equal_counts.municipality_a,
        equal_counts.municipality_b,
        equal_counts.year,
        count(*) filter (where kommun_a.value <> kommun_b.value) as n_differ
    from equal_counts
    inner join joint_values as kommun_a
        on
            equal_counts.family_id = kommun_a.family_id
            and equal_counts.year = kommun_a.year
            and equal_counts.municipality_a = kommun_a.municipality_id
    inner join joint_values as kommun_b
        on
            kommun_a.family_id = kommun_b.family_id
            and kommun_a.kpi_id = kommun_b.kpi_id
            and kommun_a.year = kommun_b.year
            and equal_counts.municipality_b = kommun_b.municipality_id
    group by all
),

-- both kommuner carry the family's membership flag (U17808 = 1) that year
flagged as (
    select
        flag_a.family_id,
        flag_a.municipality_id as municipality_a,
        flag_b.municipality_id as municipality_b,
        flag_a.year
    from signature_values as flag_a
    inner join signature_values as flag_b
        on
            flag_a.family_id = flag_b.family_id
            and flag_a.kpi_id = flag_b.kpi_id
            and flag_a.year = flag_b.year
            and flag_a.municipality_id < flag_b.municipality_id
    where flag_a.kind = 'member_flag' and flag_a.value = 1 and flag_b.value = 1
),

final as (
    select
        equal_counts.family_id,
        equal_counts.municipality_a,
        equal_counts.municipality_b,
        equal_counts.year,
        equal_counts.n_equal,
        differing.n_differ,
        equal_counts.log10_p_chance,
        equal_counts.equal_kpis,
        -- a year is joint when more of the family's KPIs agree than differ
        equal_counts.n_equal > differing.n_differ as is_joint,
        flagged.year is not null as is_flagged
    from equal_counts
    inner join differing
        on
            equal_counts.family_id = differing.family_id
            and equal_counts.municipality_a = differing.municipality_a
            and equal_counts.municipality_b = differing.municipality_b
            and equal_counts.year = differing.year
    left join flagged
        on
            equal_counts.family_id = flagged.family_id
            and equal_counts.municipality_a = flagged.municipality_a
            and equal_counts.municipality_b = flagged.municipality_b
            and equal_counts.year = flagged.year
)

select * from final
