with

spans as (
    select * from {{ ref('int_cooperation_candidate_spans') }}
),

matches as (
    select * from {{ ref('int_cooperation_candidate_matches') }}
),

candidate_members as (
    select * from {{ ref('int_cooperation_candidate_members') }}
),

member_years as (
    select * from {{ ref('int_cooperation_candidate_member_years') }}
),

signature_values as (
    select * from {{ ref('int_signature_values') }}
),

signature_kpis as (
    select * from {{ ref('stg_registry__signature_kpis') }}
),

kommuner as (
    select * from {{ ref('stg_registry__kommuner') }}
),

kolada_groups as (
    select * from {{ ref('stg_kolada__municipality_groups') }}
),

families as (
    select
        signature_kpis.family_id,
        any_value(signature_kpis.family_title) as family_title,
        any_value(signature_kpis.family_form) as family_form
    from signature_kpis
    group by all
),

kpi_years as (
    select distinct
        member_years.candidate_id,
        unnest(member_years.equal_kpis) as kpi_id,
        member_years.year
    from member_years
),

-- the flag KPI (U17808 = 1) in the years every reporting member has it
flag_years as (
    select
        member_years.candidate_id,
        signature_values.kpi_id || '=1' as kpi_id,
        member_years.year
    from member_years
    inner join signature_values
        on
            member_years.family_id = signature_values.family_id
            and member_years.municipality_id = signature_values.municipality_id
            and member_years.year = signature_values.year
    where signature_values.kind = 'member_flag'
    group by member_years.candidate_id, signature_values.kpi_id, member_years.year
    having bool_and(signature_values.value = 1)
),

evidence_years as (
    select * from kpi_years
    union all
    select * from flag_years
),

islands as (
    select
        evidence_years.candidate_id,
        evidence_years.kpi_id,
        min(evidence_years.year) as from_year,
        max(evidence_years.year) as to_year
    from (
        select
            evidence_years.*,
            evidence_years.year - row_number() over (
                partition by evidence_years.candidate_id, evidence_years.kpi_id order by evidence_years.year
            ) as island
        from evidence_years
    ) as evidence_years
    group by evidence_years.candidate_id, evidence_years.kpi_id, evidence_years.island
),

evidence_per_kpi as (
    select
        islands.candidate_id,
        islands.kpi_id,
        islands.kpi_id || ' ' || string_agg(
            case
                when islands.from_year = islands.to_year then cast(islands.from_year as varchar)
                else islands.from_year || '–' || islands.to_year
            end, ', ' order by islands.from_year
        ) as kpi_evidence
    from islands
    group by islands.candidate_id, islands.kpi_id
),

evidence as (
    select
        evidence_per_kpi.candidate_id,
        string_agg(evidence_per_kpi.kpi_evidence, '; ' order by evidence_per_kpi.kpi_id) as evidence
    from evidence_per_kpi
    group by all
),

-- the form code (U07496) most members report in the candidate's last year
form_codes as (
    select
        candidate_members.candidate_id,
        mode(cast(signature_values.value as integer)) as form_code
    from candidate_members
    inner join spans
        on candidate_members.candidate_id = spans.candidate_id
    inner join signature_values
        on
            candidate_members.family_id = signature_values.family_id
            and candidate_members.municipality_id = signature_values.municipality_id
            and spans.last_year = signature_values.year
    where signature_values.kind = 'form_code'
    group by all
),

member_lists as (
    select
        candidate_members.candidate_id,
        string_agg(kommuner.municipality_name, ', ' order by candidate_members.municipality_id)
            as member_names,
        string_agg(
            candidate_members.municipality_id || ' ' || kommuner.municipality_name, ', '
            order by candidate_members.municipality_id
        ) as members_text
    from candidate_members
    inner join kommuner
        on candidate_members.municipality_id = kommuner.municipality_id
    group by all
),

-- weak evidence: a Kolada group named after a förbund sharing at least two members
named_groups as (
    select
        candidate_members.candidate_id,
        kolada_groups.group_id,
        count(*) as shared_members
    from candidate_members
    inner join kolada_groups
        on candidate_members.municipality_id = kolada_groups.municipality_id
    where lower(kolada_groups.group_title) like '%förbund%'
    group by candidate_members.candidate_id, kolada_groups.group_id
    having count(*) >= 2
    qualify row_number() over (
        partition by candidate_members.candidate_id order by count(*) desc, kolada_groups.group_id
    ) = 1
),

final as (
    select
        spans.candidate_id,
        spans.family_id,
        spans.area_id,
        families.family_title || ': ' || member_lists.member_names as candidate_name,
        coalesce(
            families.family_form,
            case form_codes.form_code
                when 2 then 'kommunalforbund'
                when 3 then 'gemensam_namnd'
                when 4 then 'bolag'
                when 5 then 'bolag'
            end
        ) as form,
        spans.member_count,
        spans.current_member_count,
        member_lists.members_text,
        spans.first_year,
        spans.start_censored,
        spans.last_year,
        spans.is_ended,
        spans.gap_years,
        spans.gap_year_count,
        evidence.evidence,
        named_groups.group_id as kolada_group_id,
        matches.registry_match,
        matches.agreement_id,
        concat_ws(
            '; ',
            case matches.registry_match
                when 'registrerad' then 'Stämmer med registret: medlemmar, inträden och utträden'
                when 'ej_registrerad' then 'Inte registrerad: ingen samverkan i registret delar två medlemmar'
            end,
            'Data visar medlemmar som registret saknar: ' || matches.members_missing_in_registry,
            'Registrets medlemmar redovisar inte gemensamt: ' || matches.members_missing_in_data,
            'Gemensam redovisning från ett annat år än inträdet: ' || matches.joined_differences,
            'Utträde enligt data: ' || matches.left_differences,
            case
                when spans.start_censored
                    then
                        'Redovisningen börjar med dataserien '
                        || spans.first_year
                        || ', så starten kan vara tidigare'
            end,
            'År utan gemensam redovisning: ' || spans.gap_years
        ) as match_note
    from spans
    inner join matches
        on spans.candidate_id = matches.candidate_id
    inner join families
        on spans.family_id = families.family_id
    inner join member_lists
        on spans.candidate_id = member_lists.candidate_id
    left join evidence
        on spans.candidate_id = evidence.candidate_id
    left join form_codes
        on spans.candidate_id = form_codes.candidate_id
    left join named_groups
        on spans.candidate_id = named_groups.candidate_id
)

select * from final
