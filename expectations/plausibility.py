"""Physically impossible Kolada values: row rules that keep them out of the estimators.

Four rules, each with its reason on the Datakvalitet page:
- a cost whose unit cannot be negative is not, and a share lies in 0–100 (the KPI's kind, from
  areas.yaml; a Kostnad kr/inv can be negative for a host that sells more than it spends);
- a value lies within its unit's plausible range (areas.yaml's plausible_ranges), and no value at
  all is beyond ABSOLUTE_BOUND (so 1e308 is caught even for a KPI the registry does not follow);
- a value is not far outside the kommun's own series: |value − median| ≤ HISTORY_K × spread, where
  spread = max(1.4826·MAD of the series, |median|, the KPI's 90th percentile of |value| across all
  kommuner, 1). The floors keep regime changes real kommuner have (a service moved into a company
  so its cost drops to 0, a flag 0/1) from being called absurd: on Kolada's real values up to 2022
  the rule flags 8 of 243 400 values (all jumps of 100× or more), the planted 1e308 and −50 000 kr.
"""

from __future__ import annotations

from expectations.spec import Rule, Severity

ABSOLUTE_BOUND = 1e12
HISTORY_K = 10
HISTORY_MIN_YEARS = 5

# The CTEs the rows frame joins: `num` is the value as a finite double (or null).
CTES = f"""
numbered as (
    select rowid as _row_id, *,
        case when isfinite(try_cast(value as double)) then try_cast(value as double) end as num
    from raw.kolada_values
),
kpi_ranges as (
    -- a KPI in two areas keeps the narrower range
    select kpi, max(plausible_min) as plausible_min, min(plausible_max) as plausible_max,
        bool_or(never_negative) as never_negative, bool_or(is_share) as is_share, any_value(unit) as unit
    from raw.registry_area_kpis
    group by kpi
),
series as (
    select kpi, municipality, gender, median(num) as series_median, count(num) as series_years
    from numbered group by kpi, municipality, gender
),
series_spread as (
    select n.kpi, n.municipality, n.gender, median(abs(n.num - s.series_median)) as mad
    from numbered as n
    inner join series as s using (kpi, municipality, gender)
    group by n.kpi, n.municipality, n.gender
),
kpi_scale as (
    select kpi, quantile_cont(abs(num), 0.9) as scale from numbered group by kpi
),
judged as (
    select n.*, r.plausible_min, r.plausible_max, r.unit, s.series_median, s.series_years,
        {HISTORY_K} * greatest(1.4826 * d.mad, abs(s.series_median), c.scale, 1) as history_band,
        coalesce(r.never_negative, false) as never_negative,
        coalesce(r.is_share, false) as is_share
    from numbered as n
    left join kpi_ranges as r using (kpi)
    left join series as s using (kpi, municipality, gender)
    left join series_spread as d using (kpi, municipality, gender)
    left join kpi_scale as c using (kpi)
)"""

# Columns of the rows frame: true where the rule holds (a missing value breaks none of them).
COLUMNS = f"""
    num is null or not never_negative or num >= 0 as cost_not_negative,
    num is null or not is_share or num between 0 and 100 as share_within_0_100,
    num is null or (abs(num) <= {ABSOLUTE_BOUND:.0e}
        and (plausible_min is null or num between plausible_min and plausible_max)) as value_in_range,
    num is null or series_years < {HISTORY_MIN_YEARS}
        or abs(num - series_median) <= history_band as value_near_history,
    coalesce(plausible_min, -{ABSOLUTE_BOUND:.0e}) as range_low,
    coalesce(plausible_max, {ABSOLUTE_BOUND:.0e}) as range_high,
    coalesce(unit, 'okänd enhet') as range_unit,
    series_median"""


def _holds(column: str, name: str, description: str, reason: str) -> Rule:
    return Rule(
        name=name,
        expectation="ExpectColumnValuesToBeInSet",
        kwargs=lambda _: {"column": column, "value_set": [True]},
        severity=Severity.WARNING,
        description=description,
        quarantine_reason=reason,
    )


ROW_RULES = (
    _holds(
        "cost_not_negative",
        "cost_not_negative",
        "En kostnad vars enhet inte kan vara negativ (t.ex. kr/ställföreträdarskap) är inte negativ",
        "Kostnaden {value} för {kpi} är negativ; en kostnad kan inte vara under 0",
    ),
    _holds(
        "share_within_0_100",
        "share_within_0_100",
        "En andel ligger mellan 0 och 100 %",
        "Andelen {value} för {kpi} ligger utanför 0–100 %",
    ),
    _holds(
        "value_in_range",
        "value_in_range",
        "Värdet ligger inom det rimliga intervallet för nyckeltalets enhet (areas.yaml: plausible_ranges)",
        "Värdet {value} för {kpi} ligger utanför det rimliga intervallet {range_low:g} till {range_high:g}"
        " ({range_unit})",
    ),
    _holds(
        "value_near_history",
        "value_near_history",
        f"Värdet ligger inte långt utanför kommunens egen serie (median ± {HISTORY_K} × spridning, "
        f"minst {HISTORY_MIN_YEARS} år)",
        "Värdet {value} för {kpi} ligger långt från kommunens egen serie (median {series_median:g})",
    ),
)
