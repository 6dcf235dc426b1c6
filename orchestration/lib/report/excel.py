"""Excel workbooks for revisorer: cost per member and year, and the trail behind every figure.

One workbook per cooperation, one per member kommun and one with all of them, read from the marts. The
site serves them from reports/static/nedladdning/, so the Revisorer page can link to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from orchestration.lib.ops.warehouse import connect
from orchestration.lib.report.cell_text import keep_as_text
from orchestration.lib.report.excel_files import (
    content_digest,
    layout_digest,
    mark,
    save_atomically,
    stored_digest,
    write_text_if_changed,
)
from orchestration.lib.report.swedish_csv import swedish_csv

DOWNLOAD_DIR = Path("static") / "nedladdning"
ALL_NAME = "alla"
FILE_PREFIX = "kostnader-"
DEMO_BANNER = "Demodata – simulerade värden, inte verklig statistik"
SOURCE_LINES = (
    "Betalt och nyckel: samverkansregistrets reskontra. Nettokostnad kr/inv: Källa: Kolada. "
    "Nettokostnad RS: Källa: SCB, räkenskapssammandraget.",
    "Enligt nyckel, skillnad, värdkommunens kostnad och överskott: "
    "Egna beräkningar på data från Kolada och SCB.",
)
# Excel renders these with the reader's own separators, so a Swedish Excel shows 1 234,5.
AMOUNT = "#,##0.0"
PERCENT = "0.0"
TIMESTAMP = "yyyy-mm-dd hh:mm"
LOCAL_TIME = ZoneInfo("Europe/Stockholm")
# An agreement id becomes part of a file name: nothing that could leave the folder.
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Each member kommun's own workbook, kostnader-kommun-<kommunkod>: its rows in every cooperation.
KOMMUN_PREFIX = "kommun-"
KOMMUN_CODE = re.compile(r"^[0-9]{4}$")


class WorkbookError(RuntimeError):
    """The workbooks could not be written; files already there are left as they were."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    number_format: str | None = None
    width: int = 16


# Both sheets name a row the same way, so a figure and its trail can be matched row by row.
ROW_KEY_COLUMNS = (
    Column("Samverkan", "agreement_name", width=38),
    Column("År", "year", "0", 8),
    Column("Kommunkod", "municipality_id", "@", 11),
    Column("Kommun", "municipality_name", width=18),
)
COST_COLUMNS = (
    *ROW_KEY_COLUMNS,
    Column("Roll", "role_label", width=12),
    Column("Betalt, tkr", "paid_tkr", AMOUNT),
    Column("Nyckel", "key_rule_label", width=15),
    Column("Andel, %", "share_pct", PERCENT, 10),
    Column("Enligt nyckel, tkr", "expected_tkr", AMOUNT),
    Column("Skillnad, tkr", "difference_tkr", AMOUNT),
    Column("Nettokostnad, kr/inv", "net_cost_kr_per_inv", AMOUNT),
    Column("Nettokostnad RS, tkr", "scb_net_cost_tkr", AMOUNT),
    Column("Värdkommunens kostnad, tkr", "agreement_host_cost_tkr", AMOUNT, 18),
    Column("Överskott, tkr", "agreement_host_surplus_tkr", AMOUNT),
    Column("Självkostnad", "self_cost_status", width=30),
    Column("Illustrativa siffror", "illustrative_label", width=12),
)
TRAIL_COLUMNS = (
    *ROW_KEY_COLUMNS,
    Column("Nyckeltal i Kolada", "kpi_id", width=12),
    Column("Rad i räkenskapssammandraget", "rs_line", width=14),
    Column("Adress hos Kolada", "kolada_url", width=40),
    Column("Svar från Kolada", "kolada_response_id", width=30),
    Column("Hämtat från Kolada", "kolada_fetched_at", TIMESTAMP, 18),
    Column("Adress hos SCB", "scb_url", width=40),
    Column("Svar från SCB", "scb_response_id", width=30),
    Column("Hämtat från SCB", "scb_fetched_at", TIMESTAMP, 18),
    Column("Modell", "model", width=24),
)

# The same mart as the Revisorer page's member_costs.sql: labels, status and trail are decided there.
ROWS_SQL = """
select *
from marts.fct_member_cost_trail
order by agreement_name, year desc, is_host desc, municipality_name
"""


@dataclass(frozen=True)
class Data:
    agreements: list[tuple[str, str]]  # (agreement_id, agreement_name), ordered by name
    rows: list[dict[str, object]]
    banner: str | None


@dataclass(frozen=True)
class Written:
    paths: list[Path]  # every workbook, in the order of _groups
    rewritten: int  # workbooks whose content changed (or that were missing), written anew
    csv_rewritten: int


def write_revisor_workbooks(warehouse: Path, out_dir: Path) -> Written:
    """Write one workbook per cooperation, one per member kommun and one with all into `out_dir`, each with
    a Swedish CSV beside it; a file whose content is unchanged since it was written is left as it is."""
    data = _read(warehouse)
    groups = _groups(data, warehouse)
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = layout_digest()
    paths, rewritten = [], 0
    for stem, title, rows in groups:
        paths.append(out_dir / f"{stem}.xlsx")
        digest = content_digest(layout, title, data.banner, rows)
        if stored_digest(paths[-1]) != digest:
            book = _workbook(title, rows, data.banner)
            mark(book, digest)
            save_atomically(book, paths[-1])
            rewritten += 1
    texts = {f"{stem}.csv": swedish_csv(rows, CSV_COLUMNS) for stem, _, rows in groups}
    csv_rewritten = sum(write_text_if_changed(text, out_dir / name) for name, text in texts.items())
    _remove_stale(out_dir, keep={p.name for p in paths} | set(texts))
    return Written(paths, rewritten, csv_rewritten)


