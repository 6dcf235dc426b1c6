"""The warehouse side of the effect models: read the dbt staging models, write schema analysis at once."""

from __future__ import annotations

import duckdb
import pandas as pd

from orchestration.lib.effects.model import EffectInputs, EffectTables

# The first calendar year that is no longer a full year of membership: a date on 31 December ends
# the year itself, any other date ends it part-way.
_YEAR_OUT = "case when {col} is null then null when strftime({col}, '%m-%d') = '12-31' then year({col}) + 1 else year({col}) end"  # noqa: E501

VALUES_SQL = """
select v.kpi_id, v.municipality_id, v.year, v.value
from staging.stg_kolada__values as v
where v.gender = 'T' and not coalesce(v.is_deleted, false) and v.value is not null
  and (v.kpi_id = $population_kpi
       or v.kpi_id in (select k.kpi_id from staging.stg_registry__area_kpis as k
                       where k.area_id <> '_context'))
"""
AGREEMENTS_SQL = f"""
select a.agreement_id, a.area_id as area, a.purpose, a.host_municipality_id,
       {_YEAR_OUT.format(col="a.end_date")} as end_year
from staging.stg_registry__agreements as a
order by a.agreement_id
"""
# Membership has one home, int_agreement_members_by_year, read through its mart.
MEMBERS_SQL = """
select m.agreement_id, m.municipality_id, m.joined_year, m.left_year, m.credited_elsewhere_year, m.is_shared
from marts.fct_agreement_members as m
order by m.agreement_id, m.municipality_id
"""
AREA_KPIS_SQL = """
select k.area_id as area, k.kpi_id, coalesce(k.kpi_title, k.kpi_id) as title, k.dimension, k.better,
       coalesce(k.unit, '') as unit, k.cost_basis, k.is_reported_jointly as reported_jointly,
       k.method_break_year as method_break, k.caution
from staging.stg_registry__area_kpis as k
where k.area_id <> '_context'
order by k.area_id, k.kpi_id
"""
# Kolada's ready-made group "Liknande kommuner <område>, <kommun>, 2024": the area's template with the
# member's name filled in, matched on the group title.
PEERS_SQL = """
with member_areas as (
    select distinct a.area_id, m.municipality_id
    from staging.stg_registry__members as m
    join staging.stg_registry__agreements as a on a.agreement_id = m.agreement_id
),
titles as (
    select ma.area_id, ma.municipality_id,
           replace(ar.comparison_group, '{kommun}',
                   coalesce(rk.municipality_name, km.municipality_name)) as title
    from member_areas as ma
    join staging.stg_registry__areas as ar on ar.area_id = ma.area_id
    left join staging.stg_registry__kommuner as rk on rk.municipality_id = ma.municipality_id
    left join staging.stg_kolada__municipalities as km on km.municipality_id = ma.municipality_id
    where ar.comparison_group is not null
)
select distinct t.area_id as area, t.municipality_id, g.municipality_id as peer_id
from titles as t
join staging.stg_kolada__municipality_groups as g on g.group_title = t.title
where g.municipality_id <> t.municipality_id
  and g.municipality_id not in (select x.municipality_id from intermediate.int_area_excluded_controls as x
                                where x.area_id = t.area_id)
"""
# Kommuner the data shows in a joint organisation of an area (dbt int_area_excluded_controls).
EXCLUDED_SQL = """
select x.area_id as area, x.municipality_id
from intermediate.int_area_excluded_controls as x
order by x.area_id, x.municipality_id
"""


def read_inputs(con: duckdb.DuckDBPyConnection, population_kpi: str) -> EffectInputs:
    """Everything the models need, from the staging views dbt builds."""
    return EffectInputs(
        values=con.execute(VALUES_SQL, {"population_kpi": population_kpi}).df(),
        agreements=con.execute(AGREEMENTS_SQL).df(),
        members=con.execute(MEMBERS_SQL).df(),
        area_kpis=con.execute(AREA_KPIS_SQL).df(),
        peers=con.execute(PEERS_SQL).df(),
        excluded=con.execute(EXCLUDED_SQL).df(),
    )


ESTIMATES_DDL = """
create or replace table analysis.effect_estimates (
    agreement_id varchar not null, municipality_id varchar not null, is_host boolean, kpi_id varchar not null,
    dimension varchar, better varchar, method varchar not null, effect double, effect_pct double,
    ci_low double, ci_high double, p_value double, mde double, mde_pct double, pre_level double,
    pre_rmspe double, pre_years integer, post_years integer, join_year integer, n_donors integer,
    n_placebos integer, pretrend_violated boolean, pre_fit_p double, in_time_p double, flags varchar,
    primary key (agreement_id, municipality_id, kpi_id, method)
)"""
SERIES_DDL = """
create or replace table analysis.effect_series (
    agreement_id varchar not null, municipality_id varchar not null, kpi_id varchar not null,
    method varchar not null, year integer not null, period varchar, observed double, counterfactual double,
    primary key (agreement_id, municipality_id, kpi_id, method, year)
)"""
_OUTCOME_DDL = """verdict varchar not null, rule varchar not null, reasons varchar, undecided_kind varchar,
    undecided_text varchar, mde_abs double, mde_pct double, judgeable_from_year integer"""
VERDICTS_DDL = f"""
create or replace table analysis.effect_verdicts (
    agreement_id varchar not null, dimension varchar not null, in_purpose boolean, {_OUTCOME_DDL},
    primary key (agreement_id, dimension)
)"""
MEMBER_VERDICTS_DDL = f"""
create or replace table analysis.member_verdicts (
    agreement_id varchar not null, municipality_id varchar not null, is_host boolean,
    dimension varchar not null, in_purpose boolean, {_OUTCOME_DDL},
    primary key (agreement_id, municipality_id, dimension)
)"""
WEIGHTS_DDL = """
create or replace table analysis.donor_weights (
    agreement_id varchar not null, municipality_id varchar not null, kpi_id varchar not null,
    method varchar not null, donor_id varchar not null, weight double not null,
    primary key (agreement_id, municipality_id, kpi_id, method, donor_id)
)"""


def write_tables(con: duckdb.DuckDBPyConnection, tables: EffectTables) -> dict[str, int]:
    """Replace the analysis tables in one transaction; on any error the old ones stay."""
    frames = {
        "effect_estimates": (ESTIMATES_DDL, tables.estimates),
        "effect_series": (SERIES_DDL, tables.series),
        "effect_verdicts": (VERDICTS_DDL, tables.verdicts),
        "member_verdicts": (MEMBER_VERDICTS_DDL, tables.member_verdicts),
        "donor_weights": (WEIGHTS_DDL, tables.donor_weights),
    }
    con.execute("begin transaction")
    try:
        con.execute("create schema if not exists analysis")
        for name, (ddl, frame) in frames.items():
            con.execute(ddl)
            _insert(con, f"analysis.{name}", _nulls(frame))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return {name: len(frame) for name, (_, frame) in frames.items()}


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("effects_frame", frame)
    try:
        columns = ", ".join(frame.columns)
        con.execute(f"insert into {table} ({columns}) select {columns} from effects_frame")
    finally:
        con.unregister("effects_frame")


def _nulls(frame: pd.DataFrame) -> pd.DataFrame:
    # NaN means "not estimated" here: store it as NULL, which the marts and the report understand.
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype("Float64")
    return out
