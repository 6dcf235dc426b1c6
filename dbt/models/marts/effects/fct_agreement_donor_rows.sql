-- The control kommuner behind each member's counterfactual under the primary method (rules.yaml), as the
-- cooperation page's method section lists them: the largest weights first, in one line per member and KPI.
with

weights as (
    select * from {{ ref('fct_agreement_donor_weights') }}
),

methods as (
    select * from {{ ref('dim_effect_methods') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

primary_weights as (
    select weights.*
    from weights
    inner join methods on weights.method = methods.method
    where methods.is_primary
),

final as (
    select
        primary_weights.agreement_id,
        primary_weights.municipality_id,
        coalesce(municipalities.municipality_name, primary_weights.municipality_id) as municipality_name,
        primary_weights.kpi_id,
        cast(count(*) as integer) as donor_count,
        string_agg(
            primary_weights.donor_name || ' '
            || replace(printf('%.1f', 100 * primary_weights.weight), '.', ',') || ' %',
            ', ' order by primary_weights.weight_rank
        ) filter (where primary_weights.weight_rank <= 10) as donors_text
    from primary_weights
    left join municipalities on primary_weights.municipality_id = municipalities.municipality_id
    group by
        primary_weights.agreement_id,
        primary_weights.municipality_id,
        municipalities.municipality_name,
        primary_weights.kpi_id
)

select * from final
