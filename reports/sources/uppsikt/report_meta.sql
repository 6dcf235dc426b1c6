-- One row about the data: demo or live, the banner text and the latest data year.
select
    data_source,
    is_demo,
    banner_text,
    latest_data_year,
    kolada_extracted_at,
    scb_extracted_at,
    built_at
from marts.dim_report_meta
