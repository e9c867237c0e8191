"""Nominations from a spreadsheet (.xlsx or .csv): every bad row is reported with its line
number and reason, and nothing is written unless the whole file is valid.

Columns (first row; case and spaces do not matter):
    work_email      identifies an existing person of your organisation (required)
    rationale       why this person (optional)
    backfill_plan   who covers their post (optional)
    endorser_1 …    the e-mail of an existing user for each step of the program's
                    endorsement chain, in order (endorser_1 signs first)
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.people.models import Person

from . import eligibility, services
from .models import ImportStatus, NominationImport

# (line number, cells) of a spreadsheet, read lazily; closing it releases the file
Rows = Generator[tuple[int, Sequence[Any]], None, None]

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 64  # columns the header may name
MAX_CELL_CHARS = 5000  # characters in one cell (a rationale of a page or two)
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # what an .xlsx may unpack to
MAX_ARCHIVE_ENTRIES = 500
# as the import page states them
LIMITS = {
    "megabytes": MAX_BYTES // (1024 * 1024),
    "rows": MAX_ROWS,
    "columns": MAX_COLUMNS,
    "cell": MAX_CELL_CHARS,
}
REQUIRED = ("work_email",)
PROGRESS_EVERY = 25


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Table:
    """The rows of an upload: (line, {column: text}) for each non-empty row after the header,
    and the cells that cannot be read (a formula, a text too long), by line and column."""

    rows: list[tuple[int, dict[str, str]]]
    errors: list[RowError]


class _Formula:
    """A cell that holds a formula, not a value."""


FORMULA = _Formula()


def read_table(upload) -> Table:
    """Read an upload within fixed bounds: a file of at most 5 MB, a workbook that unpacks to
    at most ``MAX_UNPACKED_BYTES``, a header of at most ``MAX_COLUMNS`` columns, at most
    ``MAX_ROWS`` lines after it, cells of at most ``MAX_CELL_CHARS`` characters. Nothing
    outside those bounds is read into memory; a file that breaks them is refused with a
    reason (``ActionRefused``) or, for a cell, reported by line and column."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ActionRefused(_("The file is larger than 5 MB; split it into smaller files."))
    lines: Rows
    if name.endswith(".xlsx"):
        lines = _xlsx_lines(data)
    elif name.endswith(".csv"):
        lines = _csv_lines(data)
    else:
        raise ActionRefused(_("Upload an Excel (.xlsx) or CSV (.csv) file."))
    with closing(lines):
        return _table(lines)


