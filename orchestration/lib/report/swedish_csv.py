"""CSV as a Swedish spreadsheet reads it: semicolons, decimal comma, Swedish headers, empty cells for
missing values, UTF-8 with a byte order mark (so Excel does not guess another encoding)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from orchestration.lib.report.cell_text import csv_text

LOCAL_TIME = ZoneInfo("Europe/Stockholm")


class CsvColumn(Protocol):
    header: str
    field: str
    number_format: str | None


def swedish_value(value: object, number_format: str | None = None) -> str:
    """One cell: '' for missing, 1234,5 for numbers (no thousands separator), local time, Ja/Nej."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float):
        digits = 0 if number_format == "0" else 1
        return f"{value:.{digits}f}".replace(".", ",")
    if isinstance(value, datetime):
        local = value.astimezone(LOCAL_TIME) if value.tzinfo else value
        return local.strftime("%Y-%m-%d %H:%M")
    # A name that starts like a formula (=, +, -, @) is kept as text, as in the workbooks.
    return str(csv_text(str(value)))


def swedish_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[CsvColumn]) -> str:
    """The rows under the columns' Swedish headers, as the text of a Swedish CSV file."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow([swedish_value(row.get(column.field), column.number_format) for column in columns])
    return "\ufeff" + out.getvalue()
