-- The dimensions a verdict is given in, with the Swedish label and the order the report shows them in:
-- the one home of these words.
with

dimensions as (
    select
        'kostnad' as dimension,
        'Kostnad' as dimension_label,
        1 as dimension_order
    union all
    select
        'kvalitet' as dimension,
        'Kvalitet' as dimension_label,
        2 as dimension_order
    union all
    select
        'personal' as dimension,
        'Personal' as dimension_label,
        3 as dimension_order
    union all
    select
        'samlat' as dimension,
        'Samlat' as dimension_label,
        4 as dimension_order
),

final as (
    select
        cast(dimensions.dimension as varchar) as dimension,
        cast(dimensions.dimension_label as varchar) as dimension_label,
        cast(dimensions.dimension_order as integer) as dimension_order
    from dimensions
)

select * from final
