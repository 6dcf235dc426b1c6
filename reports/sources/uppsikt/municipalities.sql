-- One row per kommun that is a member of at least one cooperation in the registry.
with

municipalities as (
    select * from marts.dim_municipalities
),

agreements as (
    select * from marts.dim_agreements
),

memberships as (
    select
        unnest(agreements.member_ids) as municipality_id,
        agreements.agreement_id
    from agreements
),

final as (
    select
        municipalities.municipality_id,
        municipalities.municipality_name,
        municipalities.county_name,
        sv_num(municipalities.population_latest, 0) as population_text,
        cast(municipalities.population_year as varchar) as population_year,
        count(distinct memberships.agreement_id) as agreement_count,
        '/kommun/' || municipalities.municipality_id || '/' as page_link
    from municipalities
    inner join memberships on municipalities.municipality_id = memberships.municipality_id
    group by all
)

select * from final
order by municipality_name
