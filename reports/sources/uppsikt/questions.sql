-- One row per kommun and question to ask about its cooperations (marts.fct_municipality_questions).
select
    municipality_id,
    agreement_id,
    question_no,
    question
from marts.fct_municipality_questions
order by municipality_id, question_no
