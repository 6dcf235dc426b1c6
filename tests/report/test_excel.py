"""The revisorer's Excel workbooks, written from a real warehouse file and read back with openpyxl."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import dagster as dg
import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from orchestration.defs.report.workbooks import revisor_workbooks
from orchestration.lib.ops.resources import resources
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.report.excel import DOWNLOAD_DIR, WorkbookError, write_revisor_workbooks
from tests.report.warehouse_fixture import (
    AGREEMENTS,
    DALSLAND,
    DEMO_BANNER,
    HOGLANDET_ID,
    with_changed_payment,
    with_costs,
)

SOURCE_LINE = "Egna beräkningar på data från Kolada och SCB"
COST_HEADERS = ["Samverkan", "År", "Kommunkod", "Kommun", "Roll", "Betalt, tkr", "Nyckel", "Andel, %",
                "Enligt nyckel, tkr", "Skillnad, tkr", "Nettokostnad, kr/inv", "Nettokostnad RS, tkr",
                "Värdkommunens kostnad, tkr", "Överskott, tkr", "Självkostnad",
                "Illustrativa siffror"]  # fmt: skip
TRAIL_HEADERS = ["Samverkan", "År", "Kommunkod", "Kommun", "Nyckeltal i Kolada",
                 "Rad i räkenskapssammandraget", "Adress hos Kolada", "Svar från Kolada",
                 "Hämtat från Kolada", "Adress hos SCB", "Svar från SCB", "Hämtat från SCB",
                 "Modell"]  # fmt: skip


@pytest.fixture
def workbooks(report_warehouse: Path, tmp_path: Path) -> dict[str, Path]:
    paths = write_revisor_workbooks(report_warehouse, tmp_path / "nedladdning").paths
    return {path.stem.removeprefix("kostnader-"): path for path in paths}


def _table(sheet: Worksheet) -> tuple[list[str], list[dict[str, object]], list[list]]:
    """The header row (found by its first cell) and the rows under it, as dicts and as cells."""
    rows = list(sheet.iter_rows())
    at = next(i for i, row in enumerate(rows) if row[0].value == "Samverkan")
    headers = [cell.value for cell in rows[at] if cell.value is not None]
    body = rows[at + 1 :]
    return headers, [dict(zip(headers, (c.value for c in row), strict=False)) for row in body], body


def _preamble(sheet: Worksheet) -> list[str]:
    return [row[0] for row in sheet.iter_rows(max_row=5, max_col=1, values_only=True) if row[0]]


def test_one_workbook_per_cooperation_per_member_kommun_and_one_with_all(
    workbooks: dict[str, Path], report_warehouse: Path
) -> None:
    kommuner = with_costs(report_warehouse, "municipality_id")
    assert len(kommuner) == 8  # Dalsland's four, Fagersta–Norberg and the markup test förbund
    # Höglandet has neither a ledger nor an RS figure in the fixture: no file that would only have headers.
    cooperations = with_costs(report_warehouse, "agreement_id")
    assert cooperations == sorted(a.agreement_id for a in AGREEMENTS if a.agreement_id != HOGLANDET_ID)
    assert set(workbooks) == {"alla", *cooperations, *(f"kommun-{k}" for k in kommuner)}
    for path in workbooks.values():
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["Kostnader", "Spårbarhet"]
        assert _table(book["Kostnader"])[0] == COST_HEADERS
        assert _table(book["Spårbarhet"])[0] == TRAIL_HEADERS
        for sheet in book.worksheets:
            lines = _preamble(sheet)
            assert any(SOURCE_LINE in line for line in lines)
            assert DEMO_BANNER in lines


def test_figures_equal_the_warehouse_and_carry_number_formats(
    workbooks: dict[str, Path], report_warehouse: Path
) -> None:
    with connect(report_warehouse, read_only=True) as con:
        expected = con.execute(
            "select year, municipality_id, paid_tkr, share_pct from marts.fct_member_costs "
            "where agreement_id = ? and paid_tkr is not null and is_member_that_year",
            [DALSLAND],
        ).fetchall()
    _, rows, cells = _table(openpyxl.load_workbook(workbooks[DALSLAND])["Kostnader"])
    found = {(r["År"], r["Kommunkod"]): (r["Betalt, tkr"], r["Andel, %"]) for r in rows}
    assert expected, "the fixture has payments for this cooperation"
    for year, municipality_id, paid_tkr, share_pct in expected:
        assert found[(year, municipality_id)] == (paid_tkr, share_pct)
    paid = cells[0][COST_HEADERS.index("Betalt, tkr")]
    assert isinstance(paid.value, float) and paid.number_format == "#,##0.0"
    assert {r["Samverkan"] for r in rows} == {"Dalslands miljö- och energiförbund"}


def test_the_all_workbook_holds_every_cooperations_rows(workbooks: dict[str, Path]) -> None:
    everything = _table(openpyxl.load_workbook(workbooks["alla"])["Kostnader"])[1]
    cooperations = [
        path for name, path in workbooks.items() if name != "alla" and not name.startswith("kommun-")
    ]
    parts = sum(len(_table(openpyxl.load_workbook(path)["Kostnader"])[1]) for path in cooperations)
    assert len(everything) == parts > 0
    assert "Räddningsförbundet <b>x</b>" in {row["Samverkan"] for row in everything}


def test_trail_names_kpi_responses_and_local_fetch_times(workbooks: dict[str, Path]) -> None:
    _, rows, _ = _table(openpyxl.load_workbook(workbooks[DALSLAND])["Spårbarhet"])
    first = rows[0]
    assert first["Nyckeltal i Kolada"] == "N07026"
    assert first["Adress hos Kolada"] == "https://api.kolada.se/v3/data/kpi/N07026"
    assert first["Rad i räkenskapssammandraget"]
    assert first["Svar från Kolada"] == f"resp-N07026-{first['Kommunkod']}"
    assert first["Svar från SCB"] == f"scb-{first['Kommunkod']}-{first['År']}"
    # Fetched 06:00 UTC on 1 March: 07:00 in Sweden (winter time).
    assert first["Hämtat från Kolada"] == datetime(2025, 3, 1, 7, 0)
    assert first["Modell"] == "marts.fct_member_costs"


def test_workbook_rows_are_the_revisorer_pages_mart(
    workbooks: dict[str, Path], report_warehouse: Path
) -> None:
    # The page's member_costs.sql and the workbooks read one mart: same rows, same självkostnad words.
    with connect(report_warehouse, read_only=True) as con:
        expected = con.execute(
            "select year, municipality_id, self_cost_status from marts.fct_member_cost_trail "
            "where agreement_id = ?",
            [DALSLAND],
        ).fetchall()
    _, rows, _ = _table(openpyxl.load_workbook(workbooks[DALSLAND])["Kostnader"])
    assert sorted((r["År"], r["Kommunkod"], r["Självkostnad"]) for r in rows) == sorted(expected)
    assert any("Över självkostnad (mer än" in status for *_, status in expected)


def test_live_data_has_no_demo_banner(report_warehouse: Path, tmp_path: Path) -> None:
    live = tmp_path / "live.duckdb"
    shutil.copy(report_warehouse, live)
    with connect(live) as con:
        con.execute("update marts.dim_report_meta set is_demo = false, data_source = 'live'")
    book = openpyxl.load_workbook(write_revisor_workbooks(live, tmp_path / "out").paths[0])
    assert not any(DEMO_BANNER in line for line in _preamble(book["Kostnader"]))


def test_failed_save_leaves_no_partial_file(
    workbooks: dict[str, Path], report_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = workbooks["alla"].parent
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    # A changed figure, so that the workbooks that hold it are written anew (and that fails).
    report_warehouse = with_changed_payment(report_warehouse, tmp_path)

    def save_half_then_fail(self: openpyxl.Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", save_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_revisor_workbooks(report_warehouse, folder)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_missing_mart_is_a_clear_error_and_writes_nothing(report_warehouse: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.duckdb"
    shutil.copy(report_warehouse, broken)
    with connect(broken) as con:
        con.execute("drop table marts.fct_member_cost_trail")
    with pytest.raises(WorkbookError, match="fct_member_cost_trail"):
        write_revisor_workbooks(broken, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_kommuns_workbook_holds_its_rows_in_every_cooperation_and_nothing_else(
    workbooks: dict[str, Path],
) -> None:
    every = _table(openpyxl.load_workbook(workbooks["alla"])["Kostnader"])[1]
    own = openpyxl.load_workbook(workbooks["kommun-1460"])
    headers, rows, _ = _table(own["Kostnader"])
    assert headers == COST_HEADERS and rows
    assert rows == [row for row in every if row["Kommunkod"] == "1460"]
    assert {row["Kommun"] for row in rows} == {"Bengtsfors"}
    assert "Kostnad per medlem och år – Bengtsfors kommun" in _preamble(own["Kostnader"])
    assert len(_table(own["Spårbarhet"])[1]) == len(rows)
    csv = workbooks["kommun-1460"].with_suffix(".csv").read_text(encoding="utf-8")
    assert csv.count("\n") == len(rows) + 1 and ";Bengtsfors;" in csv


def test_removed_cooperation_loses_its_workbook(report_warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(report_warehouse, copy)
    out = tmp_path / "out"
    write_revisor_workbooks(copy, out)
    with connect(copy) as con:
        con.execute("delete from marts.dim_agreements where agreement_id = ?", [DALSLAND])
    write_revisor_workbooks(copy, out)
    assert not (out / f"kostnader-{DALSLAND}.xlsx").exists()
    assert (out / "kostnader-alla.xlsx").is_file()


def test_asset_writes_into_the_reports_static_folder(
    report_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPPSIKT_WAREHOUSE", str(report_warehouse))
    monkeypatch.setenv("UPPSIKT_REPORTS", str(tmp_path / "reports"))
    result = dg.materialize([revisor_workbooks], resources=resources())
    assert result.success
    folder = tmp_path / "reports" / DOWNLOAD_DIR
    assert sorted(p.name for p in folder.glob("*.xlsx")) == sorted(
        f"kostnader-{name}.xlsx"
        for name in ["alla", *with_costs(report_warehouse, "agreement_id")]
        + [f"kommun-{k}" for k in with_costs(report_warehouse, "municipality_id")]
    )


def test_csv_reads_as_a_swedish_spreadsheet_reads_it(
    workbooks: dict[str, Path], report_warehouse: Path
) -> None:
    import pandas as pd

    path = workbooks[DALSLAND].with_suffix(".csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"null" not in raw and b"None" not in raw
    # As a Swedish Excel or LibreOffice reads a .csv: semicolon separated, comma as the decimal sign.
    table = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Kommunkod": str})
    assert list(table.columns[: len(COST_HEADERS)]) == COST_HEADERS
    assert pd.api.types.is_float_dtype(table["Betalt, tkr"])
    with connect(report_warehouse, read_only=True) as con:
        expected = con.execute(
            "select year, municipality_id, paid_tkr from marts.fct_member_cost_trail where agreement_id = ?",
            [DALSLAND],
        ).fetchall()
    found = {(int(r["År"]), r["Kommunkod"]): r["Betalt, tkr"] for _, r in table.iterrows()}
    for year, municipality_id, paid in expected:
        value = found[(year, municipality_id)]
        assert (paid is None and pd.isna(value)) or value == pytest.approx(round(paid, 1))
    assert table["Betalt, tkr"].isna().any(), "years without a payment are empty cells"
    assert "," in raw.decode("utf-8-sig").splitlines()[1]  # a decimal comma, not a point


# (A lone carriage return is read back from the XML as a line feed, so it is checked for CSV only.)
FORMULA_NAMES = ['=HYPERLINK("http://127.0.0.1/x","klicka")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_a_name_that_looks_like_a_formula_is_written_as_text(
    report_warehouse: Path, tmp_path: Path, name: str
) -> None:
    hostile = tmp_path / "hostile.duckdb"
    shutil.copy(report_warehouse, hostile)
    with connect(hostile) as con:
        # The name as dbt would carry it into both marts the workbooks read.
        for mart in ("dim_agreements", "fct_member_cost_trail"):
            sql = f"update marts.{mart} set agreement_name = ? where agreement_id = ?"
            con.execute(sql, [name, DALSLAND])
    paths = write_revisor_workbooks(hostile, tmp_path / "out").paths
    path = next(p for p in paths if p.stem == f"kostnader-{DALSLAND}")
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        cells = _table(sheet)[2]
        named = [row[0] for row in cells if row[0].value == name]
        assert named and all(cell.data_type == "s" and cell.quotePrefix for cell in named)
        assert sheet["A1"].data_type == "s" and sheet["A1"].value.endswith(name)
    costs = _table(book["Kostnader"])[2]
    paid = costs[0][COST_HEADERS.index("Betalt, tkr")]
    assert paid.data_type == "n" and isinstance(paid.value, float)  # numbers stay numbers
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)


def test_csv_text_escapes_formula_starts_and_keeps_numbers() -> None:
    from orchestration.lib.report.cell_text import csv_text

    assert [csv_text(v) for v in ("=1+1", "+4670", "-x", "@a", "\tx", "\rx")] == [
        "'=1+1", "'+4670", "'-x", "'@a", "'\tx", "'\rx"
    ]  # fmt: skip
    assert [csv_text(v) for v in ("Höglandet", -5.0, 12, None)] == ["Höglandet", -5.0, 12, None]
