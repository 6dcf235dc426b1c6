-- One row per cooperation for the overview: facts, the verdict per dimension, latest year, data status.
with

agreements as (
    select * from marts.dim_agreements
),

verdicts as (
    select * from marts.fct_agreement_verdicts
),

kpis as (
    select * from marts.dim_kpis
),

freshness as (
    select * from quality.freshness
),

verdict_columns as (
    select
        verdicts.agreement_id,
        max(verdicts.verdict) filter (where verdicts.dimension = 'kostnad') as verdict_kostnad,
        max(verdicts.verdict) filter (where verdicts.dimension = 'kvalitet') as verdict_kvalitet,
        max(verdicts.verdict) filter (where verdicts.dimension = 'personal') as verdict_personal,
        max(verdicts.verdict) filter (where verdicts.dimension = 'samlat') as verdict_samlat
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
        case agreements.form
            when 'kommunalforbund' then 'Kommunalförbund'
            when 'gemensam_namnd' then 'Gemensam nämnd'
            when 'avtalssamverkan' then 'Avtalssamverkan'
            when 'bolag' then 'Bolag'
            else 'Övrig'
        end as form_label,
        agreements.area_title,
        coalesce(agreements.members_text, '–') as members_text,
        coalesce(agreements.host_name, '–') as host_name,
        coalesce(verdict_columns.verdict_kostnad, 'saknas') as verdict_kostnad,
        sv_verdict(verdict_columns.verdict_kostnad) as verdict_kostnad_text,
        coalesce(verdict_columns.verdict_kvalitet, 'saknas') as verdict_kvalitet,
        sv_verdict(verdict_columns.verdict_kvalitet) as verdict_kvalitet_text,
        coalesce(verdict_columns.verdict_personal, 'saknas') as verdict_personal,
        sv_verdict(verdict_columns.verdict_personal) as verdict_personal_text,
        coalesce(verdict_columns.verdict_samlat, 'saknas') as verdict_samlat,
        sv_verdict(verdict_columns.verdict_samlat) as verdict_samlat_text,
        coalesce(cast(agreements.latest_data_year as varchar), '–') as latest_data_year,
        case
            when coalesce(stale_kpis.stale_count, 0) > 0
                then 'Försenade uppgifter (' || stale_kpis.stale_count || ' nyckeltal)'
            when agreements.has_illustrative_figures then 'Exempelsiffror i registret'
            else 'Aktuella uppgifter'
        end as quality_text,
        coalesce(stale_kpis.stale_count, 0) = 0 and not agreements.has_illustrative_figures as quality_ok,
        '/samverkan/' || agreements.agreement_id || '/' as page_link
    from agreements
    left join verdict_columns on agreements.agreement_id = verdict_columns.agreement_id
    left join stale_kpis on agreements.area_id = stale_kpis.area_id
)

select * from final
order by agreement_name
