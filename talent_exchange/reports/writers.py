"""Report files: CSV (through ``core.csv.writer``) and Excel (openpyxl's write-only mode, so
a large report streams to disk row by row).

Excel cells are typed by their column (numbers as numbers, dates as dates in the
``yyyy-mm-dd`` format, booleans as booleans); the header row is frozen and bold; columns are
as wide as their kind. The formula rule is the one ``core.csv`` applies: a text that begins
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to a spreadsheet; in
a CSV it gets a leading quote, in a workbook it is written as a text cell (never a formula),
so nothing a user typed runs in the reader's spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from talent_exchange.core.csv import FORMULA_STARTS
from talent_exchange.core.csv import writer as csv_writer

from .registry import Column

WIDTHS = {"text": 20, "int": 12, "decimal": 14, "date": 12, "datetime": 18, "bool": 10}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32767  # Excel's limit on characters in one cell

Progress = Callable[[int], None]


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _plain(value: Any) -> Any:
    """A value for a CSV cell: dates in ISO form, booleans as yes/no words left to csv."""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def write_csv(
    stream: IO[str], columns: list[Column], rows: Iterable[tuple], progress: Progress | None = None
) -> int:
    out = csv_writer(stream)
    out.writerow([str(c.label) for c in columns])
    n = 0
    for row in rows:
        out.writerow([_plain(v) for v in row])
        n += 1
        if progress and n % 1000 == 0:
            progress(n)
    return n


def csv_lines(columns: list[Column], rows: Iterable[tuple]) -> Iterator[str]:
    """The CSV as lines, for a streaming response."""
    buffer = io.StringIO()
    out = csv_writer(buffer)
    out.writerow([str(c.label) for c in columns])
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        out.writerow([_plain(v) for v in row])
        yield buffer.getvalue()


def _cell(sheet: Any, value: Any, kind: str) -> WriteOnlyCell:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal | int | float | bool) or value is None:
        return WriteOnlyCell(sheet, value=value)
    text = str(value)[:MAX_CELL]
    cell = WriteOnlyCell(sheet, value=text)
    if is_formula_like(text):
        cell.data_type = "s"  # a text cell, whatever it begins with: never a formula
    return cell


def write_xlsx(
    target: IO[bytes] | str,
    columns: list[Column],
    rows: Iterable[tuple],
    *,
    title: str = "Report",
    progress: Progress | None = None,
) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            column.width or WIDTHS[column.kind]
        )
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = bold
        cell.data_type = "s"
        header.append(cell)
    sheet.append(header)
    n = 0
    for row in rows:
        sheet.append([_cell(sheet, v, c.kind) for v, c in zip(row, columns, strict=True)])
        n += 1
        if progress and n % 1000 == 0:
            progress(n)
    book.save(target)
    return n


def write_xlsx_sheets(
    target: IO[bytes] | str, sheets: Iterable[tuple[str, list[Column], Iterable[tuple]]]
) -> int:
    """Several sheets in one workbook, each written as ``write_xlsx`` writes one (streamed:
    a sheet's rows are read once, in order)."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    n = 0
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title=_sheet_title(title))
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width or WIDTHS[column.kind]
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=str(column.label))
            cell.font = bold
            cell.data_type = "s"
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(sheet, v, c.kind) for v, c in zip(row, columns, strict=True)])
            n += 1
    if not book.worksheets:
        book.create_sheet(title="Empty")
    book.save(target)
    return n


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return cleaned[:31] or "Report"
