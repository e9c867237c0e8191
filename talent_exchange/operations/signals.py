"""The request id follows a request into the tasks it enqueues.

On enqueue (in the request) the task's id and the request id are stored; when the worker
(``talent-exchange worker``, worker.py) starts the task it looks the request id up and logs
under it, with the task's own id. The immediate backend (tests) runs the task inside the
request, so the id is simply still set.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django_tasks.signals import task_enqueued

from . import context


@receiver(task_enqueued)
def remember_origin(sender: type, task_result: Any, **kwargs: Any) -> None:
    rid = context.request_id.get()
    if not rid or not _stored(sender):
        return
    from .models import TaskOrigin

    TaskOrigin.objects.update_or_create(task_id=str(task_result.id), defaults={"request_id": rid})


def _stored(sender: type) -> bool:
    """Tasks kept as rows (the database backend), as opposed to run inline."""
    from django_tasks_db.backend import DatabaseBackend

    # The worker sends the backend itself, or its class, depending on the path.
    kind = sender if isinstance(sender, type) else type(sender)
    return issubclass(kind, DatabaseBackend)
