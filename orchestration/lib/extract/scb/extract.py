"""One SCB run: TAB4199 metadata, then the data if SCB published since the last run; one transaction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from orchestration.lib.extract.http import Fetched, Fetcher, SourceAccess, gather_or_raise
from orchestration.lib.extract.landing import (
    ensure_raw_schema,
    insert_columns,
    land_response,
    last_success,
    record_run,
    transaction,
)
from orchestration.lib.extract.parse_errors import quarantine
from orchestration.lib.extract.progress import PullProgress
from orchestration.lib.extract.provenance import claim_source
from orchestration.lib.extract.scb import plan, wire
from orchestration.lib.ops.warehouse import connect

if TYPE_CHECKING:
    from orchestration.lib.extract.registry.model import Registry

log = logging.getLogger(__name__)
SOURCE = "scb"
CONTENTS = ("0000005X", "00000060", "0000005Z", "0000005Y")
TOTAL_VERKSAMHET = "790"  # Summa egentlig verksamhet, the denominator of every share
FIRST_YEAR = 2010
SCB_RATE = 3.0  # PxWebApi allows 30 requests per 10 s and address


@dataclass(frozen=True)
class ScbScope:
    verksamheter: tuple[str, ...]
    contents: tuple[str, ...] = CONTENTS
    first_year: int = FIRST_YEAR


def scb_scope(registry: Registry) -> ScbScope:
    """Every verksamhet code the registry's areas name plus 790 (the total), and its measures."""
    codes = {code for area in registry.areas.values() for code in area.scb_verksamhet}
    contents = tuple(registry.scb_contents) or CONTENTS
    return ScbScope(tuple(sorted(codes | {TOTAL_VERKSAMHET})), contents)


@dataclass
class ScbReport:
    requests: int = 0
    data_requests: int = 0
    rows: int = 0
    updated: str | None = None
    unchanged: bool = False
    unknown_verksamheter: list[str] = field(default_factory=list)
    unknown_contents: list[str] = field(default_factory=list)
    cells_per_request: list[int] = field(default_factory=list)

    def as_metadata(self) -> dict[str, Any]:
        out = asdict(self)
        out["cells_loaded"] = out.pop("rows")
        return out


def run_scb(
    warehouse: Path,
    access: SourceAccess,
    scope: ScbScope,
    *,
    say: Callable[[str], None] | None = None,
    **fetch_options: Any,
) -> ScbReport:
    """Pull and replace raw.scb_rs_values; on any failure the warehouse is left exactly as it was."""
    started = datetime.now(UTC)
    fetch_options["progress"] = PullProgress("SCB", say or log.info)
    con = connect(warehouse)
    writer = ThreadPoolExecutor(1, thread_name_prefix="scb-writer")
    try:
        with transaction(con):
            ensure_raw_schema(con)
            claim_source(con, warehouse, access.data_source)  # before any request: nothing mixes
            report = asyncio.run(_pull(con, writer, access, scope, started, fetch_options))
    finally:
        writer.shutdown(wait=True, cancel_futures=True)
        con.close()
    unknown = (("verksamhetskoderna", report.unknown_verksamheter), ("måtten", report.unknown_contents))
    for kind, ids in unknown:
        if ids:
            log.warning("SCB:s TAB4199 saknar %s: %s", kind, ", ".join(ids))
    return report


async def _pull(
    con: duckdb.DuckDBPyConnection,
    writer: ThreadPoolExecutor,
    access: SourceAccess,
    scope: ScbScope,
    started: datetime,
    fetch_options: dict[str, Any],
) -> ScbReport:
    report = ScbReport()
    loop = asyncio.get_running_loop()
    rate = min(access.rate, SCB_RATE) if access.rate else None
    progress: PullProgress = fetch_options.pop("progress")
    async with access.fetcher(rate=rate, **fetch_options) as fetcher:
        progress.plan(1)
        fetched = await fetcher.get(plan.metadata_url(access.scb_base_url))
        progress.fetched_one()
        metadata = wire.read_dataset(fetched, with_values=False)
        await loop.run_in_executor(writer, land_response, con, SOURCE, fetched)
        codes = _codes(metadata, scope, report)
        run_scope = {"updated": metadata.updated, "codes": codes}
        last = await loop.run_in_executor(writer, last_success, con, SOURCE)
        report.updated = metadata.updated
        report.unchanged = access.incremental and last is not None and last.scope == run_scope
        if not report.unchanged:
            await _data(con, writer, fetcher, access.scb_base_url, codes, report, progress)
        report.requests = fetcher.requests
    await loop.run_in_executor(writer, _record, con, started, report, run_scope)
    return report


def _codes(metadata: wire.Dataset, scope: ScbScope, report: ScbReport) -> dict[str, list[str]]:
    """All kommuner and Riket, the wanted verksamheter and measures SCB has, every year from first_year."""
    available = metadata.codes
    report.unknown_verksamheter = sorted(set(scope.verksamheter) - set(available["Verksomrkom"]))
    report.unknown_contents = sorted(set(scope.contents) - set(available["ContentsCode"]))
    return {
        "Region": [r for r in available["Region"] if r == "00" or len(r) == 4],
        "Verksomrkom": [v for v in available["Verksomrkom"] if v in scope.verksamheter],
        "ContentsCode": [c for c in available["ContentsCode"] if c in scope.contents],
        "Tid": [t for t in available["Tid"] if t.isdigit() and int(t) >= scope.first_year],
    }


async def _data(
    con: duckdb.DuckDBPyConnection,
    writer: ThreadPoolExecutor,
    fetcher: Fetcher,
    base_url: str,
    codes: dict[str, list[str]],
    report: ScbReport,
    progress: PullProgress,
) -> None:
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(writer, con.execute, "delete from raw.scb_rs_values")
    selections = plan.plan_selections(codes)
    report.cells_per_request = [s.cells for s in selections]
    progress.plan(len(selections))

    async def one(selection: plan.Selection) -> None:
        fetched = await fetcher.get(selection.url(base_url))
        loaded = await loop.run_in_executor(writer, _load, con, fetched)
        progress.fetched_one()
        report.data_requests += 1
        report.rows += loaded

    await gather_or_raise([one(s) for s in selections])


def _load(con: duckdb.DuckDBPyConnection, fetched: Fetched) -> int:
    columns, problems = wire.value_columns(wire.read_dataset(fetched, with_values=True))
    response_id = land_response(con, SOURCE, fetched)
    if problems:  # kept as missing cells; the quarantine says which and why
        quarantine(con, SOURCE, "raw.scb_rs_values", problems, fetched.fetched_at)
    select = f"region, verksamhet, contents_code, year, value_tkr, '{response_id}'"
    insert_columns(con, "raw.scb_rs_values", columns, select)
    return len(columns["region"])


def _record(con: duckdb.DuckDBPyConnection, started: datetime, report: ScbReport, scope: dict) -> None:
    record_run(
        con,
        source=SOURCE,
        started=started,
        from_date=None,
        requests=report.requests,
        rows=report.rows,
        scope=scope,
    )
