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
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.people.models import Person

from . import eligibility, services
from .models import ImportStatus, NominationImport

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
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


def read_rows(upload) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each non-empty row after the header."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ActionRefused(_("The file is larger than 5 MB; split it into smaller files."))
    if name.endswith(".xlsx"):
        table = _xlsx(data)
    elif name.endswith(".csv"):
        table = _csv(data)
    else:
        raise ActionRefused(_("Upload an Excel (.xlsx) or CSV (.csv) file."))
    if not table:
        raise ActionRefused(_("The file is empty."))
    header = [str(c or "").strip().lower().replace(" ", "_") for c in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ActionRefused(
            _("The first row must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {
            header[i]: str(v).strip() if v is not None else ""
            for i, v in enumerate(cells)
            if i < len(header) and header[i]
        }
        if any(values.values()):
            rows.append((line, values))
    if len(rows) > MAX_ROWS:
        raise ActionRefused(
            _("The file has %(n)s rows; import at most %(max)s at once.")
            % {"n": len(rows), "max": MAX_ROWS}
        )
    return rows


def _csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActionRefused(_("Save the CSV file as UTF-8.")) from None
    return list(csv.reader(io.StringIO(text)))


def _xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ActionRefused(_("This is not an Excel workbook we can read.")) from None
    sheet = workbook.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


def import_nominations(
    upload, cycle, *, actor, site_url: str = "", today=None, progress=None
) -> ImportReport:
    """Validate every row; create all nominations in one transaction, or none.

    ``progress(checked, total)`` is called as rows are checked, and with ``(total, total)``
    just before the nominations are created."""
    today = today or timezone.localdate()
    progress = progress or (lambda checked, total: None)
    rows = read_rows(upload)
    steps = services.chain_of(cycle.program)
    report = ImportReport(rows=len(rows))
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
    if not rows:
        report.errors.append(RowError(1, _("The file has a header but no rows.")))
    if report.errors:
        return report
    progress(len(rows), len(rows))
    report.created = len(services.nominate_many(requests, cycle, actor=actor, site_url=site_url))
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


def start_import(upload, cycle, *, actor, site_url: str = "") -> NominationImport:
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
        site_url=site_url,
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
    try:
        report = import_nominations(
            upload, job.cycle, actor=job.uploaded_by, site_url=job.site_url, progress=progress
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
