"""raw.scb_rs_values: SCB's räkenskapssammandrag must add up before dbt reads it."""

from __future__ import annotations

from expectations.spec import ROWS, Rule, Severity, Suite
from expectations.table_rules import has_rows_rule, key_unique_rule, volume_rule

KEY = ("region", "verksamhet", "contents_code", "year")
RIKET = "00"
NETTO, BRUTTO_COST, BRUTTO_INCOME = "0000005X", "0000005Z", "0000005Y"
# Each kommun's figure is rounded to whole tkr, so the sum may drift by up to 1 tkr per kommun.
RIKET_TOLERANCE_TKR_PER_KOMMUN = 1.0
# Three rounded figures: brutto − intäkt may differ from netto by up to 1.5 tkr.
NETTO_TOLERANCE_TKR = 2.0

_ROWS_SQL = """
select
    rowid as _row_id,
    region,
    verksamhet,
    contents_code,
    year,
    value_tkr,
    value_tkr is null
        or coalesce(isfinite(try_cast(value_tkr as double)), false) as value_is_numeric
from raw.scb_rs_values
"""

# One row per verksamhet × measure × year that has a Riket figure: how far the kommuner's sum is off,
# beyond rounding (excess_tkr <= 0 is right).
_RIKET_SQL = f"""
with riket as (
    select verksamhet, contents_code, year, value_tkr as riket_tkr
    from raw.scb_rs_values
    where region = '{RIKET}' and value_tkr is not null
),
kommuner as (
    select verksamhet, contents_code, year, sum(value_tkr) as kommun_sum_tkr, count(value_tkr) as kommuner
    from raw.scb_rs_values
    where region <> '{RIKET}'
    group by verksamhet, contents_code, year
)
select
    riket.verksamhet,
    riket.contents_code,
    riket.year,
    riket.riket_tkr,
    coalesce(kommuner.kommun_sum_tkr, 0) as kommun_sum_tkr,
    coalesce(kommuner.kommuner, 0) as kommuner,
    abs(riket.riket_tkr - coalesce(kommuner.kommun_sum_tkr, 0))
        - greatest(coalesce(kommuner.kommuner, 0), 1) * {RIKET_TOLERANCE_TKR_PER_KOMMUN} as excess_tkr
from riket
left join kommuner using (verksamhet, contents_code, year)
"""

# One row per region × verksamhet × year where all three measures are present.
_NETTO_SQL = f"""
with measures as (
    select
        region,
        verksamhet,
        year,
        max(value_tkr) filter (where contents_code = '{BRUTTO_COST}') as brutto_cost_tkr,
        max(value_tkr) filter (where contents_code = '{BRUTTO_INCOME}') as brutto_income_tkr,
        max(value_tkr) filter (where contents_code = '{NETTO}') as netto_tkr
    from raw.scb_rs_values
    group by region, verksamhet, year
)
select
    *,
    abs(brutto_cost_tkr - brutto_income_tkr - netto_tkr) - {NETTO_TOLERANCE_TKR} as excess_tkr
from measures
where brutto_cost_tkr is not null and brutto_income_tkr is not null and netto_tkr is not null
"""

_RULES = (
    *(
        Rule(
            name=f"{column}_not_null",
            expectation="ExpectColumnValuesToNotBeNull",
            kwargs=lambda _, column=column: {"column": column},
            severity=Severity.WARNING,
            description=f"Varje värde har {label}",
            quarantine_reason=f"Värdet saknar {label}",
        )
        for column, label in (
            ("region", "region"),
            ("verksamhet", "verksamhetskod"),
            ("contents_code", "mått"),
            ("year", "år"),
        )
    ),
    Rule(
        name="value_numeric",
        expectation="ExpectColumnValuesToBeInSet",
        kwargs=lambda _: {"column": "value_is_numeric", "value_set": [True]},
        severity=Severity.WARNING,
        description="Beloppet är ett ändligt tal eller saknas",
        quarantine_reason="Beloppet {value_tkr} är inte ett ändligt tal",
    ),
    key_unique_rule(KEY, "Högst en rad per region, verksamhet, mått och år"),
    has_rows_rule(),
    volume_rule(),
    Rule(
        name="riket_equals_sum_of_kommuner",
        expectation="ExpectColumnValuesToBeBetween",
        kwargs=lambda _: {"column": "excess_tkr", "max_value": 0},
        severity=Severity.BLOCKING,
        description=(
            "Riket (00) är summan av kommunerna per verksamhet, mått och år, "
            f"inom avrundning (±{RIKET_TOLERANCE_TKR_PER_KOMMUN:g} tkr per kommun)"
        ),
        frame="riket",
    ),
    Rule(
        name="netto_equals_brutto_minus_income",
        expectation="ExpectColumnValuesToBeBetween",
        kwargs=lambda _: {"column": "excess_tkr", "max_value": 0},
        severity=Severity.WARNING,
        description=(
            f"Bruttokostnad − bruttointäkt är nettokostnad där alla tre finns (±{NETTO_TOLERANCE_TKR:g} tkr)"
        ),
        frame="netto",
    ),
)

SCB_RS_VALUES = Suite(
    name="raw_scb_rs_values",
    asset_key=("raw", "scb_rs_values"),
    table="raw.scb_rs_values",
    key_columns=KEY,
    frames={ROWS: _ROWS_SQL, "riket": _RIKET_SQL, "netto": _NETTO_SQL},
    rules=_RULES,
    description="SCB:s räkenskapssammandrag i råskiktet: riket är summan av kommunerna, netto går ihop",
    reference={},
)
