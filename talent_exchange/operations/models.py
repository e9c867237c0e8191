"""Rows the operations layer keeps beside the task queue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskOrigin(models.Model):
    """Which request enqueued a task, so the worker logs under the same request id. Written
    in the enqueuing transaction (with the task row); pruned with old task results."""

    task_id = models.CharField(max_length=64, primary_key=True)
    request_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("task origin")
        verbose_name_plural = _("task origins")

    def __str__(self) -> str:
        return f"{self.task_id} ← {self.request_id}"


class WorkerBeat(models.Model):
    """A live task worker says so here every few seconds (``talent-exchange worker``); a
    running task whose worker has stopped beating was interrupted (killed, crashed, the
    machine lost) and is recovered by ``recover_tasks``."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id