# The CSV holds both sheets side by side: each figure with its trail on one row.
CSV_COLUMNS = (*COST_COLUMNS, *TRAIL_COLUMNS[len(ROW_KEY_COLUMNS) :])


def _groups(data: Data, warehouse: Path) -> list[tuple[str, str, list[dict[str, object]]]]:
    """(file stem, title, rows): all, each cooperation, and each member kommun (its rows in every one)."""
    groups = [(f"{FILE_PREFIX}{ALL_NAME}", "Alla samverkan", data.rows)]
    for agreement_id, name in data.agreements:
        if not SAFE_ID.match(agreement_id) or agreement_id == ALL_NAME:
            raise WorkbookError(f"Samverkans-id {agreement_id!r} i {warehouse} duger inte som filnamn")
        rows = [row for row in data.rows if row["agreement_id"] == agreement_id]
        groups.append((f"{FILE_PREFIX}{agreement_id}", name, rows))
    kommuner = dict.fromkeys((str(r["municipality_id"]), str(r["municipality_name"])) for r in data.rows)
    for municipality_id, name in sorted(kommuner, key=lambda k: k[0]):
        if not KOMMUN_CODE.match(municipality_id):
            raise WorkbookError(f"Kommunkoden {municipality_id!r} i {warehouse} duger inte som filnamn")
        rows = [row for row in data.rows if row["municipality_id"] == municipality_id]
        groups.append((f"{FILE_PREFIX}{KOMMUN_PREFIX}{municipality_id}", f"{name} kommun", rows))
    return groups


def _read(warehouse: Path) -> Data:
    if not warehouse.is_file():
        raise WorkbookError(f"Excelfilerna kan inte skrivas: lagret {warehouse} finns inte")
    try:
        with connect(warehouse, read_only=True) as con:
            return Data(_agreements(con), _rows(con), _banner(con, warehouse))
    except duckdb.Error as error:
        raise WorkbookError(f"Excelfilerna kan inte skrivas från {warehouse}: {error}") from error


def _agreements(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    # As for the kommuner: a file only for a cooperation with a figure (no ledger and no RS line: no rows).
    sql = (
        "select agreement_id, agreement_name from marts.dim_agreements where agreement_id in"
        " (select agreement_id from marts.fct_member_cost_trail) order by agreement_name"
    )
    return [(str(agreement_id), str(name)) for agreement_id, name in con.execute(sql).fetchall()]


def _rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    cursor = con.execute(ROWS_SQL)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _banner(con: duckdb.DuckDBPyConnection, warehouse: Path) -> str | None:
    row = con.execute("select is_demo, banner_text from marts.dim_report_meta limit 1").fetchone()
    if row is None:
        raise WorkbookError(f"marts.dim_report_meta i {warehouse} är tom: okänt om datat är demodata")
    is_demo, banner_text = row
    return (banner_text or DEMO_BANNER) if is_demo else None


def _workbook(title: str, rows: list[dict[str, object]], banner: str | None) -> Workbook:
    book = Workbook()
    costs = book.active
    assert costs is not None  # a new workbook always has one sheet
    costs.title = "Kostnader"
    preamble = [f"Kostnad per medlem och år – {title}", *SOURCE_LINES, *([banner] if banner else [])]
    _fill(costs, preamble, COST_COLUMNS, rows)
    available = set(rows[0]) if rows else {c.field for c in TRAIL_COLUMNS}
    trail_columns = [column for column in TRAIL_COLUMNS if column.field in available]
    preamble[0] = f"Spårbarhet: varje siffras ursprung – {title}"
    _fill(book.create_sheet("Spårbarhet"), preamble, trail_columns, rows)
    for sheet in book.worksheets if banner else []:
        sheet.cell(row=len(preamble), column=1).font = Font(bold=True, color="B00000")
    book.properties.title = f"Kostnad per medlem och år – {title}"
    book.properties.creator = "uppsikt"
    return book


def _fill(
    sheet: Worksheet, preamble: list[str], columns: Sequence[Column], rows: list[dict[str, object]]
) -> None:
    for line in preamble:
        sheet.append([line])
        keep_as_text(sheet.cell(row=sheet.max_row, column=1))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([column.header for column in columns])
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    # Cell by cell at known positions: sheet.max_row and sheet[n] scan every cell, once per row that is
    # quadratic (seconds for the workbook with all rows).
    for number, row in enumerate(rows, start=header + 1):
        for place, column in enumerate(columns, start=1):
            keep_as_text(sheet.cell(row=number, column=place, value=_excel_value(row.get(column.field))))
    _format_columns(sheet, columns, header)


def _format_columns(sheet: Worksheet, columns: Sequence[Column], header: int) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.number_format:
            for (cell,) in sheet.iter_rows(min_row=header + 1, min_col=index, max_col=index):
                cell.number_format = column.number_format
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(columns))}{max(sheet.max_row, header)}"


def _excel_value(value: object) -> object:
    # Excel has no time zones: fetch times are shown as Swedish local time.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(LOCAL_TIME).replace(tzinfo=None)
    return value


def _remove_stale(out_dir: Path, keep: set[str]) -> None:
    # A cooperation removed from the registry must not keep a download on the site.
    for path in [*out_dir.glob(f"{FILE_PREFIX}*.xlsx"), *out_dir.glob(f"{FILE_PREFIX}*.csv")]:
        if path.name not in keep:
            path.unlink()
