"""The report marts of the fixture warehouse, built by dbt itself from the fixture's base tables.

The base marts (warehouse_fixture, fixture_derived) are written by hand; every mart the report's source
queries read on top of them (labels, verdict kinds, summaries, questions, the membership mart) is built
by `dbt run` with the project's own SQL, so the fixture cannot drift from what dbt builds. The few
staging and intermediate relations those marts read are written here from the fixture's facts.
"""

from __future__ import annotations

from pathlib import Path

from duckdb import DuckDBPyConnection

from orchestration.lib.ops.warehouse import connect
from orchestration.lib.transform.effects.roles import kpi_roles
from orchestration.lib.transform.effects.units import kpis_by_area
from tests.dbt import run_dbt

# Built by dbt on the fixture, in dependency order (dbt orders them itself).
REPORT_MARTS = (
    "stg_analysis__effect_kpi_roles",
    "dim_dimensions",
    "dim_effect_flags",
    "dim_effect_methods",
    "int_member_overlaps",
    "int_member_attributions",
    "fct_agreement_members",
    "fct_agreement_kpi_changes",
    "fct_agreement_kpi_series",
    "fct_member_cost_trail",
    "fct_kpi_freshness",
    "fct_quality_checks",
    "fct_quarantine",
    "fct_cooperation_candidate_rows",
    "fct_agreement_verdict_rows",
    "fct_agreement_effect_rows",
    "fct_agreement_effect_lines",
    "fct_agreement_effect_bands",
    "fct_agreement_donor_weights",
    "fct_agreement_donor_rows",
    "fct_agreement_overview",
    "fct_municipality_candidates",
    "fct_municipality_questions",
    "fct_municipality_summary",
)

# Columns dbt adds to base marts that the fixture writes by hand, derived from the fixture's own columns
# with the marts' rules (dim_agreements, fct_agreement_targets, fct_agreement_verdict_changes,
# dim_report_meta); the dbt unit tests of those marts cover the rules themselves.
BASE_COLUMNS_SQL = """
alter table marts.dim_agreements add column form_label varchar;
alter table marts.dim_agreements add column start_label varchar;
alter table marts.dim_agreements add column start_year int;
alter table marts.dim_agreements add column end_label varchar;
alter table marts.dim_agreements add column status_label varchar;
alter table marts.dim_agreements add column end_year integer;
alter table marts.dim_agreements add column members_with_host_text varchar;
alter table marts.dim_agreements add column host_label varchar;
alter table marts.dim_agreements add column host_text varchar;
alter table marts.dim_agreements add column page_link varchar;
update marts.dim_agreements set
    form_label = case form when 'kommunalforbund' then 'Kommunalförbund' when 'gemensam_namnd'
        then 'Gemensam nämnd' when 'avtalssamverkan' then 'Avtalssamverkan' else 'Övrig' end,
    start_label = strftime(start_date, '%Y-%m-%d'),
    start_year = year(start_date),
    end_year = year(end_date) + case when strftime(end_date, '%m-%d') = '12-31' then 1 else 0 end,
    end_label = coalesce(strftime(end_date, '%Y-%m-%d'), 'Tills vidare'),
    status_label = case when end_date is null or end_date >= current_date then 'Pågående'
        else 'Avslutad ' || strftime(end_date, '%Y-%m-%d') end,
    members_with_host_text = replace(members_text, host_name, host_name || ' (värdkommun)'),
    host_label = coalesce(host_name, '–'),
    host_text = case when host_name is not null then 'Värdkommun: ' || host_name
        when seat_name is not null then 'Säte: ' || seat_name
        when form = 'kommunalforbund' then 'Ingen värdkommun: förbundet är en egen juridisk person'
        else 'Värdkommun: inte angiven i registret' end,
    page_link = '/samverkan/' || agreement_id || '/';
alter table marts.fct_agreement_targets add column comparison_text varchar;
alter table marts.fct_agreement_targets add column status_rule_text varchar;
alter table marts.fct_agreement_targets add column latest_is_preliminary boolean;
alter table marts.fct_agreement_targets add column comment varchar;
alter table marts.fct_agreement_targets add column action varchar;
update marts.fct_agreement_targets
set comparison_text = case comparison when '<=' then 'högst' else 'minst' end,
    status_rule_text = case status when 'uppnatt' then 'Senaste värdet når målet.'
        when 'pa_vag' then 'Senaste värdet når inte målet, men trenden når det till målåret.'
        when 'inte_pa_vag' then 'Varken senaste värdet eller trenden till målåret når målet.'
        else 'Inga värden för måttet.' end,
    latest_is_preliminary = coalesce(latest_year = 2024, false);
-- The registry's optional comment and åtgärd, on Vetlanda's own cost target.
update marts.fct_agreement_targets
set comment = 'Fler ärenden med god man efter 2022.', action = 'Digital ärendehantering från 2025.'
where agreement_id = 'hoglandets_overformyndarnamnd' and target_no = 2;
alter table marts.fct_agreement_verdict_changes add column dimension_label varchar;
update marts.fct_agreement_verdict_changes
set dimension_label = upper(left(dimension, 1)) || substr(dimension, 2);
alter table marts.fct_agreement_verdicts add column undecided_kind varchar;
alter table marts.fct_agreement_verdicts add column undecided_text varchar;
alter table marts.dim_report_meta add column source_text varchar;
update marts.dim_report_meta set source_text = 'Demodata (simulerad)';
alter table marts.fct_agreement_verdicts add column mde_abs double;
alter table marts.fct_agreement_verdicts add column mde_pct double;
alter table marts.fct_agreement_verdicts add column judgeable_from_year integer;
alter table marts.dim_kpis add column area_ids varchar[];
update marts.dim_kpis set area_ids = [area_id];
alter table marts.dim_kpis add column kolada_title varchar;
alter table marts.dim_kpis add column kolada_description varchar;
alter table marts.dim_kpis add column operating_area varchar;
alter table marts.dim_kpis add column is_divided_by_gender boolean;
alter table marts.dim_kpis add column prel_publication_date date;
alter table marts.dim_kpis add column publication_date date;
alter table marts.dim_kpis add column publ_period varchar;
alter table marts.dim_kpis add column has_kolada_metadata boolean;
alter table marts.fct_agreement_effects add column pre_fit_p double;
alter table marts.fct_agreement_effects add column in_time_p double;
alter table marts.fct_agreement_effects add column overlapping_agreement_ids varchar[];
alter table marts.fct_agreement_effects add column attributed_agreement_id varchar;
alter table marts.fct_agreement_effects add column members_credited_elsewhere bigint;
alter table marts.fct_agreement_effects add column is_attributed boolean;
create schema if not exists intermediate;
create or replace table staging.stg_registry__agreements as
select agreement_id, agreement_name, form, area_id, host_municipality_id, start_date, end_date
from marts.dim_agreements;
create or replace table staging.stg_registry__area_scb as
select distinct area_id, '2' || (len(area_id) % 9) || '0' as verksamhet_id from marts.dim_agreements;
create or replace table staging.stg_registry__members as
select a.agreement_id, m.municipality_id, a.start_date as joined_on, cast(null as date) as left_on
from marts.dim_agreements as a
cross join unnest(a.member_ids) as m (municipality_id);
-- The fixture's Kostnad KPIs are their dimension's primary KPI, as registry/areas.yaml declares them.
create or replace table staging.stg_registry__area_kpis as
select area_id, kpi_id, dimension, better, cast(null as varchar) as caution,
    coalesce(cost_basis = 'kostnad', false) as is_primary
from marts.dim_kpis;
create schema if not exists analysis;
create or replace table staging.stg_registry__kommuner as
select municipality_id, municipality_name from marts.dim_municipalities;
create or replace table intermediate.int_agreement_members_by_year as
select a.agreement_id, m.municipality_id, y.year,
    coalesce(m.municipality_id = a.host_municipality_id, false) as is_host,
    a.start_date as joined_on, year(a.start_date) as first_joined_year, cast(null as date) as left_on,
    cast(null as int) as left_year, a.end_date as ended_on,
    coalesce(a.end_date >= current_date, true) as is_current,
    year(a.start_date) <= y.year and coalesce(year(a.end_date) >= y.year, true) as is_member
from marts.dim_agreements as a
cross join unnest(a.member_ids) as m (municipality_id)
cross join (select distinct year from marts.fct_agreement_kpi_values) as y;
"""


