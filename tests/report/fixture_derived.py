"""The derived tables of the report fixture, computed in SQL from its KPI values (see warehouse_fixture).

Costs, effects, verdicts, counterfactual series, targets, response trail and quality results, with
columns as the dbt marts, the staging views and the quality store define them.
"""

from __future__ import annotations

import duckdb

from orchestration.lib.transform.analysis_tables import table_ddl
from orchestration.lib.validate.store import ensure_schema

# (agreement_id, dimension, in_purpose, verdict, rule, reasons)
VERDICTS = [
    ("hoglandets_overformyndarnamnd", "kostnad", True, "levererar", "forbattring",
     "Säkerställd förbättring utan säkerställd försämring."),
    ("hoglandets_overformyndarnamnd", "kvalitet", True, "kan_inte_avgoras", "inga_nyckeltal",
     "Området har inga nyckeltal med riktning i dimensionen."),
    ("hoglandets_overformyndarnamnd", "personal", False, "kan_inte_avgoras", "inga_nyckeltal",
     "Området har inga nyckeltal med riktning i dimensionen."),
    ("hoglandets_overformyndarnamnd", "samlat", None, "levererar_delvis", "syfte_delvis",
     "Samverkan levererar i en del av sina syften, eller de går inte alla att bedöma."),
    ("dalslands_miljo_och_energiforbund", "kostnad", False, "levererar_inte", "forsamring",
     "Säkerställd försämring, ingen säkerställd förbättring."),
    ("dalslands_miljo_och_energiforbund", "kvalitet", True, "levererar", "forbattring",
     "Säkerställd förbättring utan säkerställd försämring."),
    ("dalslands_miljo_och_energiforbund", "personal", True, "kan_inte_avgoras", "inga_nyckeltal",
     "Området har inga nyckeltal med riktning i dimensionen."),
    ("dalslands_miljo_och_energiforbund", "samlat", None, "levererar_delvis", "syfte_delvis",
     "Samverkan levererar i en del av sina syften, eller de går inte alla att bedöma."),
]  # fmt: skip

# The previous report: built 2025-02-01 08:30 UTC (09:30 in Sweden) on data up to 2023. Höglandet's
# kostnad verdict was levererar_inte then (now levererar: better); every other verdict is unchanged.
PREVIOUS_REPORT_AT = "2025-02-01 08:30:00+00"
CHANGES_SQL = f"""
insert into marts.fct_agreement_verdict_changes
select agreement_id, agreement_name, dimension, dimension_order, verdict, verdict_text,
    timestamptz '{PREVIOUS_REPORT_AT}', 2023, verdict, 'oforandrad', verdict_text, false, 'Oförändrad'
from marts.fct_agreement_verdicts;
update marts.fct_agreement_verdict_changes
set previous_verdict = 'levererar_inte', previous_verdict_text = 'Levererar inte', change = 'battre',
    is_changed = true, change_text = 'Bättre, var levererar inte'
where agreement_id = 'hoglandets_overformyndarnamnd' and dimension = 'kostnad';
"""

