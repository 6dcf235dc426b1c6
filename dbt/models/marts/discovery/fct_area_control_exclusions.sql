with

excluded as (
    select * from {{ ref('int_area_excluded_controls') }}
),

areas as (
    select * from {{ ref('stg_registry__areas') }}
),

counts as (
    select
        excluded.area_id,
        count(*) as excluded_count,
        count(*) filter (where excluded.is_registered_member) as registered_count,
        count(*) filter (where excluded.is_discovered_member and not excluded.is_registered_member)
            as discovered_only_count
    from excluded
    group by excluded.area_id
),

final as (
    select
        areas.area_id,
        coalesce(areas.area_title, areas.area_id) as area_title,
        coalesce(counts.excluded_count, 0) as excluded_count,
        coalesce(counts.registered_count, 0) as registered_count,
        coalesce(counts.discovered_only_count, 0) as discovered_only_count
    from areas
    left join counts
        on areas.area_id = counts.area_id
)

select * from final
