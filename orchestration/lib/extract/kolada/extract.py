"""One Kolada run: metadata, then values (full for new KPIs, changes only for the rest), one transaction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import duckdb

from orchestration.lib.extract.http import SourceAccess, gather_or_raise
from orchestration.lib.extract.kolada import plan, wire
from orchestration.lib.extract.kolada.client import Pager
from orchestration.lib.extract.kolada.load import SOURCE, MetadataLoader, ValueLoader
from orchestration.lib.extract.landing import (
    RunRecord,
    ensure_raw_schema,
    last_success,
    record_run,
    transaction,
)
from orchestration.lib.extract.progress import PullProgress
from orchestration.lib.extract.provenance import claim_source
from orchestration.lib.ops.warehouse import connect

if TYPE_CHECKING:
    from orchestration.lib.extract.registry.model import Registry

log = logging.getLogger(__name__)
T = TypeVar("T")
FIRST_YEAR = 2010
# The run's uncommitted rows spill to disk beyond this, so a national pull stays small in memory.
MEMORY_LIMIT = "128MB"
KOLADA_TZ = ZoneInfo("Europe/Stockholm")
METADATA = {
    "kpi": ("kolada_kpis", wire.kpi_rows),
    "municipality": ("kolada_municipalities", wire.municipality_rows),
    "municipality_groups": ("kolada_municipality_groups", wire.group_rows),
}


@dataclass(frozen=True)
class KoladaScope:
    """What to pull: the KPIs the registry follows; the kommuner it names (checked against Kolada)."""

    kpis: tuple[str, ...]
    kommuner: tuple[str, ...] = ()
    first_year: int = FIRST_YEAR


def kolada_scope(registry: Registry) -> KoladaScope:
    """The registry's KPIs and signature KPIs, and every kommun it lists (all are comparison candidates)."""
    kpis = sorted(set(registry.kpi_ids()) | set(registry.signature_kpi_ids()))
    return KoladaScope(tuple(kpis), tuple(sorted(registry.kommuner)))


@dataclass
class KoladaReport:
    requests: int = 0
    metadata_pages: int = 0
    data_pages: int = 0
    rows: int = 0
    deleted: int = 0
    quarantined: int = 0  # values that were not numbers, in quality.quarantine
    from_date: date | None = None
    full_kpis: list[str] = field(default_factory=list)
    incremental_kpis: list[str] = field(default_factory=list)
    unknown_kpis: list[str] = field(default_factory=list)
    unknown_municipalities: list[str] = field(default_factory=list)
    kpis_without_values: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict[str, Any]:
        out = asdict(self)
        out["values_loaded"] = out.pop("rows")
        out["from_date"] = self.from_date.isoformat() if self.from_date else None
        return out


def run_kolada(
    warehouse: Path,
    access: SourceAccess,
    scope: KoladaScope,
    *,
    say: Callable[[str], None] | None = None,
    **fetch_options: Any,
) -> KoladaReport:
    """Pull and load; on any failure the warehouse is left exactly as it was. `say` hears the progress."""
    started = datetime.now(UTC)
    progress = PullProgress("Kolada", say or log.info)
    con = connect(warehouse)
    con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
    try:
        with transaction(con):
            ensure_raw_schema(con)
            claim_source(con, warehouse, access.data_source)  # before any request: nothing mixes
            report = _in_writer_thread(_Run(con, access, scope, started, progress), fetch_options)
    finally:
        con.close()
    _log_unknown(report)
    return report