DDL = """
create schema if not exists staging;
create or replace table marts.fct_member_costs (agreement_id varchar, municipality_id varchar, year int,
    is_member_that_year boolean, is_host boolean, area_id varchar, is_illustrative boolean,
    population double, net_cost_kpi_id varchar, net_cost_kr_per_inv double, cost_kpi_id varchar,
    cost_kr_per_inv double, kolada_net_cost_tkr double, scb_net_cost_tkr double, scb_response_id varchar,
    paid_tkr double, key_rule varchar, key_from_year int, share_pct double, expected_basis varchar,
    expected_tkr double, difference_tkr double, agreement_paid_tkr double, agreement_host_cost_tkr double,
    agreement_charged_to_others_tkr double, agreement_host_surplus_tkr double,
    agreement_net_cost_kr_per_inv_weighted double, is_preliminary boolean);
create or replace table marts.fct_agreement_effects (agreement_id varchar, agreement_name varchar,
    municipality_id varchar, is_total boolean, municipality_name varchar, is_host boolean, kpi_id varchar,
    kpi_title varchar, unit varchar, dimension varchar, better varchar, method varchar, effect double,
    effect_pct double, ci_low double, ci_high double, p_value double, mde double, mde_pct double,
    pre_level double, pre_rmspe double, pre_years int, post_years int, join_year int, n_donors int,
    n_placebos int, pretrend_violated boolean, flags varchar, is_estimated boolean, flag_list varchar[],
    flags_text varchar);
create or replace table marts.fct_agreement_verdicts (agreement_id varchar, agreement_name varchar,
    dimension varchar, dimension_order int, in_purpose boolean, verdict varchar, verdict_text varchar,
    rule varchar, reasons varchar);
create or replace table marts.fct_agreement_effect_series (agreement_id varchar, municipality_id varchar,
    is_total boolean, municipality_name varchar, is_host boolean, kpi_id varchar, kpi_title varchar,
    unit varchar, method varchar, year int, period varchar, observed double, counterfactual double,
    gap double);
create or replace table marts.fct_agreement_targets (agreement_id varchar, target_no int,
    measure varchar, measure_title varchar, unit varchar, comparison varchar, target_value double,
    scope varchar, scope_name varchar, from_year int, to_year int, target_year int, latest_year int,
    latest_value double, slope_per_year double, projected_value double, status varchar,
    status_text varchar);
create or replace table marts.fct_agreement_verdict_changes (agreement_id varchar,
    agreement_name varchar, dimension varchar, dimension_order int, verdict varchar, verdict_text varchar,
    previous_report_built_at timestamptz, previous_data_year int, previous_verdict varchar, change varchar,
    previous_verdict_text varchar, is_changed boolean, change_text varchar);
create or replace table staging.stg_extract__responses (response_id varchar, source_name varchar,
    url varchar, fetched_at timestamptz, http_status int, sha256 varchar);
"""

# Member costs: the area's cost KPI as kr/inv, a ledger from 2022 with a fixed key, the host's own cost.
COSTS_SQL = """
insert into marts.fct_member_costs
with base as (
    select v.agreement_id, v.municipality_id, v.year, v.is_member_that_year, v.is_host, k.area_id,
        v.population, v.kpi_id, v.value, v.response_id,
        v.population / sum(v.population) over (partition by v.agreement_id, v.year) as pop_share
    from marts.fct_agreement_kpi_values as v
    inner join marts.dim_kpis as k on v.kpi_id = k.kpi_id
    where k.dimension = 'kostnad' and k.unit = 'kr/inv'
)
select agreement_id, municipality_id, year, is_member_that_year, is_host, area_id, year >= 2022,
    population, kpi_id, value, null, null, round(value * population / 1000, 1),
    round(value * population / 1000 * 1.02, 1), 'scb-' || municipality_id || '-' || year,
    case when year >= 2022 then round(pop_share * 10000, 1) end, 'fixed', 2022,
    round(pop_share * 100, 1), 'host_cost',
    case when year >= 2022 then round(pop_share * 9800, 1) end,
    case when year >= 2022 then round(pop_share * 10000, 1) - round(pop_share * 9800, 1) end,
    case when year >= 2022 then 10000.0 end, case when year >= 2022 then 9800.0 end,
    null, case when year >= 2022 then 200.0 end,
    round(sum(value * population) over (partition by agreement_id, year)
        / sum(population) over (partition by agreement_id, year), 1),
    year = (select max(year) from base)
from base
"""

