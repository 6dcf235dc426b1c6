"""The warehouse side of the national estimates: read KPI values from staging, memberships from the
membership mart (and discovered candidates when that mart exists), write analysis.national_effects and
analysis.national_peer_estimates in one transaction."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from orchestration.lib.transform.analysis_tables import replace_tables
from orchestration.lib.transform.effects.national_run import NationalInputs, NationalTables
from orchestration.lib.transform.effects.units import MECHANICAL

VALUES_SQL = """
select v.kpi_id, v.municipality_id, v.year, v.value
from staging.stg_kolada__values as v
where v.gender = 'T' and not coalesce(v.is_deleted, false) and v.value is not null
  and v.kpi_id in (select k.kpi_id from staging.stg_registry__area_kpis as k where k.area_id <> '_context')
"""
# Membership has one home, int_agreement_members_by_year, read through its mart: one row per member, the
# year of its first joining (as the per-cooperation estimators read it).
REGISTERED_SQL = """
select m.agreement_id as cooperation_id, a.area_id as area, a.form, m.municipality_id,
       m.joined_year, 'registry' as source
from marts.fct_agreement_members as m
join marts.dim_agreements as a on a.agreement_id = m.agreement_id
order by m.agreement_id, m.municipality_id
"""
# A KPI that a förbund's start changes mechanically (units.MECHANICAL) is not estimated: its national
# "effect" would be the change in accounting, not what cooperation did.
AREA_KPIS_SQL = f"""
select distinct k.area_id as area, k.kpi_id
from staging.stg_registry__area_kpis as k
where k.area_id <> '_context' and coalesce(k.caution, '') <> '{MECHANICAL}'
"""
CANDIDATE_MEMBERS = ("marts", "fct_cooperation_candidate_members")
CANDIDATES = ("marts", "fct_cooperation_candidates")
# The discovery marts are another stage's: their columns are read by these names, the first one present,
# from the members mart or else from the candidates mart (joined on the candidate id).
CANDIDATE_COLUMNS = {
    "cooperation_id": ("candidate_id",),
    "municipality_id": ("municipality_id",),
    "joined_year": ("first_year", "joined_year", "start_year"),
    "area": ("area_id", "area"),
    "form": ("form",),
    "agreement_id": ("agreement_id",),  # the registered cooperation it matches: counted once, as registered
}
NEEDED = ("cooperation_id", "municipality_id", "joined_year", "area")


def _columns(con: duckdb.DuckDBPyConnection, table: tuple[str, str]) -> set[str]:
    sql = "select column_name from information_schema.columns where table_schema = ? and table_name = ?"
    return {r[0] for r in con.execute(sql, list(table)).fetchall()}


def candidate_sql(con: duckdb.DuckDBPyConnection) -> str | None:
    """The query for discovered members, or None when the marts (or a needed column) are absent."""
    members, candidates = _columns(con, CANDIDATE_MEMBERS), _columns(con, CANDIDATES)
    exprs = {}
    for ours, theirs in CANDIDATE_COLUMNS.items():
        here = next((f"m.{c}" for c in theirs if c in members), None)
        there = (
            next((f"c.{c}" for c in theirs if c in candidates), None)
            if "candidate_id" in candidates
            else None
        )
        found = [e for e in (here, there) if e]
        exprs[ours] = f"coalesce({', '.join(found)})" if found else "null"
    if any(exprs[k] == "null" for k in NEEDED):
        return None
    join = (
        f"left join {'.'.join(CANDIDATES)} as c on c.candidate_id = m.candidate_id"
        if "candidate_id" in candidates
        else ""
    )
    return f"""
        select cast({exprs["cooperation_id"]} as varchar) as cooperation_id,
               cast({exprs["area"]} as varchar) as area, cast({exprs["form"]} as varchar) as form,
               cast({exprs["municipality_id"]} as varchar) as municipality_id,
               cast({exprs["joined_year"]} as integer) as joined_year, 'discovered' as source
        from {".".join(CANDIDATE_MEMBERS)} as m {join}
        where {exprs["agreement_id"]} is null"""


def read_candidates(con: duckdb.DuckDBPyConnection, registered: pd.DataFrame) -> pd.DataFrame:
    """Discovered, unregistered cooperations; a candidate without a form takes its area's commonest form.
    A kommun already registered in the area is counted there only."""
    sql = candidate_sql(con)
    if sql is None:
        return registered.iloc[0:0]
    frame = con.execute(sql).df()
    known = set(zip(registered["area"], registered["municipality_id"], strict=True))
    keep = [(a, m) not in known for a, m in zip(frame["area"], frame["municipality_id"], strict=True)]
    frame = frame[np.array(keep, dtype=bool)]  # a list, when empty, would select columns instead
    commonest = registered.groupby("area")["form"].agg(lambda s: s.mode().iat[0]).to_dict()
    return frame.assign(form=frame["form"].fillna(frame["area"].map(commonest)).fillna("okand"))


def read_national_inputs(con: duckdb.DuckDBPyConnection) -> NationalInputs:
    registered = con.execute(REGISTERED_SQL).df()
    cooperations = pd.concat([registered, read_candidates(con, registered)], ignore_index=True)
    return NationalInputs(con.execute(VALUES_SQL).df(), cooperations, con.execute(AREA_KPIS_SQL).df())


def write_national(con: duckdb.DuckDBPyConnection, tables: NationalTables) -> dict[str, int]:
    """Replace both tables (dbt macro ensure_national_tables) in one transaction."""
    frames = {"national_effects": tables.effects, "national_peer_estimates": tables.peers}
    replace_tables(con, "ensure_national_tables", frames)
    return {name: len(frame) for name, frame in frames.items()}
