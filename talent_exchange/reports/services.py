"""The reports app's writes: asking for a report or a history export in the background,
writing it (the task's body), and checking and committing an import."""

from __future__ import annotations

import gzip
import io
import logging
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.notifications.services import absolute_url, notify

from . import history, importer, writers
from .forms import filters_from_json, filters_to_json
from .models import (
    HISTORY,
    Export,
    ExportFormat,
    ExportStatus,
    HistoryImport,
    ImportKind,
    ImportStatus,
    exports_dir,
)
from .registry import Report, get_download, get_report

logger = logging.getLogger(__name__)

# A report of more rows than this is written in the background and sent by e-mail.
SYNC_ROWS = 2000


def request_export(
    program: Any,
    report_key: str,
    file_format: str,
    filters: dict[str, Any],
    *,
    actor: Any,
) -> Export:
    """Record an export and queue it; the worker writes it and e-mails the link."""
    found_download = get_download(report_key)
    if found_download is not None:
        require(
            actor,
            found_download.permission,
            found_download.subject(filters),
            _("You may not download this."),
        )
        file_format = ExportFormat.GZIP_JSON
    elif report_key == HISTORY:
        require(actor, "reports.export_history", program, _("You may not export this program."))
        # the history file, or the same history as a workbook for people who read Excel
        file_format = ExportFormat.XLSX if file_format == ExportFormat.XLSX else ExportFormat.JSON
    else:
        require(
            actor, "reports.download_report", program, _("You may not read this program's reports.")
        )
        if get_report(report_key) is None:
            raise ActionRefused(_("There is no such report."))
        if file_format not in (ExportFormat.CSV, ExportFormat.XLSX):
            raise ActionRefused(_("Choose CSV or Excel."))
    from .tasks import run_export

    with transaction.atomic():
        export = Export(
            program=program,
            report=report_key,
            format=file_format,
            filters=filters if found_download else filters_to_json(filters),
            requested_by=actor,
        )
        attribute_to(export, actor, reason=_("Export requested"))
        export.save()
        transaction.on_commit(lambda: run_export.enqueue(export.pk))
    return export


def prepare_download(
    program: Any, key: str, filters: dict[str, Any], *, actor: Any, fresh_since: Any = None
) -> Export:
    """An app's download (registry.Download) for a client that asks again until it is ready
    (the API): the export of it being written, or one written since ``fresh_since``, if
    there is one (anyone's: the bytes do not depend on who asks); otherwise a new one."""
    found = get_download(key)
    if found is None:
        raise ActionRefused(_("There is no such download."))
    require(actor, found.permission, found.subject(filters), _("You may not download this."))
    current: Export | None = Export.objects.of_download(key, **filters).in_progress().first()
    if current is None and fresh_since is not None:
        current = ready_download(key, filters, fresh_since)
    if current is not None:
        return current
    return request_export(program, key, ExportFormat.GZIP_JSON, filters, actor=actor)


def ready_download(key: str, filters: dict[str, Any], fresh_since: Any = None) -> Export | None:
    """The newest written file of an app's download (written since ``fresh_since``, when
    given), if it is here to send; the caller has checked the reader's permission."""
    ready = Export.objects.of_download(key, **filters).ready()
    if fresh_since is not None:
        ready = ready.filter(finished_at__gte=fresh_since)
    written = ready.first()
    return written if written is not None and written.file_available else None


def file_name(export: Export) -> str:
    stamp = (export.created_at or timezone.now()).strftime("%Y%m%d-%H%M")
    slug = "history" if export.is_history else export.report.split(".")[-1]
    return f"program-{export.program_id}-{slug}-{stamp}-{export.pk}.{export.format}"


