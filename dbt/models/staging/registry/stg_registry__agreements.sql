with

source as (
    select * from {{ source('registry', 'registry_agreements') }}
),

final as (
    select
        cast(source.agreement_id as varchar) as agreement_id,
        cast(source.name as varchar) as agreement_name,
        cast(source.form as varchar) as form,
        cast(source.area as varchar) as area_id,
        cast(source.purpose as varchar[]) as purpose,
        cast(source.host_kommun as varchar) as host_municipality_id,
        cast(source.start_date as date) as start_date,
        cast(source.end_date as date) as end_date,
        cast(source.predecessor as varchar) as predecessor_agreement_id,
        cast(source.successor as varchar) as successor_agreement_id,
        cast(source.kolada_group as varchar) as kolada_group_id,
        cast(source.notes as varchar) as notes,
        cast(source.source_file as varchar) as source_file,
        cast(source.seat_kommun as varchar) as seat_municipality_id,
        cast(source.sources as varchar[]) as sources,
        cast(source.unverified as varchar[]) as unverified_fields,
        cast(source.illustrative as varchar[]) as illustrative_sections
    from source
)

select * from final