def _table(lines: Iterator[tuple[int, Sequence]]) -> Table:
    first = next(lines, None)
    if first is None:
        raise ActionRefused(_("The file is empty."))
    header = _header(first[1])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ActionRefused(
            _("The first row must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    table = Table(rows=[], errors=[])
    for line, cells in lines:
        if line > MAX_ROWS + 1:
            if any(_text(c) for c in cells[: len(header)]):
                raise ActionRefused(
                    _("The file has more than %(max)s rows; import at most %(max)s at once.")
                    % {"max": MAX_ROWS}
                )
            continue
        values, bad = {}, False
        for index, column in enumerate(header):
            cell = cells[index] if index < len(cells) else None
            if not column:
                continue
            where = {"col": get_column_letter(index + 1), "name": column}
            if cell is FORMULA:
                table.errors.append(
                    RowError(
                        line,
                        _(
                            "Column %(col)s (%(name)s) holds a formula; the import reads "
                            "values only: paste the values instead."
                        )
                        % where,
                    )
                )
                bad = True
                continue
            text = _text(cell)
            if len(text) > MAX_CELL_CHARS:
                table.errors.append(
                    RowError(
                        line,
                        _(
                            "Column %(col)s (%(name)s) holds %(n)s characters; a cell holds at "
                            "most %(max)s."
                        )
                        % {**where, "n": len(text), "max": MAX_CELL_CHARS},
                    )
                )
                bad = True
                continue
            values[column] = text
        if bad or any(values.values()):
            table.rows.append((line, values))
    return table


def _text(cell) -> str:
    return "" if cell is None or cell is FORMULA else str(cell).strip()


def _header(cells) -> list[str]:
    """The column names, up to the last named one; refused when there are too many."""
    names = [_text(c).lower().replace(" ", "_") for c in cells]
    while names and not names[-1]:
        names.pop()
    if len(names) > MAX_COLUMNS:
        raise ActionRefused(
            _("The first row names more than %(max)s columns; a nominations file has far fewer.")
            % {"max": MAX_COLUMNS}
        )
    return names


def _csv_lines(data: bytes) -> Rows:
    """(row number, cells) of a UTF-8 CSV file, at most ``MAX_ROWS + 2`` rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line_start = before.rfind(b"\n") + 1
        raise ActionRefused(
            _(
                "Line %(line)s, column %(col)s is not UTF-8 text. Save the file as "
                "“CSV UTF-8” and upload it again."
            )
            % {
                "line": before.count(b"\n") + 1,
                "col": get_column_letter(before[line_start:].count(b",") + 1),
            }
        ) from None
    nul = text.find("\x00")
    if nul >= 0:  # a database cannot store it, and no spreadsheet writes it
        text_before = text[:nul]
        raise ActionRefused(
            _(
                "Line %(line)s, column %(col)s holds a NUL character, which a CSV file cannot. "
                "Save the file as “CSV UTF-8” and upload it again."
            )
            % {
                "line": text_before.count("\n") + 1,
                "col": get_column_letter(text_before[text_before.rfind("\n") + 1 :].count(",") + 1),
            }
        )
    reader = csv.reader(io.StringIO(text))
    for row_number in range(1, MAX_ROWS + 3):
        physical = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The csv module refuses a cell longer than its field limit (131,072) and a
            # NUL byte; say which row (and which column, for a long cell).
            raise ActionRefused(_unreadable_csv_row(text, row_number, physical)) from None
        yield row_number, cells[: MAX_COLUMNS + 1]


def _unreadable_csv_row(text: str, row_number: int, physical_line: int) -> str:
    lines = text.split("\n", physical_line + 1)
    line = lines[physical_line] if physical_line < len(lines) else ""
    column = _column_of_long_cell(line)
    if column is not None:
        return _(
            "Row %(row)s, column %(col)s holds more than %(max)s characters; a cell holds at "
            "most %(max)s."
        ) % {"row": row_number, "col": get_column_letter(column + 1), "max": MAX_CELL_CHARS}
    return _(
        "Row %(row)s cannot be read as CSV (a quotation mark left open, or a character a "
        "CSV file cannot hold). Save the file as “CSV UTF-8” and upload it again."
    ) % {"row": row_number}


def _column_of_long_cell(line: str) -> int | None:
    """The index of the first cell of a CSV line longer than ``MAX_CELL_CHARS``, if any."""
    column, length, quoted = 0, 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            column, length = column + 1, 0
            continue
        length += 1
        if length > MAX_CELL_CHARS:
            return column
    return None


def _check_archive(data: bytes) -> None:
    """An .xlsx is a zip archive: refuse one that unpacks to far more than a nominations
    workbook could (a "zip bomb"), before anything is unpacked. The sizes are the archive's
    own; reading never yields more than an entry declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ActionRefused(_("This is not an Excel workbook we can read.")) from None
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ARCHIVE_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise ActionRefused(
            _(
                "The workbook unpacks to %(size)s MB in %(n)s parts; a nominations workbook is "
                "far smaller (at most %(max)s MB). Copy the nominations sheet into a new "
                "workbook and upload that."
            )
            % {
                "size": unpacked // (1024 * 1024),
                "n": len(entries),
                "max": MAX_UNPACKED_BYTES // (1024 * 1024),
            }
        )


def _xlsx_lines(data: bytes) -> Rows:
    """(row number, cells) of the workbook's first sheet, read in openpyxl's streaming mode
    within bounds: the header row up to ``MAX_COLUMNS + 1`` columns, then the data rows up to
    the header's width and ``MAX_ROWS + 2`` rows. Formulas come out as ``FORMULA``."""
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ActionRefused(_("This is not an Excel workbook we can read.")) from None
    try:
        # The <dimension> the sheet declares; openpyxl would pad every row to it.
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
            raise ActionRefused(
                _(
                    "The sheet says it is %(rows)s rows by %(cols)s columns; a nominations "
                    "sheet has at most %(max_rows)s rows and %(max_cols)s columns. Copy the "
                    "rows you mean into a new sheet and upload that."
                )
                % {
                    "rows": rows,
                    "cols": columns,
                    "max_rows": MAX_ROWS + 1,
                    "max_cols": MAX_COLUMNS,
                }
            )
        line = 1
        try:
            header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS + 1), ())
            header_cells = tuple(_cell_value(c) for c in header)
            yield line, header_cells
            width = max(1, len(_header(header_cells)))
            data_rows = sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 2, max_col=width)
            for line, row in enumerate(data_rows, start=2):
                yield line, tuple(_cell_value(c) for c in row)
        except ActionRefused:
            raise
        except Exception:  # malformed XML inside the sheet, of many kinds
            raise ActionRefused(
                _(
                    "The sheet cannot be read after row %(line)s: the workbook is damaged. "
                    "Save it again from your spreadsheet program and upload it."
                )
                % {"line": line}
            ) from None
    finally:
        workbook.close()


