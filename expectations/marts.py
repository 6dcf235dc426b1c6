"""The marts the report reads: effects that are numbers, verdicts from the allowed set, keys that add up."""

from __future__ import annotations

from expectations.spec import ROWS, Rule, Severity, Suite

VERDICTS = ("levererar", "levererar_delvis", "levererar_inte", "kan_inte_avgoras")
# Key shares are percentages typed with two decimals (33.33 + 33.33 + 33.34) or computed from population.
KEY_SUM_TOLERANCE_PCT = 0.01

_EFFECTS_SQL = """
select
    *,
    (effect is null or isfinite(effect))
        and (ci_low is null or isfinite(ci_low))
        and (ci_high is null or isfinite(ci_high)) as numbers_finite
from marts.fct_agreement_effects
"""

# Only members that year carry the key in force; years before any key have no shares at all.
_KEY_SUMS_SQL = """
select agreement_id, year, sum(share_pct) as share_sum_pct, count(*) as members
from marts.fct_member_costs
where is_member_that_year and share_pct is not null
group by agreement_id, year
"""


def _members_present_sql(fact: str) -> str:
    # Only cooperations the fact covers, and members whose membership overlaps the fact's years:
    # a cooperation without KPIs (e.g. IT) is absent on purpose, a dropped member is not.
    return f"""
with covered as (
    select agreement_id, min(year) as first_year, max(year) as last_year
    from {fact}
    group by agreement_id
)
select
    members.agreement_id,
    members.kommun as municipality_id,
    exists (
        select 1 from {fact} as fact
        where fact.agreement_id = members.agreement_id and fact.municipality_id = members.kommun
    ) as is_present
from raw.registry_members as members
inner join covered on covered.agreement_id = members.agreement_id
where year(members.joined) <= covered.last_year
    and coalesce(year(members.left_on), 9999) >= covered.first_year
"""


def _members_present(fact: str) -> Rule:
    return Rule(
        name="registry_members_present",
        expectation="ExpectColumnValuesToBeInSet",
        kwargs=lambda _: {"column": "is_present", "value_set": [True]},
        severity=Severity.BLOCKING,
        description=f"Varje medlem i registret (under tabellens år) finns i {fact}",
        frame="members",
    )


def _pair(name: str, high: str, low: str, description: str) -> Rule:
    return Rule(
        name=name,
        expectation="ExpectColumnPairValuesAToBeGreaterThanB",
        kwargs=lambda _: {
            "column_A": high,
            "column_B": low,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
        severity=Severity.BLOCKING,
        description=description,
    )


EFFECTS = Suite(
    name="marts_fct_agreement_effects",
    asset_key=("marts", "fct_agreement_effects"),
    table="marts.fct_agreement_effects",
    key_columns=("agreement_id", "municipality_id", "kpi_id"),
    frames={ROWS: _EFFECTS_SQL},
    rules=(
        Rule(
            name="numbers_finite",
            expectation="ExpectColumnValuesToBeInSet",
            kwargs=lambda _: {"column": "numbers_finite", "value_set": [True]},
            severity=Severity.BLOCKING,
            description="Effekt och intervallgränser är ändliga tal (eller saknas)",
        ),
        _pair("ci_low_le_effect", "effect", "ci_low", "Intervallets nedre gräns ≤ effekten"),
        _pair("effect_le_ci_high", "ci_high", "effect", "Effekten ≤ intervallets övre gräns"),
        Rule(
            name="p_value_in_unit_interval",
            expectation="ExpectColumnValuesToBeBetween",
            kwargs=lambda _: {"column": "p_value", "min_value": 0, "max_value": 1},
            severity=Severity.BLOCKING,
            description="p-värdet ligger mellan 0 och 1",
        ),
    ),
    description="Effekter per samverkan, medlem och nyckeltal: ändliga tal, ordnade intervall",
)

VERDICTS_SUITE = Suite(
    name="marts_fct_agreement_verdicts",
    asset_key=("marts", "fct_agreement_verdicts"),
    table="marts.fct_agreement_verdicts",
    key_columns=("agreement_id", "dimension"),
    frames={ROWS: "select * from marts.fct_agreement_verdicts"},
    rules=(
        Rule(
            name="verdict_allowed",
            expectation="ExpectColumnValuesToBeInSet",
            kwargs=lambda _: {"column": "verdict", "value_set": list(VERDICTS)},
            severity=Severity.BLOCKING,
            description="Omdömet är levererar, levererar_delvis, levererar_inte eller kan_inte_avgoras",
        ),
        Rule(
            name="verdict_not_null",
            expectation="ExpectColumnValuesToNotBeNull",
            kwargs=lambda _: {"column": "verdict"},
            severity=Severity.BLOCKING,
            description="Varje samverkan och dimension har ett omdöme",
        ),
    ),
    description="Omdömen per samverkan och dimension: bara tillåtna omdömen",
)

MEMBER_COSTS = Suite(
    name="marts_fct_member_costs",
    asset_key=("marts", "fct_member_costs"),
    table="marts.fct_member_costs",
    key_columns=("agreement_id", "municipality_id", "year"),
    frames={"key_sums": _KEY_SUMS_SQL, "members": _members_present_sql("marts.fct_member_costs")},
    rules=(
        Rule(
            name="key_shares_sum_to_100",
            expectation="ExpectColumnValuesToBeBetween",
            kwargs=lambda _: {
                "column": "share_sum_pct",
                "min_value": 100 - KEY_SUM_TOLERANCE_PCT,
                "max_value": 100 + KEY_SUM_TOLERANCE_PCT,
            },
            severity=Severity.BLOCKING,
            description="Kostnadsnyckelns andelar summerar till 100 % per samverkan och år",
            frame="key_sums",
        ),
        _members_present("marts.fct_member_costs"),
    ),
    description="Medlemmarnas kostnader: nyckeln går ihop, ingen medlem saknas",
    reads=(("raw", "registry_members"),),
)

KPI_VALUES = Suite(
    name="marts_fct_agreement_kpi_values",
    asset_key=("marts", "fct_agreement_kpi_values"),
    table="marts.fct_agreement_kpi_values",
    key_columns=("agreement_id", "municipality_id", "kpi_id", "year"),
    frames={"members": _members_present_sql("marts.fct_agreement_kpi_values")},
    rules=(_members_present("marts.fct_agreement_kpi_values"),),
    description="Nyckeltal per samverkan och medlem: ingen medlem i registret saknas",
    reads=(("raw", "registry_members"),),
)

MART_SUITES = (EFFECTS, VERDICTS_SUITE, MEMBER_COSTS, KPI_VALUES)
