-- Pairs whose joint years rule out chance. A joint organisation reports every year it exists, so the
-- evidence is a run of joint years (at most one year missing between two of them); chance matches of
-- coarse values come scattered. A run counts when it has discovery_min_years years and the probability
-- of all its equalities under independence, times the number of pairs tested in every family
-- (Bonferroni), is below discovery_alpha; for two kommuner in different län, below discovery_alpha times
-- discovery_other_county_factor (joint organisations join neighbours; chance matches of coarse values
-- come from anywhere). A run whose every year both kommuner carry the family's membership flag and two or
-- more KPIs agree needs no bound: the flag says they are in a förbund, the values say which. Each pair
-- keeps its strongest run.
with

pair_years as (
    select * from {{ ref('int_signature_pair_years') }}
),

signature_values as (
    select * from {{ ref('int_signature_values') }}
),

kommuner as (
    select * from {{ ref('stg_registry__kommuner') }}
),

kommuner_per_family as (
    select
        signature_values.family_id,
        count(distinct signature_values.municipality_id) as n_kommuner
    from signature_values
    where signature_values.kind = 'joint_value'
    group by all
),

-- every pair of kommuner in every family is one test
tests as (
    select sum(kommuner_per_family.n_kommuner * (kommuner_per_family.n_kommuner - 1) / 2) as n_tests
    from kommuner_per_family
),

joint_years as (
    select
        pair_years.family_id,
        pair_years.municipality_a,
        pair_years.municipality_b,
        pair_years.year,
        pair_years.log10_p_chance,
        pair_years.is_flagged and pair_years.n_equal >= 2 as is_confirmed,
        coalesce(
            pair_years.year - lag(pair_years.year) over (
                partition by pair_years.family_id, pair_years.municipality_a, pair_years.municipality_b
                order by pair_years.year
            ) > 2,
            true
        ) as starts_run
    from pair_years
    where pair_years.is_joint
),

numbered as (
    select
        joint_years.*,
        sum(cast(joint_years.starts_run as integer)) over (
            partition by joint_years.family_id, joint_years.municipality_a, joint_years.municipality_b
            order by joint_years.year
        ) as run_no
    from joint_years
),

runs as (
    select
        numbered.family_id,
        numbered.municipality_a,
        numbered.municipality_b,
        numbered.run_no,
        count(*) as joint_years,
        min(numbered.year) as first_year,
        max(numbered.year) as last_year,
        sum(numbered.log10_p_chance) as log10_p_chance,
        bool_and(numbered.is_confirmed) as is_confirmed
    from numbered
    group by all
),

strongest as (
    select runs.* from runs
    qualify row_number() over (
        partition by runs.family_id, runs.municipality_a, runs.municipality_b
        order by runs.log10_p_chance, runs.run_no
    ) = 1
),

final as (
    select
        strongest.family_id,
        strongest.municipality_a,
        strongest.municipality_b,
        strongest.joint_years,
        strongest.first_year,
        strongest.last_year,
        strongest.log10_p_chance,
        strongest.log10_p_chance + log10(tests.n_tests) as log10_p_bound,
        coalesce(kommun_a.county_name, '') = coalesce(kommun_b.county_name, '') as is_same_county,
        strongest.is_confirmed as is_flag_confirmed,
        strongest.joint_years >= {{ var('discovery_min_years') }}
        and (
            strongest.is_confirmed
            or strongest.log10_p_chance + log10(tests.n_tests) <= log10({{ var('discovery_alpha') }})
            + case
                when coalesce(kommun_a.county_name, '') = coalesce(kommun_b.county_name, '') then 0
                else log10({{ var('discovery_other_county_factor') }})
            end
        ) as is_significant
    from strongest
    cross join tests
    inner join kommuner as kommun_a
        on strongest.municipality_a = kommun_a.municipality_id
    inner join kommuner as kommun_b
        on strongest.municipality_b = kommun_b.municipality_id
)

select * from final
