-- The dimensions a verdict is given in, with the Swedish label and the order the report shows them in:
-- the one home of these words.
with

dimensions as (
    select *
    from (
        values
        ('kostnad', 'Kostnad', 1),
        ('kvalitet', 'Kvalitet', 2),
        ('personal', 'Personal', 3),
        ('samlat', 'Samlat', 4)
    )
),

final as (
    select
        cast(dimensions.dimension as varchar) as dimension,
        cast(dimensions.dimension_label as varchar) as dimension_label,
        cast(dimensions.dimension_order as integer) as dimension_order
    from dimensions
)

select * from final
