"""Crash safety, by killing processes: a task worker (a subprocess) is killed with SIGKILL at a
hook in the middle of a match run, an import, a bulk publish and a mail batch. After
``recover_tasks`` and a restart, every task has completed exactly once or is failed with a
reason and can be started again; nothing is half-written; no e-mail is lost or sent twice.

PostgreSQL only: the worker is another process, so it needs a database server both reach.
"""

from __future__ import annotations

import datetime
import email
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talent_exchange.matches import services as matches
from talent_exchange.matches.models import MatchRun, Offer, RunStatus
from talent_exchange.matches.tests.factories import small_market
from talent_exchange.nominations.importer import start_import
from talent_exchange.nominations.models import ImportStatus, Nomination, NominationImport
from talent_exchange.nominations.tests.conftest import chain  # noqa: F401  (a fixture)
from talent_exchange.notifications.models import Notification
from talent_exchange.notifications.services import notify
from talent_exchange.operations import recovery
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the killed worker is a separate process sharing the database: PostgreSQL runs "
        "only (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("crash_worker.py")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def run(*args: str, smtp_port: int = 0) -> subprocess.CompletedProcess:
    """The crash worker in a new process, on the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "talent_exchange.settings.test",
        "PYTHONPATH": str(ROOT),
    }
    extra = ["--smtp-port", str(smtp_port)] if smtp_port else []
    return subprocess.run(
        [sys.executable, str(SCRIPT), *extra, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def killed(process: subprocess.CompletedProcess) -> bool:
    return process.returncode == -signal.SIGKILL


def worker(smtp_port: int = 0) -> None:
    done = run("--worker", smtp_port=smtp_port)
    assert done.returncode == 0, done.stderr[-3000:]


def recover() -> list[str]:
    """As the five-minute job would, once the dead worker's heartbeat is old enough."""
    later = timezone.now() + recovery.lost_after() + datetime.timedelta(seconds=1)
    return recovery.recover_lost_tasks(now=later)


def statuses(task_path: str) -> list[str]:
    return sorted(DBTaskResult.objects.filter(task_path=task_path).values_list("status", flat=True))


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@override_settings(TASKS=DB_TASKS)
def test_match_run_publish_and_offer_mail_survive_kill_9(world, smtp):
    port, inbox = smtp
    market = small_market(world)
    admin = world.users["admin"]
    world.person_a.user.email = "ada@example.org"
    world.person_a.user.save()

    # 1. A match run: the worker is killed while solving.
    run_ = matches.start_run(market.cycle, actor=admin, mode="stable", balance_tolerance=None)
    assert killed(run("--worker", "--kill-at", "talent_exchange.matches.services:_solve"))
    run_.refresh_from_db()
    assert run_.status == RunStatus.RUNNING and not run_.result  # nothing stored half-way
    (line,) = recover()
    assert "match run marked failed" in line
    run_.refresh_from_db()
    assert run_.status == RunStatus.FAILED and "worker stopped" in run_.error
    # the administrator starts it again
    again = matches.start_run(market.cycle, actor=admin, mode="stable", balance_tolerance=None)
    worker()
    again.refresh_from_db()
    assert again.status == RunStatus.SUCCEEDED and again.result["assignments"]
    assert statuses("talent_exchange.matches.tasks.run_match") == ["FAILED", "SUCCESSFUL"]

    # 2. A bulk publish (the publishing task): killed after the offers are inserted, before
    # their transaction commits.
    matches.publish_run(again, actor=admin)
    assert killed(
        run(
            "--worker",
            "--kill-at",
            "talent_exchange.matches.services:_make_offers",
            "--after",
        )
    )
    assert not Offer.objects.exists()  # no half-published run
    (line,) = recover()
    assert "publish_offers: queued again" in line

    # 3. The offer mail (a batch of messages): the restarted worker finishes the publication,
    # then is killed after writing the second message of the mail batch.
    assert killed(
        run(
            "--worker",
            "--kill-at",
            "talent_exchange.matches.tasks:notify",
            "--nth",
            "2",
            "--after",
            smtp_port=port,
        )
    )
    pairs = len(MatchRun.objects.get(pk=again.pk).result["assignments"])
    assert Offer.objects.count() == pairs > 0  # every offer, once
    assert not Offer.objects.values("nomination").annotate(n=Count("pk")).filter(n__gt=1)
    assert not Notification.objects.exists()  # the batch is one transaction: nothing half-written
    lines = recover()
    assert any("send_offer_mail: queued again" in line for line in lines)
    worker(smtp_port=port)
    assert not Notification.objects.unsent().exists()
    keys = list(Notification.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) > Offer.objects.count()  # participants, coaches, hosts
    received = [m["Message-ID"] for m in inbox.messages]
    assert len(received) == len(set(received)) == len(keys)  # each delivered exactly once
    assert statuses("talent_exchange.matches.tasks.publish_offers") == ["FAILED", "SUCCESSFUL"]
    assert statuses("talent_exchange.matches.tasks.send_offer_mail").count("FAILED") == 1


@override_settings(TASKS=DB_TASKS)
def test_a_mail_batch_survives_kill_9_with_each_message_sent_once(db, smtp):
    port, inbox = smtp
    for i in range(5):
        notify("accounts/password_reset", [f"p{i}@example.org"], {"link": "x"}, key=f"batch:{i}")
    # Killed as the third message is about to go to the SMTP server (claimed, not sent).
    assert killed(
        run(
            "--worker",
            "--kill-at",
            "django.core.mail.backends.smtp:EmailBackend.send_messages",
            "--nth",
            "3",
            smtp_port=port,
        )
    )
    assert len(inbox.messages) == 2
    claimed = Notification.objects.unsent().exclude(claimed_at=None)
    assert claimed.count() == 1
    (line,) = recover()
    assert "message released and queued again" in line
    worker(smtp_port=port)
    assert sorted(m["To"] for m in inbox.messages) == [f"p{i}@example.org" for i in range(5)]
    assert not Notification.objects.unsent().exists()
    assert (
        statuses("talent_exchange.notifications.tasks.deliver_notification").count("SUCCESSFUL")
        == 5
    )


