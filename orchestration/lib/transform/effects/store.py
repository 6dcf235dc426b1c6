"""The warehouse side of the effect models: read the dbt staging models, write schema analysis at once."""

from __future__ import annotations

import io
import pickle
import zlib
from collections.abc import Collection

import duckdb
import numpy as np

from orchestration.lib.ops.warehouse import insert_rows
from orchestration.lib.transform.analysis_tables import replace_tables
from orchestration.lib.transform.effects.blocks import Outcome
from orchestration.lib.transform.effects.joint import PlaceboStats
from orchestration.lib.transform.effects.model import EffectInputs, EffectTables

VALUES_SQL = """
select v.kpi_id, v.municipality_id, v.year, v.value
from staging.stg_kolada__values as v
where v.gender = 'T' and not coalesce(v.is_deleted, false) and v.value is not null
  and (v.kpi_id = $population_kpi
       or v.kpi_id in (select k.kpi_id from staging.stg_registry__area_kpis as k
                       where k.area_id <> '_context'))
"""
# The end year (the first year not fully in operation) is decided in dim_agreements, like membership.
AGREEMENTS_SQL = """
select a.agreement_id, a.area_id as area, a.purpose, a.host_municipality_id, a.end_year
from marts.dim_agreements as a
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
       k.method_break_year as method_break, k.caution, k.is_primary
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
# Kommuner the data shows in a joint organisation of an area (dbt int_area_excluded_controls): neither donors
# nor peers.
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


def write_tables(con: duckdb.DuckDBPyConnection, tables: EffectTables) -> dict[str, int]:
    """Replace the analysis tables (dbt macro ensure_analysis_tables) in one transaction."""
    frames = {
        "effect_estimates": tables.estimates,
        "effect_series": tables.series,
        "effect_verdicts": tables.verdicts,
        "member_verdicts": tables.member_verdicts,
        "donor_weights": tables.donor_weights,
        "effect_bands": tables.bands,
        "effect_kpi_roles": tables.kpi_roles,
    }
    replace_tables(con, "ensure_analysis_tables", frames)
    return {name: len(frame) for name, frame in frames.items()}


# The estimators' cache (reuse.py): each block's rows by its content key. The report reads nothing in
# schema cache, and a new warehouse starts without one.
CACHE_DDL = """
create schema if not exists cache;
create table if not exists cache.effect_blocks (block_key varchar primary key, payload blob not null);
"""
# A block's rows hold only plain values and numpy scalars: nothing else is unpickled.
_ALLOWED = {("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar"), ("numpy", "dtype")}


class WarehouseBlockCache:
    """The blocks' rows of the last run of the estimators, in cache.effect_blocks of the warehouse."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.loaded: set[str] = set()

    def load(self, keys: Collection[str]) -> dict[str, Outcome]:
        self.con.execute(CACHE_DDL)
        sql = "select block_key, payload from cache.effect_blocks where list_contains(?, block_key)"
        found = {key: unpack(payload) for key, payload in self.con.execute(sql, [list(keys)]).fetchall()}
        readable = {key: outcome for key, outcome in found.items() if outcome is not None}
        self.loaded = set(readable)
        return readable

    def save(self, outcomes: dict[str, Outcome]) -> None:
        # What was read stays; everything else (other runs' keys, rows that could not be read) goes.
        keep = [key for key in outcomes if key in self.loaded]
        new = [(key, pack(outcome)) for key, outcome in outcomes.items() if key not in self.loaded]
        self.con.execute(CACHE_DDL)
        self.con.execute("begin transaction")
        try:
            self.con.execute("delete from cache.effect_blocks where not list_contains(?, block_key)", [keep])
            insert_rows(self.con, "cache.effect_blocks", new)
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise


def pack(outcome: Outcome) -> bytes:
    """A block's rows as stored: exactly as made (numpy scalars stay numpy scalars), compressed; the
    placebo statistics' arrays as their dtype, shape and bytes."""
    stats = {
        key: (s.ids, tuple((a.dtype.str, a.shape, a.tobytes()) for a in s.stats))
        for key, s in outcome.placebos.items()
    }
    plain = (outcome.units, outcome.rows, outcome.series, outcome.weights, outcome.bands, stats)
    return zlib.compress(pickle.dumps(plain, protocol=5), 6)


def unpack(payload: bytes) -> Outcome | None:
    """The stored rows, or None if they cannot be read (estimate the block again instead)."""
    try:
        *tables, stats = _RowsUnpickler(io.BytesIO(zlib.decompress(payload))).load()
        placebos = {
            key: PlaceboStats(ids, tuple(_array(*a) for a in arrays)) for key, (ids, arrays) in stats.items()
        }
        return Outcome(*tables, placebos)
    except (pickle.UnpicklingError, zlib.error, EOFError, TypeError, ValueError):
        return None


def _array(dtype: str, shape: tuple[int, ...], data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.dtype(dtype)).reshape(shape).copy()


class _RowsUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} hör inte hemma i en sparad skattning")
        return super().find_class(module, name)
