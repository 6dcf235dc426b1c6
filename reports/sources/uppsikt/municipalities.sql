-- One row per kommun, all of them: the summary of its cooperations and the link to its page
-- (marts.fct_municipality_summary writes the sentences); name_order is Swedish alphabetical order.
select
    municipality_id,
    municipality_name,
    coalesce(county_name, '') as county_name,
    sv_num(population_latest, 0) as population_text,
    coalesce(cast(population_year as varchar), '–') as population_year,
    name_order,
    current_count,
    ended_count,
    current_count as agreement_count,
    has_cooperations,
    question_count,
    summary_text,
    coalesce(add_cooperation_text, '') as add_cooperation_text,
    candidate_count,
    candidates_text,
    page_link
from marts.fct_municipality_summary
order by name_order
