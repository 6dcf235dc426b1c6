-- One row about the data: demo or live, the banner text, the latest data year and the fetch times.
select
    data_source,
    is_demo,
    banner_text,
    case when data_source = 'demo' then 'Demodata (simulerad)' else 'Kolada och SCB' end as source_text,
    coalesce(cast(latest_data_year as varchar), '–') as latest_data_year,
    sv_time(kolada_extracted_at) as kolada_extracted_at,
    sv_time(scb_extracted_at) as scb_extracted_at,
    sv_time(built_at) as built_at
from marts.dim_report_meta
