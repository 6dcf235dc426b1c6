"""Text that reaches a spreadsheet stays text: never a formula Excel or LibreOffice would evaluate.

A cooperation named `=HYPERLINK(...)` (or starting with +, -, @, a tab or a carriage return, which
spreadsheet programs also read as the start of a formula when a CSV is opened) must show as written.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """Would a spreadsheet program read this text as a formula?"""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """A CSV field that opens as text: formula-like text gets a leading apostrophe; numbers stay numbers."""
    return f"'{value}" if looks_like_formula(value) else value


def keep_as_text(cell: Cell) -> None:
    """Store a formula-like string as a plain string cell, shown with Excel's text prefix.

    The text itself is unchanged (a reader sees the name as registered); openpyxl would otherwise
    write a string starting with "=" as a formula.
    """
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