EFFECTS_SQL = """
insert into marts.fct_agreement_effects
with units as (
    select distinct v.agreement_id, v.municipality_id, v.is_host, v.kpi_id
    from marts.fct_agreement_kpi_values as v
    union all
    select distinct v.agreement_id, 'total', null, v.kpi_id from marts.fct_agreement_kpi_values as v
),
methods as (select unnest(['synthetic_did', 'synthetic_control', 'diff_in_diff']) as method)
select u.agreement_id, a.agreement_name, u.municipality_id, u.municipality_id = 'total',
    coalesce(m.municipality_name, 'Samverkan som helhet'), u.is_host, u.kpi_id, k.kpi_title, k.unit,
    k.dimension, k.better, methods.method,
    -0.04 * k.first_value, -4.0, -0.07 * k.first_value, -0.01 * k.first_value, 0.02,
    0.03 * k.first_value, 3.0, k.first_value, 0.01 * k.first_value, 5, 4, year(a.start_date), 38, 38,
    false, case when u.municipality_id = 'total' then 'preliminart_ar' else 'svagt_test' end, true,
    case when u.municipality_id = 'total' then ['preliminart_ar'] else ['svagt_test'] end,
    case when u.municipality_id = 'total' then 'senaste året är preliminärt'
        else 'testet är för svagt för att upptäcka rimliga effekter' end
from units as u
cross join methods
inner join marts.dim_agreements as a on u.agreement_id = a.agreement_id
left join marts.dim_municipalities as m on u.municipality_id = m.municipality_id
inner join (
    select k.*, (select min(value) from marts.fct_agreement_kpi_values as v where v.kpi_id = k.kpi_id)
        as first_value
    from marts.dim_kpis as k
) as k on u.kpi_id = k.kpi_id
"""

SERIES_SQL = """
insert into marts.fct_agreement_effect_series
select s.*, s.observed - s.counterfactual
from (
    select v.agreement_id, v.municipality_id, false, m.municipality_name, v.is_host, v.kpi_id,
        k.kpi_title, k.unit, methods.method, v.year,
        case when v.year < year(a.start_date) then 'pre' else 'post' end, v.value as observed,
        v.value * case when v.year < year(a.start_date) then 1.005 else 1.04 end as counterfactual
    from marts.fct_agreement_kpi_values as v
    inner join marts.dim_agreements as a on v.agreement_id = a.agreement_id
    inner join marts.dim_kpis as k on v.kpi_id = k.kpi_id
    left join marts.dim_municipalities as m on v.municipality_id = m.municipality_id
    cross join (select unnest(['synthetic_did', 'synthetic_control', 'diff_in_diff']) as method) as methods
    where v.year <> year(a.start_date)
) as s;
-- The whole, as the estimator writes it beside the members: here their mean.
insert into marts.fct_agreement_effect_series
select agreement_id, 'total', true, 'Samverkan som helhet', false, kpi_id, kpi_title, unit, method, year,
    period, avg(observed), avg(counterfactual), avg(observed) - avg(counterfactual)
from marts.fct_agreement_effect_series
group by agreement_id, kpi_id, kpi_title, unit, method, year, period
"""

# The estimator's donor weights (analysis.donor_weights, as orchestration/lib/transform/effects/store.py
# writes them): every member's counterfactual from Kiruna 60 %, Umeå 30 % and Örebro 10 %, under every method.
DONORS_SQL = """
create schema if not exists analysis;
create or replace table analysis.donor_weights as
select s.agreement_id, s.municipality_id, s.kpi_id, s.method, d.donor_id, d.weight
from (
    select distinct agreement_id, municipality_id, kpi_id, method from marts.fct_agreement_effect_series
) as s
cross join (values ('2584', 0.6), ('2480', 0.3), ('1880', 0.1)) as d (donor_id, weight)
"""

# The estimator's uncertainty bands (analysis.effect_bands, orchestration/lib/transform/effects/bands.py):
# ± 2 % of the counterfactual before the start, ± 5 % after, at 95 % on 38 placebos; the table as the
# estimators' DDL (dbt macro ensure_analysis_tables) declares it.
BANDS_SQL = """
insert into analysis.effect_bands
select agreement_id, municipality_id, kpi_id, method, year, period, counterfactual,
    counterfactual - abs(counterfactual) * case period when 'pre' then 0.02 else 0.05 end as band_low,
    counterfactual + abs(counterfactual) * case period when 'pre' then 0.02 else 0.05 end as band_high,
    0.95 as confidence, 38 as n_placebos
from marts.fct_agreement_effect_series
"""