def _cell_value(cell):
    return FORMULA if getattr(cell, "data_type", None) == "f" else cell.value


def import_nominations(
    upload, cycle, *, actor, today=None, progress=None, finish=None
) -> ImportReport:
    """Validate every row; create all nominations in one transaction, or none.

    ``progress(checked, total)`` is called as rows are checked, and with ``(total, total)``
    just before the nominations are created; ``finish(report)`` inside the transaction that
    creates them (so a worker killed in between leaves neither)."""
    today = today or timezone.localdate()
    progress = progress or (lambda checked, total: None)
    finish = finish or (lambda report: None)
    table = read_table(upload)
    unreadable = {error.line for error in table.errors}
    rows = [(line, values) for line, values in table.rows if line not in unreadable]
    steps = services.chain_of(cycle.program)
    report = ImportReport(rows=len(table.rows), errors=list(table.errors))
    emails = [v.get("work_email", "") for _line, v in rows]
    nominating = services.nominating_organizations(actor)
    people = _people_by_email(emails, nominating)
    endorsers = services.users_by_email(
        v.get(f"endorser_{i}", "") for _line, v in rows for i in range(1, len(steps) + 1)
    )
    seen: dict[str, int] = {}
    requests = []
    for checked, (line, values) in enumerate(rows):
        if checked % PROGRESS_EVERY == 0:
            progress(checked, len(rows))
        email = values.get("work_email", "").lower()
        if not email:
            report.errors.append(RowError(line, _("The work e-mail is empty.")))
            continue
        person = people.get(email)
        if person is None:
            report.errors.append(
                RowError(
                    line, _("Nobody in your organisation has the work e-mail %(e)s.") % {"e": email}
                )
            )
            continue
        if email in seen:
            report.errors.append(
                RowError(line, _("The same person is already on line %(n)s.") % {"n": seen[email]})
            )
            continue
        seen[email] = line
        chosen, reasons = [], []
        for i, step in enumerate(steps, start=1):
            address = values.get(f"endorser_{i}", "").lower()
            user = endorsers.get(address)
            if not address:
                reasons.append(
                    _("Column endorser_%(i)s (%(title)s) is empty.") % {"i": i, "title": step.title}
                )
            elif user is None:
                reasons.append(
                    _("No user has the e-mail %(e)s (endorser_%(i)s).") % {"e": address, "i": i}
                )
            chosen.append(user)
        request = services.NominationRequest(
            person=person,
            endorsers=chosen,
            rationale=values.get("rationale", ""),
            backfill_plan=values.get("backfill_plan", ""),
        )
        if reasons:  # the endorser columns are wrong; still say what else is wrong
            reasons += eligibility.check(
                person, cycle, today, nominating_organization_ids=nominating
            )
        else:
            reasons = services.refusals_for(request, cycle, actor=actor, steps=steps, today=today)
        for reason in reasons:
            report.errors.append(RowError(line, reason))
        requests.append(request)
    if not table.rows:
        report.errors.append(RowError(1, _("The file has a header but no rows.")))
    if report.errors:
        report.errors.sort(key=lambda error: error.line)  # stable: a row's reasons keep order
        return report
    progress(len(rows), len(rows))
    with transaction.atomic():  # the nominations and the import's "done" commit together
        report.created = len(services.nominate_many(requests, cycle, actor=actor))
        finish(report)
    return report