def execute_export(export_id: int) -> str:
    """The task's body: write the file to a temporary name, then, in one transaction,
    rename it and mark the export ready (with its audit row) and queue the e-mail."""
    export = Export.objects.select_related("program", "requested_by").get(pk=export_id)
    if export.is_finished:
        return str(export.status)
    user = export.requested_by
    rows = Export.objects.filter(pk=export_id)
    if export.status == ExportStatus.RUNNING:
        # A worker stopped while writing it (operations/recovery.py queued it again): what it
        # wrote is under the temporary name, never offered; the file is written from the start.
        export.progress = 0
        attribute_to(
            export,
            user,
            reason=_("Written again from the start: the worker stopped while writing it"),
        )
        export.save(update_fields=["progress"])
    rows.update(status=ExportStatus.RUNNING, progress=0)
    folder = exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name(export)
    partial = folder / (name + ".part")
    partial.unlink(missing_ok=True)
    try:
        count = _write(export, partial, user, rows)
    except Exception as error:
        partial.unlink(missing_ok=True)
        rows.update(
            status=ExportStatus.FAILED,
            error=_("The export stopped with an error (%(error)s). Ask for it again.")
            % {"error": type(error).__name__},
            finished_at=timezone.now(),
        )
        raise
    os.replace(partial, folder / name)
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export_id)
        export.status = ExportStatus.DONE
        export.progress = 100
        export.rows_written = count
        export.file_name = name
        export.size = (folder / name).stat().st_size
        export.finished_at = timezone.now()
        attribute_to(export, user, reason=_("Export written"))
        export.save()
        notify(
            "reports/export_ready",
            [user],
            {
                "export": export,
                "title": report_title(export),
                "program": export.program,
                "link": absolute_url(reverse("reports:export", args=[export.pk])),
                "days": settings.EXPORT_RETENTION_DAYS,
            },
            key=f"reports:export:{export.pk}:ready",
        )
    return ExportStatus.DONE


def request_again(export: Export, *, actor: Any) -> Export:
    """An expired or failed export (or one whose file is gone) asked for again: the same
    report, format and filters, written from the data as it is now (a new export, with the
    same permission checks as the first)."""
    if not export.is_finished:
        raise ActionRefused(_("This file is being written already."))
    if export.file_available:
        raise ActionRefused(_("This file is ready: download it."))
    filters = export.filters
    if not (export.is_download or export.is_history):
        filters = filters_from_json(export.program, export.filters)
    return request_export(export.program, export.report, export.format, filters, actor=actor)


def expire_exports(now: datetime | None = None) -> tuple[int, int]:
    """Apply the retention period (``EXPORT_RETENTION_DAYS``): every export whose file was
    written longer ago loses its file and is marked expired, with its audit row; then any
    other file in ``EXPORTS_DIR`` older than the period that no ready export offers (a
    partial file a stopped worker left, the file of a deleted program's export) is removed.
    Returns (exports expired, stray files removed). Run daily by ``expire_exports``; running
    it again changes nothing."""
    now = now or timezone.now()
    days = settings.EXPORT_RETENTION_DAYS
    expired = 0
    for pk in list(Export.objects.past_retention(now).values_list("pk", flat=True)):
        with transaction.atomic():
            export = Export.objects.past_retention(now).select_for_update().filter(pk=pk).first()
            if export is None:  # expired meanwhile by another run
                continue
            export.status = ExportStatus.EXPIRED
            export.expired_at = now
            attribute_to(
                export,
                None,
                reason=_("File removed after %(days)s days (the retention period)")
                % {"days": days},
            )
            export.save(update_fields=["status", "expired_at"])
        # After the commit: a file left behind if this fails is a stray, removed next time;
        # the row says expired either way, and its page offers to prepare it again.
        export.path.unlink(missing_ok=True)
        expired += 1
    strays = _remove_strays(now - timedelta(days=days))
    if expired or strays:
        logger.info("Exports expired: %s; stray files removed: %s", expired, strays)
    return expired, strays


def _remove_strays(before: datetime) -> int:
    folder = exports_dir()
    if not folder.is_dir():
        return 0
    offered = set(Export.objects.ready().exclude(file_name="").values_list("file_name", flat=True))
    removed = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in offered or not entry.is_file(follow_symlinks=False):
                continue
            # A file being written (``….part``) or just finished is recent: never touched.
            if entry.stat(follow_symlinks=False).st_mtime >= before.timestamp():
                continue
            Path(entry.path).unlink(missing_ok=True)
            removed += 1
    return removed


def report_title(export: Export) -> str:
    if export.is_history:
        return _("Full history")
    if export.is_download:
        found_download = get_download(export.report)
        return str(found_download.title(export.filters)) if found_download else export.report
    found = get_report(export.report)
    return str(found.title) if found else export.report


def download_name(export: Export) -> str:
    """The name the reader saves the file under (an app's download: without ``.gz``, it is
    sent compressed only on the way)."""
    found_download = get_download(export.report) if export.is_download else None
    return found_download.filename(export.filters) if found_download else export.file_name


# An app's download is kept gzip-compressed; level 1 is fast and JSON of ids and numbers
# compresses well even so (as the match runs' payloads, matches.models.GZIP_LEVEL).
DOWNLOAD_GZIP_LEVEL = 1


