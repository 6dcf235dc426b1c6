"""Excel workbooks for the Revisorer page, written into the site's static files before it is built."""

import dagster as dg

from orchestration.lib.ops.reads import asset_keys, module_reads
from orchestration.lib.ops.resources import Warehouse

# What the workbooks' queries read (orchestration/lib/report/excel.py).
WORKBOOK_DEPS = asset_keys(module_reads("orchestration.lib.report.excel"))


@dg.asset(group_name="report", deps=WORKBOOK_DEPS)
def revisor_workbooks(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Excel files of cost per member and year with their trail (only those whose content changed)."""
    from orchestration.lib.ops.settings import load_settings
    from orchestration.lib.report.excel import DOWNLOAD_DIR, write_revisor_workbooks

    settings = load_settings()
    folder = settings.reports_dir / DOWNLOAD_DIR
    written = write_revisor_workbooks(warehouse.file(), folder)
    files, reused = len(written.paths), len(written.paths) - written.rewritten
    context.log.info(
        f"{files} Excelfiler i {folder}: {written.rewritten} skrivna, {reused} oförändrade (återanvända); "
        f"{written.csv_rewritten} av {files} CSV-filer skrivna"
    )
    meta = {"files": files, "rewritten": written.rewritten, "reused": reused}
    return dg.MaterializeResult(metadata={**meta, "folder": dg.MetadataValue.path(str(folder))})


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[revisor_workbooks])