def _people_by_email(emails, organization_ids) -> dict[str, Person]:
    """The people of the coordinator's organisations with these work e-mails (one query).
    Others are not looked up, so a file cannot probe who works elsewhere."""
    wanted = sorted({e.lower() for e in emails if e})
    if not wanted:
        return {}
    people = Person.objects.alias(email_lower=Lower("work_email")).filter(email_lower__in=wanted)
    if organization_ids is not None:
        people = people.filter(organization_id__in=organization_ids)
    return {p.work_email.lower(): p for p in people}


def start_import(upload, cycle, *, actor) -> NominationImport:
    """Keep the upload and hand it to the task worker; the page follows its progress."""
    if not actor.has_perm("nominations.import_nominations", cycle):
        raise PermissionDenied(
            _("Only a coordinator of an organisation in this program can nominate.")
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ActionRefused(_("The file is larger than 5 MB; split it into smaller files."))
    job = NominationImport.objects.create(
        cycle=cycle,
        uploaded_by=actor,
        filename=(getattr(upload, "name", "") or "upload")[:255],
        content=data,
    )
    from .tasks import run_import  # the task module imports this one

    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def execute_import(job_id: int) -> str:
    """The body of the background task. Progress is written as its own committed updates, so
    the page sees it while the rows are checked; the nominations are created in one
    transaction at the end."""
    job = NominationImport.objects.select_related("cycle__program", "uploaded_by").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return job.status
    rows = NominationImport.objects.filter(pk=job_id)
    rows.update(status=ImportStatus.CHECKING)

    def progress(checked: int, total: int) -> None:
        status = ImportStatus.CREATING if total and checked == total else ImportStatus.CHECKING
        rows.update(rows_checked=checked, rows_total=total, status=status)

    upload = io.BytesIO(bytes(job.content))
    upload.name = job.filename

    def finish(report: ImportReport) -> None:
        rows.update(
            status=ImportStatus.DONE,
            rows_total=report.rows,
            rows_checked=report.rows,
            created_count=report.created,
            errors=[],
            finished_at=timezone.now(),
        )

    try:
        report = import_nominations(
            upload, job.cycle, actor=job.uploaded_by, progress=progress, finish=finish
        )
    except ActionRefused as refusal:
        rows.update(
            status=ImportStatus.REJECTED, message=refusal.message, finished_at=timezone.now()
        )
        return ImportStatus.REJECTED
    except Exception as error:
        rows.update(
            status=ImportStatus.FAILED,
            message=_("The import stopped with an error; nothing was imported. (%(error)s)")
            % {"error": type(error).__name__},
            finished_at=timezone.now(),
        )
        raise
    status = ImportStatus.DONE if report.ok else ImportStatus.REJECTED
    rows.update(
        status=status,
        rows_total=report.rows,
        rows_checked=report.rows,
        created_count=report.created,
        errors=[[e.line, e.reason] for e in report.errors],
        finished_at=timezone.now(),
    )
    return status
