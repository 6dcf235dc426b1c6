"""Only the revisor workbooks whose content changed are written again (real warehouse, files read back)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from orchestration.lib.report.excel import write_revisor_workbooks
from tests.report.warehouse_fixture import DALSLAND, with_changed_payment


@pytest.fixture
def workbooks(report_warehouse: Path, tmp_path: Path) -> dict[str, Path]:
    paths = write_revisor_workbooks(report_warehouse, tmp_path / "nedladdning").paths
    return {path.stem.removeprefix("kostnader-"): path for path in paths}


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.iterdir()}


def test_unchanged_workbooks_and_csv_files_are_left_as_they_are(
    workbooks: dict[str, Path], report_warehouse: Path
) -> None:
    folder = workbooks["alla"].parent
    before = _files(folder)
    again = write_revisor_workbooks(report_warehouse, folder)
    assert (again.rewritten, again.csv_rewritten) == (0, 0)
    assert [p.stem.removeprefix("kostnader-") for p in again.paths] == list(workbooks)
    assert _files(folder) == before


def test_a_changed_figure_rewrites_only_the_workbooks_that_hold_it(
    workbooks: dict[str, Path], report_warehouse: Path, tmp_path: Path
) -> None:
    folder = workbooks["alla"].parent
    before = _files(folder)
    changed = with_changed_payment(report_warehouse, tmp_path)
    written = write_revisor_workbooks(changed, folder)
    assert (written.rewritten, written.csv_rewritten) == (3, 3)
    after = _files(folder)
    touched = {name for name in after if after[name] != before[name]}
    stems = ("alla", DALSLAND, "kommun-1460")
    assert touched == {f"kostnader-{stem}.{ext}" for stem in stems for ext in ("xlsx", "csv")}
    # What was kept and what was written anew read exactly as a full write from the changed warehouse.
    fresh = write_revisor_workbooks(changed, tmp_path / "fresh")
    assert fresh.rewritten == len(fresh.paths)
    for kept, new in zip(written.paths, fresh.paths, strict=True):
        assert _sheet_values(kept) == _sheet_values(new), kept.name


def _sheet_values(path: Path) -> list[list[tuple]]:
    book = openpyxl.load_workbook(path)
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def test_a_workbook_without_its_content_hash_or_after_a_layout_change_is_written_anew(
    workbooks: dict[str, Path], report_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.lib.report import excel_files

    folder = workbooks["alla"].parent
    plain = openpyxl.load_workbook(workbooks[DALSLAND])
    plain.properties.identifier = None
    plain.save(workbooks[DALSLAND])
    assert write_revisor_workbooks(report_warehouse, folder).rewritten == 1
    assert openpyxl.load_workbook(workbooks[DALSLAND]).properties.identifier.startswith("uppsikt-sha256:")
    code = tmp_path / "excel.py"
    code.write_text(excel_files.LAYOUT_SOURCES[0].read_text(encoding="utf-8") + "\n# a new column\n")
    monkeypatch.setattr(excel_files, "LAYOUT_SOURCES", (code, excel_files.LAYOUT_SOURCES[1]))
    assert write_revisor_workbooks(report_warehouse, folder).rewritten == len(workbooks)