def _in_writer_thread(run: _Run, fetch_options: dict[str, Any]) -> KoladaReport:
    # Every use of the connection happens on this one thread, in order; the event loop only waits.
    try:
        return asyncio.run(run.pull(fetch_options))
    finally:
        run.writer.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Run:
    con: duckdb.DuckDBPyConnection
    access: SourceAccess
    scope: KoladaScope
    started: datetime
    progress: PullProgress
    writer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="kolada-writer")
    )
    report: KoladaReport = field(default_factory=KoladaReport)
    shapes: dict[str, plan.KpiShape] = field(default_factory=dict)
    full: ValueLoader | None = None

    async def db(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.writer, fn)

    async def pull(self, fetch_options: dict[str, Any]) -> KoladaReport:
        last = await self.db(lambda: last_success(self.con, SOURCE)) if self.access.incremental else None
        new, pulled, since = _split(self.scope.kpis, last, self.scope.first_year)
        base, years = self.access.kolada_base_url, self.years()
        changes = ValueLoader(self.con, upsert=True, loaded_at=self.started)
        async with self.access.fetcher(**fetch_options) as fetcher:
            pager = Pager(fetcher, self.writer, self.progress)
            # Changes to KPIs pulled before need no metadata: they are asked for while it is on its way
            # (a KPI Kolada has dropped meanwhile just has no values; the metadata reports it).
            changed = [c.url(base, since) for c in plan.incremental_chunks(pulled, years)]
            await gather_or_raise([self._metadata_then_full(pager, new), pager.chains(changed, changes)])
            self.report.requests = fetcher.requests
        assert self.full is not None  # set once the metadata is in
        loader = self.full.merge(changes)
        self.report.incremental_kpis = sorted(set(pulled) & set(self.shapes))
        self.report.from_date = since if pulled else None
        self.report.data_pages = loader.pages
        self.report.rows, self.report.deleted = loader.rows, loader.deleted
        self.report.quarantined = loader.quarantined
        self.report.kpis_without_values = sorted(set(self.report.full_kpis) - loader.seen_kpis)
        await self.db(self._record)
        return self.report

    async def _metadata_then_full(self, pager: Pager, new: list[str]) -> None:
        """Metadata first (unknown ids, what each KPI holds), then the full pull of new KPIs it plans."""
        loaders = await self._metadata(pager)
        self.report.metadata_pages = sum(m.pages for m in loaders.values())
        self.shapes = self._shapes(loaders)
        full = sorted(set(new) & set(self.shapes))
        self.report.full_kpis = full
        self.full = ValueLoader(self.con, upsert=False, loaded_at=self.started)
        if full:
            await self.db(lambda: _forget(self.con, full))
        chunks = plan.plan_chunks({k: self.shapes[k] for k in full}, self.years())
        await pager.chains([c.url(self.access.kolada_base_url) for c in chunks], self.full)

    async def _metadata(self, pager: Pager) -> dict[str, MetadataLoader]:
        base = self.access.kolada_base_url
        loaders = {name: MetadataLoader(self.con, table, parse) for name, (table, parse) in METADATA.items()}
        await gather_or_raise(
            [pager.chain(f"{base}/{name}?per_page={plan.PER_PAGE}", loaders[name]) for name in loaders]
        )
        for metadata in loaders.values():
            await self.db(metadata.replace)
        return loaders

    def _shapes(self, loaders: dict[str, MetadataLoader]) -> dict[str, plan.KpiShape]:
        """What each requested KPI Kolada knows is expected to hold; unknown ids are reported."""
        by_type: dict[str, set[str]] = {"K": set(), "L": set()}
        for row in loaders["municipality"].rows:
            by_type.setdefault(str(row[2]), set()).add(str(row[0]))
        everyone = frozenset(set().union(*by_type.values()))
        years = self.years()
        kpis = {str(r[0]): r for r in loaders["kpi"].rows}
        shapes = {}
        for kpi in self.scope.kpis:
            if kpi in kpis:
                shapes[kpi] = _shape(kpis[kpi], by_type, everyone, years)
        self.report.unknown_kpis = sorted(set(self.scope.kpis) - set(kpis))
        self.report.unknown_municipalities = sorted(set(self.scope.kommuner) - everyone)
        return shapes

    def years(self) -> list[int]:
        return list(range(self.scope.first_year, self.access.as_of.year + 1))

    def _record(self) -> None:
        record_run(
            self.con,
            source=SOURCE,
            started=self.started,
            from_date=self.report.from_date,
            requests=self.report.requests,
            rows=self.report.rows,
            scope={"kpis": sorted(self.shapes), "first_year": self.scope.first_year, "years": self.years()},
        )


def _shape(
    kpi_row: tuple[Any, ...], by_type: dict[str, set[str]], everyone: frozenset[str], years: list[int]
) -> plan.KpiShape:
    municipality_type = kpi_row[wire.KPI_COLUMNS.index("municipality_type")]
    members = frozenset(by_type.get(str(municipality_type), everyone))
    try:
        latest = int(kpi_row[wire.KPI_COLUMNS.index("publ_period")])
    except (TypeError, ValueError):
        latest = years[-1]
    return plan.KpiShape(members, tuple(y for y in years if y <= latest) or tuple(years))


def _split(
    kpis: tuple[str, ...], last: RunRecord | None, first_year: int
) -> tuple[list[str], list[str], date | None]:
    """KPIs to pull in full (new, or never pulled this far back) and KPIs to ask only for changes."""
    if last is None or int(last.scope.get("first_year", 9999)) > first_year:
        return sorted(kpis), [], None
    pulled = set(last.scope.get("kpis", []))
    # Kolada dates its changes in Swedish time; the day of the last pull is asked again, harmlessly.
    since = last.run_started_at.astimezone(KOLADA_TZ).date()
    return sorted(set(kpis) - pulled), sorted(set(kpis) & pulled), since


def _forget(con: duckdb.DuckDBPyConnection, kpis: list[str]) -> None:
    # A full pull of a KPI replaces what is stored for it, so values Kolada no longer has go too.
    con.execute("delete from raw.kolada_values where list_contains(?, kpi)", [kpis])


def _log_unknown(report: KoladaReport) -> None:
    if report.unknown_kpis:
        log.warning("Kolada känner inte längre till nyckeltalen: %s", ", ".join(report.unknown_kpis))
    if report.unknown_municipalities:
        log.warning("Kolada känner inte till kommunerna: %s", ", ".join(report.unknown_municipalities))