def _write_download(export: Export, path: Any, rows: Any) -> int:
    """An app's download (registry.Download) as gzip, the same bytes for the same object
    (no time or name in the gzip header); the progress as the app reports it."""
    found = get_download(export.report)
    if found is None:
        raise ActionRefused(_("There is no such download."))
    shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal shown
        percent = min(99, 100 * done // total) if total > 0 else 0
        if percent != shown:
            shown = percent
            rows.update(progress=percent)

    subject = found.subject(export.filters)
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, compresslevel=DOWNLOAD_GZIP_LEVEL, mtime=0
        ) as out,
    ):
        for chunk in found.chunks(subject, export.filters, progress):
            out.write(chunk)
    return 0  # a file, not rows


def _write(export: Export, path: Any, user: Any, rows: Any) -> int:
    if export.is_download:
        return _write_download(export, path, rows)
    program = export.program
    if export.is_history:

        def progress(done: int, total: int) -> None:
            rows.update(progress=min(99, round(100 * done / total)))

        if export.format == ExportFormat.JSON:
            with open(path, "w", encoding="utf-8") as out:
                return history.export_history(program, user, out, progress=progress).lines
        lines = path.with_name(path.name + ".jsonl")
        try:
            with open(lines, "w", encoding="utf-8") as out:
                history.export_history(program, user, out, progress=progress)
            with open(lines, encoding="utf-8") as source, open(path, "wb") as book:
                return history.history_workbook(source, book)
        finally:
            lines.unlink(missing_ok=True)
    found = get_report(export.report)
    if found is None:
        raise ActionRefused(_("There is no such report."))
    filters = filters_from_json(program, export.filters)
    total = max(found.count(program, filters, user), 1)

    def row_progress(n: int) -> None:
        rows.update(progress=min(99, round(100 * n / total)), rows_written=n)

    data = found.rows(program, filters, user)
    if export.format == ExportFormat.XLSX:
        with open(path, "wb") as binary:
            return writers.write_xlsx(
                binary, found.columns, data, title=str(found.title), progress=row_progress
            )
    with open(path, "w", encoding="utf-8-sig", newline="") as text:
        return writers.write_csv(text, found.columns, data, progress=row_progress)


def report_now(
    report: Report, program: Any, filters: dict[str, Any], user: Any, file_format: str
) -> bytes | None:
    """A small report's Excel file, written at once; None for CSV (streamed by the view)."""
    require(user, "reports.download_report", program, _("You may not read this program's reports."))
    if file_format != ExportFormat.XLSX:
        return None
    buffer = io.BytesIO()
    writers.write_xlsx(
        buffer, report.columns, report.rows(program, filters, user), title=str(report.title)
    )
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Imports
# ---------------------------------------------------------------------------------------------

MAX_HISTORY_BYTES = 50 * 1024 * 1024


def upload_limit(kind: str) -> int:
    return MAX_HISTORY_BYTES if kind == ImportKind.HISTORY else importer.MAX_BYTES


def check_upload(program: Any, kind: str, upload: Any, *, actor: Any) -> HistoryImport:
    """Store an upload and hand it to the task worker for a dry run: every row's fate comes
    into its report, which the import page shows when the check is done."""
    require(
        actor,
        "reports.import_history",
        program,
        _("Only the program's administrators may import into it."),
    )
    if kind == ImportKind.HISTORY and not actor.has_perm("reports.import_history_file", program):
        raise ActionRefused(_("Only a platform operator may import a history file."))
    limit = upload_limit(kind)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ActionRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    job = HistoryImport.objects.create(
        program=program,
        kind=kind,
        uploaded_by=actor,
        filename=(getattr(upload, "name", "") or "upload")[:255],
        content=data,
        status=ImportStatus.CHECKING,
    )
    _enqueue_import(job)
    return job


def commit_import(job: HistoryImport, *, actor: Any) -> HistoryImport:
    """Hand a checked upload to the task worker to import: the same check again, and
    everything written in one transaction, or nothing."""
    require(
        actor,
        "reports.import_history",
        job.program,
        _("Only the program's administrators may import into it."),
    )
    with transaction.atomic():
        job = HistoryImport.objects.select_for_update().get(pk=job.pk)
        if job.in_progress:
            raise ActionRefused(_("This file is being checked or imported already."))
        if not job.can_commit:
            raise ActionRefused(
                _("This file was already imported, or it has errors to correct first.")
            )
        job.status = ImportStatus.IMPORTING
        job.committed_by = actor
        job.progress = 0
        job.save(update_fields=["status", "committed_by", "progress"])
        _enqueue_import(job)
    return job


