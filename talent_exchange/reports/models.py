"""What the reports app records: the files it builds in the background (``Export``, each one
in the audit trail: who took what out, when) and the uploads it checks and imports
(``HistoryImport``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from talent_exchange.accounts.roles import roles_of


def exports_dir() -> Path:
    return Path(settings.EXPORTS_DIR)


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel")
    JSON = "json", _("JSON (full history)")
    # An app's download (registry.Download): JSON, kept gzip-compressed and sent so.
    GZIP_JSON = "json.gz", _("JSON")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    # Kept for EXPORT_RETENTION_DAYS, then its file is removed (services.expire_exports); the
    # row stays, for the audit trail and for its page to offer to prepare it again.
    EXPIRED = "expired", pgettext_lazy("an export's status", "Expired")


HISTORY = "history"  # the ``report`` of a full history export


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExportQuerySet:
        """An export holds what its requester could see: only they (and platform operators
        and auditors, for the audit trail) see it."""
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(requested_by_id=getattr(user, "pk", None))

    def in_progress(self) -> ExportQuerySet:
        return self.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING])

    def of_download(self, key: str, **filters: Any) -> ExportQuerySet:
        """The exports of one object's download (registry.Download), newest first:
        ``of_download("matches.run_snapshot", run=12)``."""
        lookups = {f"filters__{name}": value for name, value in filters.items()}
        return self.filter(report=key, **lookups).order_by("-created_at", "-pk")

    def ready(self) -> ExportQuerySet:
        return self.filter(status=ExportStatus.DONE)

    def past_retention(self, now: datetime) -> ExportQuerySet:
        """Ready exports whose file was written more than EXPORT_RETENTION_DAYS before
        ``now`` (a record of a file written elsewhere, with no file here, is left alone)."""
        kept_since = now - timedelta(days=settings.EXPORT_RETENTION_DAYS)
        return self.ready().exclude(file_name="").filter(finished_at__lt=kept_since)


class Export(models.Model):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="exports"
    )
    report = models.CharField(_("report"), max_length=64)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_written = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(_("file removed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.report} · {self.format} · {self.program_id}"

    @property
    def is_history(self) -> bool:
        return self.report == HISTORY

    @property
    def is_download(self) -> bool:
        """An app's file (registry.Download), not a report of rows."""
        return self.format == ExportFormat.GZIP_JSON

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.DONE

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)

    @property
    def is_failed(self) -> bool:
        return self.status == ExportStatus.FAILED

    @property
    def is_expired(self) -> bool:
        return self.status == ExportStatus.EXPIRED

    @property
    def path(self) -> Path:
        return exports_dir() / self.file_name

    @property
    def file_available(self) -> bool:
        """Ready, and its file is here to send (not a record of a file written elsewhere,
        nor one removed by hand)."""
        return self.is_ready and bool(self.file_name) and self.path.is_file()


class ImportKind(models.TextChoices):
    SPREADSHEET = "spreadsheet", _("Profiles and past placements (spreadsheet)")
    HISTORY = "history", _("Full history (JSON)")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked (dry run)")
    CHECKED = "checked", _("Checked (dry run)")
    REFUSED = "refused", _("Refused")
    IMPORTING = "importing", _("Being imported")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")


# The task worker is checking or writing an import in these states (tasks.run_import).
IMPORT_IN_PROGRESS = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class HistoryImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> HistoryImportQuerySet:
        roles = roles_of(user)
        if roles.is_superuser or roles.is_auditor:
            return self
        return self.filter(uploaded_by_id=getattr(user, "pk", None))


class HistoryImport(models.Model):
    """An upload, checked row by row (a dry run) before anything is written; committing it
    runs the same check again and writes everything in one transaction. Both run in the
    task worker (``tasks.run_import``); the page follows ``progress``."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices)
    report = models.JSONField(default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("why it failed"), blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = HistoryImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("history import")
        verbose_name_plural = _("history imports")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_committed(self) -> bool:
        return self.status == ImportStatus.COMMITTED

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.report.get("errors")

    @property
    def in_progress(self) -> bool:
        return self.status in IMPORT_IN_PROGRESS

    @property
    def is_writing(self) -> bool:
        """The commit is writing the rows (not the dry run checking them)."""
        return self.status == ImportStatus.IMPORTING

    @property
    def needs_a_new_file(self) -> bool:
        """Refused or failed: the person uploads a corrected file."""
        return self.status in (ImportStatus.REFUSED, ImportStatus.FAILED)
