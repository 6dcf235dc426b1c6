-- One row per cooperation for the overview: facts in words, the verdict and its badge per dimension,
-- the latest year and the data status with its judgement (quality_ok).
with

agreements as (
    select * from {{ ref('dim_agreements') }}
),

verdicts as (
    select * from {{ ref('fct_agreement_verdict_rows') }}
),

kpis as (
    select * from {{ ref('dim_kpis') }}
),

freshness as (
    select * from {{ ref('fct_kpi_freshness') }}
),

verdict_columns as (
    select
        verdicts.agreement_id,
        max(verdicts.verdict) filter (where verdicts.dimension = 'kostnad') as verdict_kostnad,
        max(verdicts.badge_text) filter (where verdicts.dimension = 'kostnad') as verdict_kostnad_text,
        max(verdicts.verdict) filter (where verdicts.dimension = 'kvalitet') as verdict_kvalitet,
        max(verdicts.badge_text) filter (where verdicts.dimension = 'kvalitet') as verdict_kvalitet_text,
        max(verdicts.verdict) filter (where verdicts.dimension = 'personal') as verdict_personal,
        max(verdicts.badge_text) filter (where verdicts.dimension = 'personal') as verdict_personal_text,
        max(verdicts.verdict) filter (where verdicts.dimension = 'samlat') as verdict_samlat,
        max(verdicts.badge_text) filter (where verdicts.dimension = 'samlat') as verdict_samlat_text
    from verdicts
    group by verdicts.agreement_id
),

-- A KPI of the area whose latest year lags what Kolada should have published by now.
stale_kpis as (
    select
        kpis.area_id,
        count(*) as stale_count
    from kpis
    inner join freshness on kpis.kpi_id = freshness.kpi_id
    where not freshness.is_fresh
    group by kpis.area_id
),

final as (
    select
        agreements.agreement_id,
        agreements.agreement_name,
        agreements.form_label,
        agreements.area_title,
        agreements.status_label,
        agreements.is_active,
        agreements.members_with_host_text,
        agreements.host_label,
        coalesce(verdict_columns.verdict_kostnad, 'saknas') as verdict_kostnad,
        coalesce(verdict_columns.verdict_kostnad_text, 'Ingen bedömning') as verdict_kostnad_text,
        coalesce(verdict_columns.verdict_kvalitet, 'saknas') as verdict_kvalitet,
        coalesce(verdict_columns.verdict_kvalitet_text, 'Ingen bedömning') as verdict_kvalitet_text,
        coalesce(verdict_columns.verdict_personal, 'saknas') as verdict_personal,
        coalesce(verdict_columns.verdict_personal_text, 'Ingen bedömning') as verdict_personal_text,
        coalesce(verdict_columns.verdict_samlat, 'saknas') as verdict_samlat,
        coalesce(verdict_columns.verdict_samlat_text, 'Ingen bedömning') as verdict_samlat_text,
        cast(agreements.latest_data_year as integer) as latest_data_year,
        case
            when coalesce(stale_kpis.stale_count, 0) > 0
                then 'Försenade uppgifter (' || stale_kpis.stale_count || ' nyckeltal)'
            when agreements.has_illustrative_figures then 'Exempelsiffror i registret'
            when agreements.latest_data_year is null then 'Uppgifter saknas'
            else 'Aktuella uppgifter'
        end as quality_text,
        coalesce(stale_kpis.stale_count, 0) = 0
        and not agreements.has_illustrative_figures
        and agreements.latest_data_year is not null as quality_ok,
        agreements.page_link
    from agreements
    left join verdict_columns on agreements.agreement_id = verdict_columns.agreement_id
    left join stale_kpis on agreements.area_id = stale_kpis.area_id
)

select * from final
