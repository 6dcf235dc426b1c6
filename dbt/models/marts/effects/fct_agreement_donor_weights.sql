with

weights as (
    select * from {{ source('analysis', 'donor_weights') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

final as (
    select
        weights.agreement_id,
        weights.municipality_id,
        weights.kpi_id,
        weights.method,
        weights.donor_id,
        coalesce(municipalities.municipality_name, weights.donor_id) as donor_name,
        weights.weight,
        row_number() over (
            partition by weights.agreement_id, weights.municipality_id, weights.kpi_id, weights.method
            order by weights.weight desc, weights.donor_id asc
        ) as weight_rank
    from weights
    left join municipalities
        on weights.donor_id = municipalities.municipality_id
)

select * from final
