"""raw.kolada_values: what a Kolada pull must satisfy before dbt reads it."""

from __future__ import annotations

from typing import Any

from expectations import plausibility
from expectations.spec import ROWS, Params, Rule, Severity, Suite
from expectations.table_rules import has_rows_rule, key_unique_rule, volume_rule

KEY = ("kpi", "municipality", "year", "gender")
GENDERS = ("T", "K", "M")
FIRST_YEAR = 2000

_ROWS_SQL = f"""
with {plausibility.CTES}
select
    _row_id,
    kpi,
    municipality,
    year,
    gender,
    value,
    count,
    -- value is double by contract; try_cast also catches a text column, isfinite NaN and ±inf
    value is null or coalesce(isfinite(try_cast(value as double)), false) as value_is_numeric,
    {plausibility.COLUMNS}
from judged
"""


def _not_null(column: str, label: str) -> Rule:
    return Rule(
        name=f"{column}_not_null",
        expectation="ExpectColumnValuesToNotBeNull",
        kwargs=lambda _: {"column": column},
        severity=Severity.WARNING,
        description=f"Varje värde har {label}",
        quarantine_reason=f"Värdet saknar {label}",
    )


# Kolada sends count 0 with a missing value (status "Saknas"): only a value needs a count. The condition in
# Great Expectations' own serialised form (what Column("value").is_not_null() gives), so that the rule's
# parameters are known without importing the library (a run that validates nothing new never does: reuse).
VALUE_PRESENT = {"type": "nullity", "column": {"name": "value"}, "is_null": False}


def _count_kwargs(_: Params) -> dict[str, Any]:
    return {"column": "count", "min_value": 1, "row_condition": VALUE_PRESENT}


ROW_RULES = (
    _not_null("kpi", "nyckeltals-id"),
    _not_null("municipality", "kommunkod"),
    _not_null("year", "år"),
    _not_null("gender", "kön"),
    Rule(
        name="kpi_known",
        expectation="ExpectColumnValuesToBeInSet",
        kwargs=lambda p: {"column": "kpi", "value_set": list(p.reference["kpis"])},
        severity=Severity.WARNING,
        description="Nyckeltalet finns i Koladas nyckeltalslista (raw.kolada_kpis)",
        quarantine_reason="Nyckeltalet {kpi} finns inte i Koladas nyckeltalslista",
    ),
    Rule(
        name="municipality_known",
        expectation="ExpectColumnValuesToBeInSet",
        kwargs=lambda p: {"column": "municipality", "value_set": list(p.reference["municipalities"])},
        severity=Severity.WARNING,
        description="Kommunkoden finns hos Kolada eller i registrets kommunlista",
        quarantine_reason="Kommunkoden {municipality} är okänd",
    ),
    Rule(
        name="year_in_range",
        expectation="ExpectColumnValuesToBeBetween",
        kwargs=lambda p: {"column": "year", "min_value": FIRST_YEAR, "max_value": p.today.year},
        severity=Severity.WARNING,
        description=f"Året ligger mellan {FIRST_YEAR} och innevarande år",
        quarantine_reason=f"Året {{year}} ligger utanför {FIRST_YEAR}–innevarande år",
    ),
    Rule(
        name="gender_allowed",
        expectation="ExpectColumnValuesToBeInSet",
        kwargs=lambda _: {"column": "gender", "value_set": list(GENDERS)},
        severity=Severity.WARNING,
        description="Kön är T (totalt), K (kvinnor) eller M (män)",
        quarantine_reason="Könet {gender!r} är inte T, K eller M",
    ),
    Rule(
        name="value_numeric",
        expectation="ExpectColumnValuesToBeInSet",
        kwargs=lambda _: {"column": "value_is_numeric", "value_set": [True]},
        severity=Severity.WARNING,
        description="Värdet är ett ändligt tal eller saknas",
        quarantine_reason="Värdet {value} är inte ett ändligt tal",
    ),
    Rule(
        name="count_positive",
        expectation="ExpectColumnValuesToBeBetween",
        kwargs=_count_kwargs,
        severity=Severity.WARNING,
        description="Antalet bakom ett värde (count) är minst 1 när det anges",
        quarantine_reason="Antalet bakom värdet (count) är {count}, inte minst 1",
    ),
    *plausibility.ROW_RULES,
)

TABLE_RULES = (
    key_unique_rule(KEY, "Högst en rad per nyckeltal, kommun, år och kön"),
    has_rows_rule(),
    volume_rule(),
)

KOLADA_VALUES = Suite(
    name="raw_kolada_values",
    asset_key=("raw", "kolada_values"),
    table="raw.kolada_values",
    key_columns=KEY,
    frames={ROWS: _ROWS_SQL},
    rules=ROW_RULES + TABLE_RULES,
    description=(
        "Koladavärden i råskiktet: kända id:n, rimliga år och kön, tal, rimliga värden, unika nycklar, volym"
    ),
    reference={
        "kpis": "select id from raw.kolada_kpis where id is not null",
        "municipalities": (
            "select id from raw.kolada_municipalities where id is not null "
            "union select kommun from raw.registry_kommuner where kommun is not null"
        ),
    },
    reads=(
        ("raw", "kolada_kpis"),
        ("raw", "kolada_municipalities"),
        ("raw", "registry_kommuner"),
        ("raw", "registry_area_kpis"),
    ),
)