# Targets as marts.fct_agreement_targets judges them (its dbt unit test covers the judging):
# (agreement_id, target_no, measure, comparison, target_value, scope, from_year, to_year, latest_year,
#  latest_value, slope_per_year, status, status_text)
TARGETS = [
    ("hoglandets_overformyndarnamnd", 1, "U37009", "<=", 20000.0, "total", 2020, 2026, 2024, 18500.0,
     -250.0, "uppnatt", "Uppnått"),
    ("hoglandets_overformyndarnamnd", 2, "U37009", "<=", 15000.0, "0685", 2020, 2025, 2024, 16200.0,
     -1500.0, "pa_vag", "På väg"),
    ("dalslands_miljo_och_energiforbund", 1, "U07449", ">=", 80.0, "total", 2022, 2030, 2024, 71.5,
     0.4, "inte_pa_vag", "Inte på väg"),
    ("dalslands_miljo_och_energiforbund", 2, "nettokostnad_kr_per_inv", "<=", 350.0, "1438", 2024, 2024,
     None, None, None, "saknas", "Uppgifter saknas"),
]  # fmt: skip

TARGETS_SQL = """
insert into marts.fct_agreement_targets
select t.agreement_id, t.target_no, t.measure,
    coalesce(k.kpi_title, 'Nettokostnad för området enligt RS, kr/inv'), coalesce(k.unit, 'kr/inv'),
    t.comparison, t.target_value, t.scope,
    case when t.scope = 'total' then 'Samverkan som helhet' else m.municipality_name end,
    t.from_year, t.to_year, t.to_year, t.latest_year, t.latest_value, t.slope,
    t.latest_value + coalesce(t.slope, 0) * greatest(t.to_year - t.latest_year, 0), t.status,
    t.status_text
from (values {rows}) as t (agreement_id, target_no, measure, comparison, target_value, scope,
    from_year, to_year, latest_year, latest_value, slope, status, status_text)
left join marts.dim_kpis as k on t.measure = k.kpi_id
left join marts.dim_municipalities as m on t.scope = m.municipality_id
"""

RESPONSES_SQL = """
insert into staging.stg_extract__responses
select distinct response_id, 'kolada', 'https://api.kolada.se/v3/data/kpi/' || kpi_id,
    timestamptz '2025-03-01 06:00:00+00', 200, sha256(response_id)
from marts.fct_agreement_kpi_values
union all
select distinct scb_response_id, 'scb', 'https://statistikdatabasen.scb.se/api/v2/tables/TAB4199/data',
    timestamptz '2025-03-01 06:05:00+00', 200, sha256(scb_response_id)
from marts.fct_member_costs
"""

QUALITY_ROWS = [
    ("run-1", "raw_kolada_values", "raw.kolada_values", "value_not_negative",
     "expect_column_values_to_be_between", "blocking", True, True, None, 286, 0, 0.0, None,
     "Värden är inte negativa"),
    ("run-1", "marts", "marts.fct_member_costs", "share_sums_to_100", "expect_column_sum_to_be_between",
     "warning", False, False, "98.5", 40, 1, 2.5, None, "Andelarna i en kostnadsnyckel summerar till 100 %"),
]  # fmt: skip