def _enqueue_import(job: HistoryImport) -> None:
    # Enqueued in the transaction that records the job: with the database backend the task's
    # row commits with it (and the worker starts once the request's transaction commits).
    from .tasks import run_import

    run_import.enqueue(job.pk)
    job.refresh_from_db()


def execute_import(job_id: int) -> str:
    """The task's body: the dry run of an upload being checked, or the import of one being
    imported. An import writes every row, its report and its new status in one transaction,
    so a worker killed half-way has written nothing (operations/recovery.py queues it again)."""
    job = HistoryImport.objects.select_related("program", "uploaded_by", "committed_by").get(
        pk=job_id
    )
    if not job.in_progress:
        return str(job.status)
    rows = HistoryImport.objects.filter(pk=job_id)
    rows.update(progress=0, error="")
    progress = ImportProgress(job_id)
    try:
        if job.status == ImportStatus.IMPORTING:
            with transaction.atomic():
                report = _run(job, job.committed_by or job.uploaded_by, False, progress)
                status = ImportStatus.REFUSED if _refused(report) else ImportStatus.COMMITTED
                rows.update(
                    report=report,
                    status=status,
                    progress=100,
                    committed_at=timezone.now() if status == ImportStatus.COMMITTED else None,
                )
        else:
            report = _run(job, job.uploaded_by, True, progress)
            status = ImportStatus.REFUSED if _refused(report) else ImportStatus.CHECKED
            rows.update(report=report, status=status, progress=100)
    except Exception as error:
        rows.update(
            status=ImportStatus.FAILED,
            error=_(
                "The import stopped with an error (%(error)s); nothing was written. Upload "
                "the file again."
            )
            % {"error": type(error).__name__},
        )
        raise
    finally:
        progress.close()
    return str(status)


def _refused(report: dict[str, Any]) -> bool:
    return bool(report.get("refused") or report.get("errors"))


class ImportProgress:
    """Writes an import's progress (``progress(done, total)``) so that its page sees it while
    the import's transaction is still open. Inside a transaction the figure goes through a
    connection of its own on PostgreSQL, which never waits for a lock (a figure skipped is
    harmless); SQLite has one writer at a time, so there the page sees the figure only when
    the transaction ends."""

    EVERY = 2  # percent

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.shown = 0
        self.side: Any = None

    def __call__(self, done: int, total: int) -> None:
        percent = min(99, 100 * done // total) if total > 0 else 0
        if percent < self.shown + self.EVERY:
            return
        self.shown = percent
        if not connection.in_atomic_block:
            HistoryImport.objects.filter(pk=self.job_id).update(progress=percent)
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            table = self.side.ops.quote_name(HistoryImport._meta.db_table)
            try:
                with self.side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {table} SET progress = %s WHERE id IN "  # noqa: S608 (a model's table)
                        f"(SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                        [percent, self.job_id],
                    )
            except DatabaseError:  # a figure never stops an import
                logger.warning("Import %s: progress not written", self.job_id, exc_info=True)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


MAX_ROWS_SHOWN = 2000


def _run(job: HistoryImport, actor: Any, dry_run: bool, progress: ImportProgress) -> dict[str, Any]:
    content = bytes(job.content)
    program = job.program
    assert program is not None  # an upload on the site is made into a program's page
    try:
        if job.kind == ImportKind.HISTORY:
            lines = max(content.count(b"\n"), 1)
            result = history.import_history(
                io.BytesIO(content),
                actor,
                dry_run=dry_run,
                program=program.name,
                progress=lambda seen: progress(seen, lines),
            )
            fates = [
                {
                    "line": f.line,
                    "column": "",
                    "section": f.section,
                    "fate": f.fate,
                    "reason": f.reason,
                    "ref": f.ref,
                }
                for f in result.fates[:MAX_ROWS_SHOWN]
            ]
            errors = [
                {"line": f.line, "column": "", "section": f.section, "reason": f.reason}
                for f in result.errors
            ]
            return {"rows": fates, "errors": errors, "counts": result.counts, "refused": ""}
        upload = io.BytesIO(content)
        upload.name = job.filename
        sheet = importer.import_spreadsheet(
            upload, program, actor, dry_run=dry_run, progress=progress
        )
        return {
            "rows": [r.as_dict() for r in sheet.rows[:MAX_ROWS_SHOWN]],
            "errors": [r.as_dict() for r in sheet.rows if r.fate == "error"],
            "counts": sheet.counts(),
            "refused": "",
        }
    except (ActionRefused, history.FormatError) as refusal:
        message = getattr(refusal, "message", None) or str(refusal)
        return {"rows": [], "errors": [], "counts": {}, "refused": str(message)}