@override_settings(TASKS=DB_TASKS)
def test_an_import_survives_kill_9_and_creates_each_nomination_once(world, chain):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    world.cycle.state = "nominations"
    world.cycle.save()
    staff = [
        PersonFactory(organization=world.city_a, work_email=f"staff{i}@example.org")
        for i in range(3)
    ]
    rows = ["work_email,rationale,backfill_plan,endorser_1,endorser_2"] + [
        f"{p.work_email},High potential,Acting deputy,{chain['supervisor'].email},"
        f"{chain['head'].email}"
        for p in staff
    ]
    upload = SimpleUploadedFile("n.csv", "\n".join(rows).encode())
    job = start_import(upload, world.cycle, actor=world.users["coord_a"])
    # Killed with the nominations written but not committed.
    assert killed(
        run(
            "--worker",
            "--kill-at",
            "talent_exchange.nominations.services:nominate_many",
            "--after",
        )
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.CREATING and not Nomination.objects.exists()
    (line,) = recover()
    assert "import queued again from the start" in line
    worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3
    assert Nomination.objects.count() == 3
    assert NominationImport.objects.count() == 1
    assert statuses("talent_exchange.nominations.tasks.run_import") == ["FAILED", "SUCCESSFUL"]


@pytest.fixture
def exports_folder(settings, tmp_path, monkeypatch):
    """The test's and the worker's (through its environment) exports folder."""
    folder = tmp_path / "exports"
    settings.EXPORTS_DIR = folder
    monkeypatch.setenv("EXPORTS_DIR", str(folder))
    return folder


@override_settings(TASKS=DB_TASKS)
def test_an_export_killed_mid_file_offers_nothing_and_is_written_again_whole(
    world, exports_folder, client
):
    import csv
    import io

    from django.urls import reverse

    from talent_exchange.reports import services as reports
    from talent_exchange.reports.models import Export, ExportStatus
    from talent_exchange.reports.tests.factories import populate

    populate(world, 6)
    admin = world.users["admin"]
    export = reports.request_export(world.program, "reports.participants", "csv", {}, actor=admin)
    # Killed as the worker writes a cell of the third row.
    assert killed(
        run("--worker", "--kill-at", "talent_exchange.reports.writers:_plain", "--nth", "25")
    )
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING and not export.file_name
    # what was written is under the temporary name only, never offered for download
    assert [p.name for p in exports_folder.iterdir()] == [reports.file_name(export) + ".part"]
    client.force_login(admin)
    # No file for it: its link leads to the export's page, which says it is being written.
    unfinished = client.get(reverse("reports:export_file", args=[export.pk]))
    assert unfinished.status_code == 302
    assert unfinished["Location"] == reverse("reports:export", args=[export.pk])
    (line,) = recover()
    assert "run_export: queued again" in line
    worker()
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.rows_written == 6
    assert [p.name for p in exports_folder.iterdir()] == [export.file_name]
    rows = list(csv.reader(io.StringIO(export.path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 7 and {len(r) for r in rows} == {len(rows[0])}  # whole, every row
    download = client.get(reverse("reports:export_file", args=[export.pk]))
    assert b"".join(download.streaming_content) == export.path.read_bytes()
    reasons = Export.history.filter(id=export.pk).values_list("history_change_reason", flat=True)
    assert any(r and r.startswith("Written again from the start") for r in reasons)
    assert statuses("talent_exchange.reports.tasks.run_export") == ["FAILED", "SUCCESSFUL"]


@override_settings(TASKS=DB_TASKS)
def test_a_spreadsheet_import_killed_before_its_commit_writes_nothing_and_runs_again(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from talent_exchange.nominations.tests import hostile_files as hostile
    from talent_exchange.people.models import MobilityRecord, Person
    from talent_exchange.reports import services as reports
    from talent_exchange.reports.models import ImportStatus as Status
    from talent_exchange.reports.tests.test_import import HEADER, _row

    admin = world.users["admin"]
    rows = [_row(f"past{i}@example.org", title=f"Tour {i}") for i in range(3)]
    upload = SimpleUploadedFile("past.csv", hostile.csv([HEADER, *rows]))
    job = reports.check_upload(world.program, "spreadsheet", upload, actor=admin)
    assert job.status == Status.CHECKING
    worker()  # the dry run
    job.refresh_from_db()
    assert job.status == Status.CHECKED and job.progress == 100
    reports.commit_import(job, actor=admin)
    # Killed with every row written, before the import's transaction commits.
    assert killed(
        run(
            "--worker",
            "--kill-at",
            "talent_exchange.reports.importer:import_spreadsheet",
            "--after",
        )
    )
    job.refresh_from_db()
    assert job.status == Status.IMPORTING
    assert not MobilityRecord.objects.exists()
    assert not Person.objects.filter(work_email__startswith="past").exists()
    (line,) = recover()
    assert "run_import: queued again" in line
    worker()
    job.refresh_from_db()
    assert job.status == Status.COMMITTED
    assert [r["fate"] for r in job.report["rows"]] == ["created"] * 3
    assert MobilityRecord.objects.count() == 3
    assert Person.objects.filter(work_email__startswith="past").count() == 3
    assert statuses("talent_exchange.reports.tasks.run_import") == [
        "FAILED",
        "SUCCESSFUL",
        "SUCCESSFUL",
    ]
