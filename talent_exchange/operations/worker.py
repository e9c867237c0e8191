"""The task worker of this project: django-tasks-db's worker, plus

- a **heartbeat** (a ``WorkerBeat`` row, renewed every few seconds from a thread), so a
  worker that was killed, crashed or lost its machine is noticed and the task it was running
  recovered (recovery.py) instead of staying "running" for ever;
- the **request id** of the request that enqueued each task, and the task's id, in every
  log line the task writes (context.py, signals.py).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from . import context
from .models import TaskOrigin, WorkerBeat

logger = logging.getLogger(__name__)
BEAT_SECONDS = 10


class BeatingWorker(Worker):
    def run(self) -> None:
        now = timezone.now()
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id, defaults={"started_at": now, "beat_at": now}
        )
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(stop,), daemon=True, name="heartbeat")
        beat.start()
        try:
            super().run()
        finally:
            stop.set()
            beat.join(timeout=BEAT_SECONDS)
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()  # a clean stop

    def _beat(self, stop: threading.Event) -> None:
        interval = min(BEAT_SECONDS, max(1, settings.WORKER_LOST_AFTER_SECONDS // 4))
        try:
            while not stop.wait(interval):
                try:
                    close_old_connections()
                    WorkerBeat.objects.filter(worker_id=self.worker_id).update(
                        beat_at=timezone.now()
                    )
                except Exception:  # the database is away for a moment: beat again later
                    logger.warning("Worker %s could not record its heartbeat", self.worker_id)
        finally:
            connection.close()

    def run_task(self, db_task_result: Any) -> None:
        task_id = str(db_task_result.id)
        origin = TaskOrigin.objects.filter(task_id=task_id).values_list("request_id", flat=True)
        rid = context.request_id.set(origin.first() or "")
        tid = context.task_id.set(task_id)
        logger.info("Task %s started: %s", task_id, db_task_result.task_path)
        try:
            super().run_task(db_task_result)
        finally:
            db_task_result.refresh_from_db(fields=["status"])
            logger.info("Task %s finished: %s", task_id, db_task_result.status)
            context.task_id.reset(tid)
            context.request_id.reset(rid)
