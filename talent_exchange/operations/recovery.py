"""Tasks whose worker stopped while running them.

A worker beats (``WorkerBeat``) every few seconds. A task still "running" whose worker has
not beaten for ``WORKER_LOST_AFTER_SECONDS`` was interrupted — the process killed (kill -9,
out of memory), crashed, or its machine lost. ``recover_lost_tasks`` (run by every worker as
it starts and by the five-minute schedule) then:

1. marks the task failed with that reason (``WorkerLost``), so it never stays "running";
2. deals with the work the task was doing, according to its kind (``HANDLERS``):
   - work that is all-or-nothing or resumable and safe to repeat (delivering an e-mail,
     publishing a run's offers, writing the offer e-mails, an import, whose nominations are
     written in one transaction) is **queued again**, up to ``MAX_RETRIES`` times, then
     marked failed for a person to look at;
   - a match run is **failed with the reason**; its administrator starts it again (the
     run page offers it).

Every task's effects are transactional, so an interrupted task has written nothing half-way:
the retry or the person's new start does the whole work once.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import WorkerBeat

logger = logging.getLogger(__name__)
MAX_RETRIES = 2
LOST = "talent_exchange.operations.recovery.WorkerLost"


class WorkerLost(Exception):
    """The worker running the task stopped (its heartbeat ended)."""


def lost_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS)


def recover_lost_tasks(now: datetime.datetime | None = None) -> list[str]:
    """Recover every running task whose worker stopped; returns one line per task."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    limit = now - lost_after()
    alive = set(WorkerBeat.objects.filter(beat_at__gte=limit).values_list("worker_id", flat=True))
    done = []
    with transaction.atomic():
        running = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status="RUNNING")
            .filter(Q(started_at__lt=limit) | Q(started_at__isnull=True))
            .order_by("started_at")
        )
        for result in running:
            worker = (result.worker_ids or ["?"])[-1]
            if worker in alive:
                continue
            result.status = "FAILED"
            result.finished_at = now
            result.exception_class_path = LOST
            result.traceback = (
                f"{LOST}: the worker {worker} stopped (killed or crashed) while running this "
                f"task; recovered at {now.isoformat(timespec='seconds')}.\n"
            )
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            action = _handle(result)
            logger.warning(
                "Task %s (%s) of a stopped worker: %s", result.id, result.task_path, action
            )
            done.append(f"{result.id} {result.task_path}: {action}")
        WorkerBeat.objects.filter(beat_at__lt=limit).delete()
    return done


def _handle(result: Any) -> str:
    handler = HANDLERS.get(result.task_path)
    args = result.args_kwargs.get("args", [])
    kwargs = result.args_kwargs.get("kwargs", {})
    if handler is None:
        return "failed (no recovery rule; enqueue it again by hand if needed)"
    return handler(result, args, kwargs)


def _retries(result: Any) -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=result.task_path,
        args_kwargs=result.args_kwargs,
        exception_class_path=LOST,
    ).count()


def _enqueue_again(result: Any, args: list[Any], kwargs: dict[str, Any]) -> None:
    result.task.enqueue(*args, **kwargs)


def _retry_or(give_up: Callable[[Any, list[Any]], None]) -> Callable[..., str]:
    def handler(result: Any, args: list[Any], kwargs: dict[str, Any]) -> str:
        if _retries(result) > MAX_RETRIES:
            give_up(result, args)
            return "failed for good after repeated interruptions"
        _enqueue_again(result, args, kwargs)
        return "queued again"

    return handler


def _release_notification(result: Any, args: list[Any], kwargs: dict[str, Any]) -> str:
    """The message was claimed but not (known to be) sent: free it and deliver it again."""
    from talent_exchange.notifications.models import Notification

    Notification.objects.unsent().filter(pk=args[0]).update(claimed_at=None)
    _enqueue_again(result, args, kwargs)
    return "message released and queued again"


def _fail_run(result: Any, args: list[Any], kwargs: dict[str, Any]) -> str:
    from talent_exchange.matches.models import MatchRun, RunStatus

    MatchRun.objects.filter(pk=args[0]).in_progress().update(
        status=RunStatus.FAILED,
        error=_(
            "The worker stopped while running this match (it was killed or crashed); nothing "
            "was stored. Start the run again."
        ),
        progress_note=_("The worker stopped"),
        finished_at=timezone.now(),
    )
    return "match run marked failed (start it again)"


def _prepare_import(result: Any, args: list[Any], kwargs: dict[str, Any]) -> str:
    """An interrupted import created nothing (one transaction): check it again from the top,
    or, after repeated interruptions, fail it with the reason."""
    from talent_exchange.nominations.models import ImportStatus, NominationImport

    job = NominationImport.objects.filter(pk=args[0]).first()
    if job is None or job.is_finished:
        return "already finished"
    if _retries(result) > MAX_RETRIES:
        NominationImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            message=_(
                "The import was interrupted several times (the worker stopped); nothing was "
                "imported. Upload the file again, or ask your administrator to check the "
                "task worker."
            ),
            finished_at=timezone.now(),
        )
        return "import failed for good after repeated interruptions"
    NominationImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, rows_checked=0)
    _enqueue_again(result, args, kwargs)
    return "import queued again from the start"


def _fail_export(result: Any, args: list[Any]) -> None:
    from talent_exchange.reports.models import Export, ExportStatus

    Export.objects.filter(pk=args[0]).in_progress().update(
        status=ExportStatus.FAILED,
        error=_(
            "The export was interrupted several times (the worker stopped); ask for it again, "
            "or ask your administrator to check the task worker."
        ),
        finished_at=timezone.now(),
    )


def _fail_report_import(result: Any, args: list[Any]) -> None:
    from talent_exchange.reports.models import IMPORT_IN_PROGRESS, HistoryImport, ImportStatus

    HistoryImport.objects.filter(pk=args[0], status__in=IMPORT_IN_PROGRESS).update(
        status=ImportStatus.FAILED,
        error=_(
            "The import was interrupted several times (the worker stopped); nothing was "
            "written. Upload the file again, or ask your administrator to check the task worker."
        ),
    )


def _nothing(result: Any, args: list[Any]) -> None:
    return None


HANDLERS: dict[str, Callable[[Any, list[Any], dict[str, Any]], str]] = {
    "talent_exchange.notifications.tasks.deliver_notification": _release_notification,
    "talent_exchange.matches.tasks.send_offer_mail": _retry_or(_nothing),
    # resumes where it stopped (matches.services.execute_publish); mark_stalled_runs also
    # queues a stalled publication again, which is harmless (idempotent)
    "talent_exchange.matches.tasks.publish_offers": _retry_or(_nothing),
    "talent_exchange.matches.tasks.run_match": _fail_run,
    "talent_exchange.nominations.tasks.run_import": _prepare_import,
    # the file is written under a temporary name and marked ready in one transaction with
    # its e-mail: an interrupted export left nothing, so it is written again from the start
    "talent_exchange.reports.tasks.run_export": _retry_or(_fail_export),
    # a dry run writes nothing; an import writes every row and its new status in one
    # transaction: an interrupted one is checked or imported again from the top
    "talent_exchange.reports.tasks.run_import": _retry_or(_fail_report_import),
    # idempotent: each reminder is sent once per key (learning.reminders)
    "talent_exchange.learning.tasks.send_session_reminders_task": _retry_or(_nothing),
}
