-- One row about the data: demo or live, the banner text, the latest data year and the fetch times.
select
    data_source,
    is_demo,
    banner_text,
    source_text,
    coalesce(cast(latest_data_year as varchar), '–') as latest_data_year,
    sv_time(kolada_extracted_at) as kolada_extracted_at,
    sv_time(scb_extracted_at) as scb_extracted_at,
    sv_time(built_at) as built_at,
    sv_date(built_at) as report_date,
    -- The report's identity (microseconds since 1970, time-zone free): its history entry carries the same.
    epoch_us(built_at) as report_id
from marts.dim_report_meta
