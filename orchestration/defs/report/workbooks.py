"""Excel workbooks for the Revisorer page, written into the site's static files before it is built."""

import dagster as dg

from orchestration.lib.ops.reads import asset_keys, module_reads
from orchestration.lib.ops.resources import Warehouse

# What the workbooks' queries read (orchestration/lib/report/excel.py).
WORKBOOK_DEPS = asset_keys(module_reads("orchestration.lib.report.excel"))


@dg.asset(group_name="report", deps=WORKBOOK_DEPS)
def revisor_workbooks(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Excel files of cost per member and year with their trail, one per cooperation and one with all."""
    from orchestration.lib.ops.settings import load_settings
    from orchestration.lib.report.excel import DOWNLOAD_DIR, write_revisor_workbooks

    settings = load_settings()
    paths = write_revisor_workbooks(warehouse.file(), settings.reports_dir / DOWNLOAD_DIR)
    context.log.info(f"{len(paths)} Excelfiler skrivna till {settings.reports_dir / DOWNLOAD_DIR}")
    return dg.MaterializeResult(
        metadata={"files": len(paths), "folder": dg.MetadataValue.path(str(paths[0].parent))}
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[revisor_workbooks])
