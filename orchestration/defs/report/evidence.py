"""The Evidence site: the Swedish report pages, built from the marts into reports/build."""

import time
from pathlib import Path

import dagster as dg

from orchestration.lib.ops.reads import asset_keys, folder_reads
from orchestration.lib.ops.resources import Warehouse
from orchestration.lib.ops.settings import PROJECT_ROOT

# What the site's source queries read (reports/sources/uppsikt/*.sql), keyed like the dbt assets, and
# the Excel downloads the site serves from static/.
REPORT_DEPS = [
    *asset_keys(folder_reads(PROJECT_ROOT / "reports" / "sources" / "uppsikt")),
    dg.AssetKey("revisor_workbooks"),
]

# The report steps after the build (PDFs, history) depend on it by this key.
EVIDENCE_SITE = dg.AssetKey(["evidence_site"])


@dg.asset(key=EVIDENCE_SITE, group_name="report", deps=REPORT_DEPS)
def evidence_site(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Static Swedish report site built with Evidence from the marts into reports/build."""
    from orchestration.lib.ops.settings import load_settings
    from orchestration.lib.report.evidence import build, install

    settings = load_settings()
    if install(settings.reports_dir):
        context.log.info("npm install kördes (node_modules saknades eller låsfilen ändrades)")
    started = time.monotonic()
    index = build(settings.reports_dir, warehouse.file(), phase=context.log.info)
    pages = sorted(path.parent for path in index.parent.rglob("index.html"))
    context.log.info(f"Rapporten byggd på {time.monotonic() - started:.0f} s: {index} ({len(pages)} sidor)")
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(index)),
            "pages": len(pages),
            "data_source": settings.source,
            "report_id": _report_id(index.parent),  # what report_history must find published
        }
    )


def _report_id(site: Path) -> int | None:
    from orchestration.lib.report.history import HistoryError, published_report_id

    try:
        return published_report_id(site)
    except HistoryError:
        return None  # report_history refuses to record it, with the reason


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[evidence_site])
