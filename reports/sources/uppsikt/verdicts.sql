-- One row per cooperation and dimension: the verdict, its kind of "kan inte avgöras" and the badge text,
-- as marts.fct_agreement_verdict_rows words them.
select
    agreement_id,
    dimension,
    dimension_label,
    dimension_order,
    in_purpose,
    in_purpose_text,
    verdict,
    verdict_text,
    coalesce(undecided_kind, '') as undecided_kind,
    coalesce(undecided_text, '') as undecided_text,
    badge_text,
    is_measured,
    rule,
    reasons
from marts.fct_agreement_verdict_rows
order by agreement_id, dimension_order
