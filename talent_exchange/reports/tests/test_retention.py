"""Written exports are kept for EXPORT_RETENTION_DAYS: then the daily ``expire_exports``
removes the file and marks the export expired (in its audit trail), and the export's page
offers to prepare it again instead of a 404."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from talent_exchange.reports import services
from talent_exchange.reports.models import Export, ExportStatus

from .factories import ExportFactory, populate

pytestmark = pytest.mark.django_db


def written(world, *, days_ago: float, report="reports.participants", file_format="csv"):
    """A ready export whose file was written ``days_ago``."""
    export = ExportFactory(
        program=world.program,
        requested_by=world.users["admin"],
        report=report,
        format=file_format,
        filters={"organization": world.city_a.pk},
    )
    services.execute_export(export.pk)
    export.refresh_from_db()
    assert export.file_available
    finished = timezone.now() - timedelta(days=days_ago)
    Export.objects.filter(pk=export.pk).update(finished_at=finished)
    os.utime(export.path, (finished.timestamp(), finished.timestamp()))
    export.refresh_from_db()
    return export


def _key(page: str) -> str:
    found = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page)
    assert found, "the form has no one-time key"
    return found.group(1)


def test_an_old_exports_file_is_removed_and_its_row_says_expired_a_fresh_one_is_kept(
    world, settings
):
    settings.EXPORT_RETENTION_DAYS = 7
    populate(world, 2)
    old = written(world, days_ago=7.1)
    fresh = written(world, days_ago=6.9)
    old_path = old.path

    assert services.expire_exports() == (1, 0)

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and old.expired_at is not None
    assert not old_path.exists() and not old.file_available
    assert fresh.status == ExportStatus.DONE and fresh.file_available
    # The audit trail says when and why; the record of who took what out stays.
    latest = old.history.first()
    assert latest.status == ExportStatus.EXPIRED and latest.history_user is None
    assert latest.history_change_reason == "File removed after 7 days (the retention period)"
    assert old.requested_by == world.users["admin"] and old.file_name


def test_expiring_is_idempotent_and_leaves_records_of_files_written_elsewhere(world, settings):
    settings.EXPORT_RETENTION_DAYS = 3
    populate(world, 1)
    old = written(world, days_ago=4)
    # `talent-exchange export_history --output …` records an export with no file here.
    elsewhere = ExportFactory(
        program=world.program,
        requested_by=world.users["admin"],
        report="history",
        format="json",
        status=ExportStatus.DONE,
        finished_at=timezone.now() - timedelta(days=30),
    )
    call_command("expire_exports", stdout=(out := __import__("io").StringIO()))
    assert "1 export(s) expired after 3 days; 0 stray file(s) removed." in out.getvalue()
    history_rows = old.history.count()
    assert services.expire_exports() == (0, 0)  # again: nothing changes
    assert old.history.count() == history_rows
    old.refresh_from_db()
    elsewhere.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED
    assert elsewhere.status == ExportStatus.DONE  # left alone: nothing of it is here


def test_stray_files_older_than_the_period_are_removed_recent_ones_and_offered_ones_kept(
    world, settings, exports_dir
):
    settings.EXPORT_RETENTION_DAYS = 7
    populate(world, 1)
    kept = written(world, days_ago=1)
    # The newest ready export's file is kept even when its date on disk is old (copied back
    # from a backup, say): only the export's own date counts.
    long_ago = (timezone.now() - timedelta(days=30)).timestamp()
    os.utime(kept.path, (long_ago, long_ago))
    left = exports_dir / "program-1-participants-20261101-0000-9.csv.part"  # a stopped worker's
    left.write_text("half a fi")
    os.utime(left, (long_ago, long_ago))
    being_written = exports_dir / "program-1-participants-20261202-2100-10.csv.part"
    being_written.write_text("being writ")
    (exports_dir / "a-folder").mkdir()

    assert services.expire_exports() == (0, 1)
    assert sorted(p.name for p in exports_dir.iterdir()) == sorted(
        [kept.file_name, being_written.name, "a-folder"]
    )


def test_an_expired_exports_page_offers_to_prepare_it_again(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_RETENTION_DAYS = 7
    populate(world, 3)
    old = written(world, days_ago=8, file_format="xlsx")
    services.expire_exports()
    client = client_for(world.users["admin"])

    # The link of the e-mail a week ago: the page, not a 404.
    link = client.get(reverse("reports:export_file", args=[old.pk]))
    assert link.status_code == 302 and link["Location"] == reverse("reports:export", args=[old.pk])
    page = client.get(link["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="export-status">Expired<' in text
    assert 'data-testid="export-expired"' in text and "files are kept for 7 days" in text
    assert "export-download" not in text and "Prepare it again" in text
    assert 'hx-trigger="every 2s"' not in text  # nothing to follow

    again = reverse("reports:export_again", args=[old.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(again, {"submission_key": _key(text)})
    new = Export.objects.exclude(pk=old.pk).get()
    assert response["Location"] == reverse("reports:export", args=[new.pk])
    assert (new.report, new.format, new.filters) == (old.report, old.format, old.filters)
    assert new.status == ExportStatus.DONE and new.rows_written == old.rows_written
    assert any(
        f"/reports/exports/{new.pk}/" in m.body and "kept for 7 days" in m.body for m in mail.outbox
    )
    # Sending the form twice makes one export; a ready one is not asked for again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(again, {"submission_key": _key(text)})
        client.post(reverse("reports:export_again", args=[new.pk]))
    assert Export.objects.count() == 2


def test_only_the_requester_asks_for_an_export_again_with_their_permission_as_it_is_now(
    world, client_for, settings
):
    settings.EXPORT_RETENTION_DAYS = 7
    populate(world, 1)
    old = written(world, days_ago=8)
    services.expire_exports()
    again = reverse("reports:export_again", args=[old.pk])
    assert client_for(world.users["coord_a"]).post(again).status_code == 404
    assert client_for(world.users["auditor"]).get(again).status_code in (403, 404, 405)
    assert Export.objects.count() == 1
    # The requester lost the role that let them read the program's reports: refused.
    world.users["admin"].role_grants.all().delete()
    assert client_for(world.users["admin"]).post(again).status_code in (403, 404)
    assert Export.objects.count() == 1