QUARANTINE_REASON = "Kostnaden -50000.0 för U37009 är negativ; en kostnad kan inte vara under 0"
# Discovery marts (fct_cooperation_candidates, fct_cooperation_candidate_members): one registered
# cooperation the data shows with an earlier start, one the registry lacks.
CANDIDATES_SQL = """
create table marts.fct_cooperation_candidates as select * from (values
    ('overformyndare-0604', 'overformyndare', 'overformyndare',
     'Gemensam överförmyndarorganisation: Aneby, Nässjö, Sävsjö, Vetlanda, Eksjö', null, 5::bigint, 5::bigint,
     '0604 Aneby, 0682 Nässjö, 0684 Sävsjö, 0685 Vetlanda, 0686 Eksjö', 2016, false, 2024, false,
     null::varchar, 0::bigint, 'U37009 2016–2024', 'G168177', 'avviker', 'hoglandets_overformyndarnamnd',
     'Gemensam redovisning från ett annat år än inträdet: 0604 Aneby från 2016 (registret 2019)'),
    ('gymnasieforbund-1438', 'gymnasieforbund', 'gymnasieskola', 'Gymnasieförbund: Dals-Ed, Bengtsfors',
     'kommunalforbund', 2::bigint, 2::bigint, '1438 Dals-Ed, 1460 Bengtsfors', 2012, true, 2024, false, null,
     0::bigint, 'N17300 2012–2024', null, 'ej_registrerad', null,
     'Inte registrerad: ingen samverkan i registret delar två medlemmar')
) as t(candidate_id, family_id, area_id, candidate_name, form, member_count, current_member_count,
    members_text, first_year, start_censored, last_year, is_ended, gap_years, gap_year_count, evidence,
    kolada_group_id, registry_match, agreement_id, match_note);
create table marts.fct_cooperation_candidate_members as select * from (values
    ('overformyndare-0604', '0604', 'Aneby', 2016, 2024, null::integer, false, 9::bigint,
     'hoglandets_overformyndarnamnd', 'registrerad'),
    ('gymnasieforbund-1438', '1438', 'Dals-Ed', 2012, 2024, null::integer, false, 13::bigint, null, null),
    ('gymnasieforbund-1438', '1460', 'Bengtsfors', 2012, 2024, null::integer, false, 13::bigint, null, null)
) as t(candidate_id, municipality_id, municipality_name, first_year, last_year, left_year, joined_later,
    joint_years, agreement_id, registry_member_status);
"""


def write_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Add the derived tables to a connection that already holds the fixture's marts."""
    con.execute(DDL)
    for sql in (COSTS_SQL, EFFECTS_SQL, SERIES_SQL, RESPONSES_SQL, DONORS_SQL):
        con.execute(sql)
    con.execute(table_ddl("ensure_analysis_tables"))
    con.execute(BANDS_SQL)
    con.executemany(
        "insert into marts.fct_agreement_verdicts select ?, a.agreement_name, ?, 0, ?, ?, ?, ?, ? "
        "from marts.dim_agreements as a where a.agreement_id = ?",
        [(v[0], v[1], v[2], v[3], v[3].replace("_", " ").capitalize(), v[4], v[5], v[0]) for v in VERDICTS],
    )
    con.execute(CHANGES_SQL)
    con.execute(CANDIDATES_SQL)
    marks = ", ".join(["(" + ", ".join("?" * len(TARGETS[0])) + ")"] * len(TARGETS))
    con.execute(TARGETS_SQL.format(rows=marks), [value for row in TARGETS for value in row])
    ensure_schema(con)
    con.executemany(
        "insert into quality.validation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "timestamptz '2025-03-01 06:10:00+00')",
        QUALITY_ROWS,
    )
    con.execute(
        "insert into quality.quarantine values ('run-1', 'raw_kolada_values',"
        " 'cost_not_negative,value_in_range', ?, 'raw.kolada_values',"
        ' \'{"kpi":"U37009","municipality":"0685","year":2022,"gender":"T"}\','
        ' \'{"kpi":"U37009","municipality":"0685","year":2022,"value":-50000.0}\','
        " timestamptz '2025-03-01 06:10:00+00')",
        [QUARANTINE_REASON],
    )
    con.execute(
        "insert into quality.freshness select 'kolada', kpi_id, kpi_title, latest_data_year,"
        " latest_data_year, true, null, null, timestamptz '2025-03-01 06:10:00+00' from marts.dim_kpis"
    )
