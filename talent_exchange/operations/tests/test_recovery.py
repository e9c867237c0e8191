"""Tasks of a worker that stopped: failed with the reason, then retried or their work failed."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talent_exchange.matches.models import RunStatus
from talent_exchange.matches.tasks import run_match
from talent_exchange.notifications.models import Notification
from talent_exchange.notifications.services import notify
from talent_exchange.operations import recovery
from talent_exchange.operations.models import WorkerBeat
from tests.factories import MatchRunFactory

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LONG_AGO = timezone.now() - datetime.timedelta(minutes=5)


def _running(result_id, worker: str) -> DBTaskResult:
    task = DBTaskResult.objects.get(pk=result_id)
    task.claim(worker)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=LONG_AGO)
    return task


@override_settings(TASKS=DB_TASKS)
def test_a_dead_workers_mail_task_is_failed_with_the_reason_and_queued_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify("accounts/password_reset", ["ada@example.org"], {"link": "x"})
    task = _running(DBTaskResult.objects.get().pk, "dead-worker")
    Notification.objects.filter(pk=message.pk).update(claimed_at=LONG_AGO)  # it was sending
    WorkerBeat.objects.create(worker_id="dead-worker", started_at=LONG_AGO, beat_at=LONG_AGO)

    (line,) = recovery.recover_lost_tasks()

    assert "queued again" in line
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == recovery.LOST
    assert "dead-worker stopped" in task.traceback
    again = DBTaskResult.objects.exclude(pk=task.pk).get()
    assert again.status == "READY" and again.args_kwargs == task.args_kwargs
    message.refresh_from_db()
    assert message.claimed_at is None and message.sent_at is None
    assert not WorkerBeat.objects.exists()  # the dead worker's beat is forgotten
    assert recovery.recover_lost_tasks() == []  # nothing twice


@override_settings(TASKS=DB_TASKS)
def test_a_live_workers_task_is_left_alone(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify("accounts/password_reset", ["ada@example.org"], {"link": "x"})
    task = _running(DBTaskResult.objects.get().pk, "live-worker")
    WorkerBeat.objects.create(worker_id="live-worker", started_at=LONG_AGO, beat_at=timezone.now())
    assert recovery.recover_lost_tasks() == []
    task.refresh_from_db()
    assert task.status == "RUNNING"


@override_settings(TASKS=DB_TASKS)
def test_a_dead_workers_match_run_is_failed_with_the_reason():
    run = MatchRunFactory(status=RunStatus.RUNNING)
    result = run_match.enqueue(run.pk)
    _running(result.id, "dead-worker")
    (line,) = recovery.recover_lost_tasks()
    assert "match run marked failed" in line
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "worker stopped" in run.error
    assert DBTaskResult.objects.filter(status="READY").count() == 0  # a person starts it again


@override_settings(TASKS=DB_TASKS)
def test_an_interrupted_task_is_retried_twice_then_left_failed(
    django_capture_on_commit_callbacks,
):
    from talent_exchange.matches.tasks import send_offer_mail

    send_offer_mail.enqueue(12345)
    lines = []
    for _attempt in range(4):
        ready = DBTaskResult.objects.get(status="READY")
        _running(ready.pk, f"dead-{_attempt}")
        lines += recovery.recover_lost_tasks()
        if not DBTaskResult.objects.filter(status="READY").exists():
            break
    assert [line.split(": ", 1)[1] for line in lines] == [
        "queued again",
        "queued again",
        "failed for good after repeated interruptions",
    ]