def add_base_columns(warehouse: Path) -> None:
    """Complete the hand-written base marts to dbt's columns (tests/transform/test_dbt_build.py checks
    them against a real build) and write the few staging and intermediate relations the marts read."""
    with connect(warehouse) as con:
        con.execute(BASE_COLUMNS_SQL)
        _write_kpi_roles(con)


# The fixture's KPIs and cooperations, in the shape the estimator reads them (effects/store.py).
FIXTURE_AREA_KPIS_SQL = """
select k.area_id as area, k.kpi_id, k.kpi_id as title, k.dimension, coalesce(k.better, 'none') as better,
    d.unit, d.cost_basis, false as reported_jointly, cast(null as int) as method_break, k.caution,
    k.is_primary
from staging.stg_registry__area_kpis as k
inner join marts.dim_kpis as d on k.kpi_id = d.kpi_id
"""
FIXTURE_AGREEMENTS_SQL = "select agreement_id, area_id as area from marts.dim_agreements"


def _write_kpi_roles(con: DuckDBPyConnection) -> None:
    # Each KPI's role, as the estimator writes it: by the one rule (effects/roles.py), not a copy of it.
    kpis = kpis_by_area(con.execute(FIXTURE_AREA_KPIS_SQL).df())
    roles = kpi_roles(con.execute(FIXTURE_AGREEMENTS_SQL).df(), kpis)
    con.register("fixture_kpi_roles", roles)
    con.execute("create or replace table analysis.effect_kpi_roles as select * from fixture_kpi_roles")
    con.unregister("fixture_kpi_roles")


def build_report_marts(warehouse: Path, work: Path) -> None:
    """Build the report marts with dbt on `warehouse`, which holds the completed base marts."""
    result = run_dbt(["run", "--select", *REPORT_MARTS], warehouse, work)
    if result.returncode != 0:
        raise RuntimeError(f"dbt kunde inte bygga rapportens marts på testlagret:\n{result.stdout[-4000:]}")
